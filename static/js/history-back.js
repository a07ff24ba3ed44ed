/* "Go back and try again": back to the form the user came from, so that it is
   fetched afresh (staff pages are no-store) with a new security token. The
   link's own address is the fallback when there is no history. */
(function () {
  "use strict";
  var link = document.querySelector("[data-history-back]");
  if (!link || window.history.length < 2) { return; }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.history.back();
  });
})();
