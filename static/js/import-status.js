/* An import job page that is waiting (the file being checked, or the import
   running) asks the status URL every two seconds and reloads once the status
   has changed. Without JavaScript a <noscript> refresh does the same. */
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-import-status-url");
  var shown = box.getAttribute("data-import-status");
  var bar = box.querySelector("progress");
  var done = box.querySelector("[data-import-done]");

  function showProgress(data) {
    if (!bar || !data.patients_total) { return; }
    bar.max = data.patients_total;
    bar.value = data.patients_done;
    bar.textContent = data.patients_done + " of " + data.patients_total;
    if (done) { done.textContent = data.patients_done; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (data.status !== shown) {
          window.location.reload();
          return;
        }
        showProgress(data);
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();
