/* Copy buttons: <button data-copy-target="input-id" data-copied-text="Copied">.
   Uses the Clipboard API where allowed, otherwise selects the text so the
   user can copy it by hand. */
(function () {
  "use strict";
  function fallback(input) {
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) { return; }
    var original = button.textContent;
    function done(ok) {
      button.textContent = ok ? (button.getAttribute("data-copied-text") || "Copied") : "Press Ctrl+C to copy";
      window.setTimeout(function () { button.textContent = original; }, 2500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(fallback(input)); });
    } else {
      done(fallback(input));
    }
  });
})();
