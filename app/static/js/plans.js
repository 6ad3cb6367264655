// The account plan: a print button (no inline script), and a focused first field when a section opens.
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("htmx:afterSwap", function (evt) {
  var el = evt.detail.elt;
  var form = el && el.classList && el.classList.contains("editing") ? el : null;
  var first = form && form.querySelector("textarea, input:not([type=hidden]), select");
  if (first && !el.querySelector(".conflict")) { first.focus(); }
});
