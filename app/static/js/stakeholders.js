// Stakeholder pages: print buttons and filters that apply on change (no inline script: CSP).
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("change", function (evt) {
  var el = evt.target.closest("[data-autosubmit]");
  if (el && el.form) { el.form.requestSubmit(); }
});
