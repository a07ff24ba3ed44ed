/* The visit form.
   - Enter in a pain cell moves to the next cell instead of submitting a
     half-filled visit (the last cell keeps the focus).
   - The same-day notice shows while the chosen date already holds a visit
     (`data-visit-dates` on .visit-date); it warns and never blocks. */
(function () {
  "use strict";
  var form = document.querySelector("form.visit-form");
  if (!form) { return; }

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.classList.contains("pain-input")) { return; }
    event.preventDefault();
    var cells = Array.prototype.slice.call(form.querySelectorAll("input.pain-input"));
    var next = cells[cells.indexOf(event.target) + 1];
    if (next) {
      next.focus();
      next.select();
    }
  });

  var wrapper = form.querySelector(".visit-date[data-visit-dates]");
  var notice = document.getElementById("same-day-notice");
  var input = wrapper && wrapper.querySelector("input[type=date]");
  if (!input || !notice) { return; }
  var dates = wrapper.getAttribute("data-visit-dates").split(" ").filter(Boolean);
  function update() { notice.hidden = dates.indexOf(input.value) === -1; }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
})();
