// The phase-move form: the plan preview and the checkbox's wording follow the
// chosen phase; a discharge hides them (it keeps the plan).
(function () {
  "use strict";
  var box = document.getElementById("plan-follows-phase");
  if (!box) { return; }
  var label = document.getElementById("replace-plan-label");
  var previews = box.querySelectorAll(".plan-preview");
  var radios = document.querySelectorAll('input[name="to_phase"]');

  function update() {
    var chosen = document.querySelector('input[name="to_phase"]:checked');
    var code = chosen ? chosen.value : null;
    var shown = null;
    previews.forEach(function (preview) {
      var match = preview.getAttribute("data-phase") === code;
      preview.hidden = !match;
      if (match) { shown = preview; }
    });
    box.hidden = code !== null && shown === null;
    if (shown) { label.textContent = shown.getAttribute("data-label"); }
  }

  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
