// Small glue for htmx: show server errors that htmx does not swap (403, 404, 500)
// so a failed in-place action never fails silently.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.getElementById("toast");
  if (!box) {
    box = document.createElement("div");
    box.id = "toast";
    box.setAttribute("role", "alert");
    document.body.appendChild(box);
  }
  var xhr = evt.detail.xhr;
  var tmp = document.createElement("div");
  tmp.innerHTML = xhr.responseText || "";
  var msg = tmp.querySelector(".flash") || tmp.querySelector("h1");
  box.textContent = msg ? msg.textContent.trim() : (xhr.status + " " + xhr.statusText);
  box.className = "show";
  setTimeout(function () { box.className = ""; }, 6000);
});
document.addEventListener("htmx:sendError", function () {
  var box = document.getElementById("toast") || document.body.appendChild(Object.assign(document.createElement("div"), {id: "toast"}));
  box.textContent = document.documentElement.lang.startsWith("zh") ? "无法连接服务器，请重试。" : "The server could not be reached. Try again.";
  box.className = "show";
});
// Buttons marked data-confirm ask first (no inline script: the CSP forbids it).
document.addEventListener("click", function (evt) {
  var el = evt.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    evt.preventDefault();
    evt.stopImmediatePropagation();
  }
}, true);
// Text limits (app/textlimits.py): a live counter instead of maxlength, which cuts a paste
// short without a word. The server refuses what is too long and keeps it in the form.
function kamCounters(root) {
  root.querySelectorAll("input[maxlength], textarea[maxlength]").forEach(function (el) {
    el.setAttribute("data-maxlength", el.getAttribute("maxlength"));
    el.removeAttribute("maxlength");
  });
  root.querySelectorAll("input[data-maxlength], textarea[data-maxlength]").forEach(function (el) {
    if (el.dataset.counted) return;
    el.dataset.counted = "1";
    var max = parseInt(el.getAttribute("data-maxlength"), 10);
    var out = document.createElement("small");
    out.className = "counter";
    out.setAttribute("aria-live", "polite");
    el.insertAdjacentElement("afterend", out);
    function update() {
      var n = Array.from(el.value).length;  // characters as the server counts them
      out.textContent = n >= max * 0.8 ? n + " / " + max : "";
      out.classList.toggle("over", n > max);
    }
    el.addEventListener("input", update);
    update();
  });
}
document.addEventListener("DOMContentLoaded", function () { kamCounters(document); });
document.addEventListener("htmx:load", function (evt) { kamCounters(evt.detail.elt); });
