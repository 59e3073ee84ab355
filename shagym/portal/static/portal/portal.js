/* Enhancements only: every page works without this file. */
(function () {
  "use strict";
  // Move focus to the error summary, so screen readers and keyboards start from the list of problems.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
  // A second click while a form is being sent does nothing (the server is idempotent anyway).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    });
  });
})();
