// The patient page's "Acknowledge" boxes, one per flag: acknowledging one
// sends its form and the page comes back, which emptied the notes typed in
// the others. They are kept for this tab (sessionStorage, read once and
// removed) and filled in again.
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".ack-form textarea[name='note']"));
  if (!boxes.length) { return; }
  var key = "kinetic-ack-notes:" + window.location.pathname;
  var kept = {};
  try {
    kept = JSON.parse(window.sessionStorage.getItem(key) || "{}");
    window.sessionStorage.removeItem(key);
  } catch (error) { kept = {}; }
  boxes.forEach(function (box) {
    if (kept[box.id] && !box.value) { box.value = kept[box.id]; }
  });
  document.querySelectorAll(".ack-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var others = {};
      boxes.forEach(function (box) {
        if (!form.contains(box) && box.value.trim()) { others[box.id] = box.value; }
      });
      try { window.sessionStorage.setItem(key, JSON.stringify(others)); } catch (error) { /* private mode: nothing kept */ }
    });
  });
})();
