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
// Search (app/search): "/" focuses the header's box; Escape or a click elsewhere closes its dropdown.
document.addEventListener("keydown", function (evt) {
  var box = document.getElementById("site-search");
  if (!box) return;
  var t = evt.target;
  var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  if (evt.key === "/" && !typing && !evt.ctrlKey && !evt.metaKey && !evt.altKey) {
    evt.preventDefault();
    box.focus();
    box.select();
  } else if (evt.key === "Escape" && t === box) {
    document.getElementById("search-dropdown").innerHTML = "";
  }
});
document.addEventListener("click", function (evt) {
  var drop = document.getElementById("search-dropdown");
  if (drop && drop.firstElementChild && !evt.target.closest(".site-search")) drop.innerHTML = "";
});
