// A form for a one-way step names its <dialog> in data-confirm. With script, the dialog asks in
// place and, once confirmed, the form is sent with the confirmation field; without script (or
// without <dialog> support) the form posts as it is and the server answers with its confirmation
// page, which says the same.
(function () {
  var FIELD = "confirmed";
  var pending = null;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var id = form.getAttribute && form.getAttribute("data-confirm");
    if (!id || form.querySelector("input[name='" + FIELD + "']")) return;
    var dialog = document.getElementById(id);
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    pending = { form: form, submitter: event.submitter || null };
    dialog.returnValue = "";
    dialog.showModal();
  });

  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (!dialog.classList || !dialog.classList.contains("confirm-dialog") || !pending) return;
    var chosen = pending;
    pending = null;
    if (dialog.returnValue !== "confirm") {
      if (chosen.submitter) chosen.submitter.focus();
      return;
    }
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = FIELD;
    field.value = "yes";
    chosen.form.appendChild(field);
    if (typeof chosen.form.requestSubmit === "function") {
      chosen.form.requestSubmit(chosen.submitter || undefined);
    } else {
      chosen.form.submit();
    }
  }, true);
})();
