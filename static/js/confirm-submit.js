// A form with data-confirm asks before it is sent (revoking or replacing a
// patient's portal link): Cancel sends nothing.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
