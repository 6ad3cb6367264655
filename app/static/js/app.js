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

// Every save says it saved, the same way: the server's HX-Trigger "kam:saved" (app/htmx.py saved())
// shows the same notice a plain post's flash shows, at the top of the page, for a few seconds.
document.addEventListener("kam:saved", function (evt) {
  var text = evt.detail && evt.detail.message;
  if (!text) { return; }
  var box = document.getElementById("saved-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "saved-notice";
    box.className = "flashes saved-toast";
    box.setAttribute("role", "status");
    document.body.appendChild(box);
  }
  var p = document.createElement("p");
  p.className = "flash";
  p.textContent = text;
  box.replaceChildren(p);
  clearTimeout(box._timer);
  box._timer = setTimeout(function () { box.replaceChildren(); }, 4000);
});

// Checkbox lists (macros/forms.html checklist): the filter box hides the names that do not match.
document.addEventListener("input", function (evt) {
  var box = evt.target.closest("[data-filter-list]");
  if (!box) { return; }
  var list = document.getElementById(box.getAttribute("data-filter-list"));
  var q = box.value.trim().toLowerCase();
  list.querySelectorAll(".checklist-items label").forEach(function (label) {
    label.hidden = q !== "" && label.textContent.toLowerCase().indexOf(q) === -1;
  });
});
