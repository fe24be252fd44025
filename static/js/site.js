// After a refused form, move focus to the error summary so screen readers announce it.
(function () {
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
