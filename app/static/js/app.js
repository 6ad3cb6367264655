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
// The phone menu: one button folds the header's links and the user's controls.
document.addEventListener("click", function (evt) {
  var btn = evt.target.closest(".menu-button");
  if (!btn) return;
  var bar = btn.closest(".topbar");
  var open = !bar.classList.contains("open");
  bar.classList.toggle("open", open);
  btn.setAttribute("aria-expanded", open ? "true" : "false");
});
document.addEventListener("keydown", function (evt) {
  if (evt.key !== "Escape") return;
  var bar = document.querySelector(".topbar.open");
  if (bar) {
    bar.classList.remove("open");
    var btn = bar.querySelector(".menu-button");
    btn.setAttribute("aria-expanded", "false");
    btn.focus();
  }
});
// A link marked data-focus="ID" scrolls to a field and puts the cursor in it: one tap to write.
document.addEventListener("click", function (evt) {
  var link = evt.target.closest("a[data-focus]");
  if (!link) return;
  var field = document.getElementById(link.getAttribute("data-focus"));
  if (!field) return;
  evt.preventDefault();
  field.scrollIntoView({block: "center"});
  field.focus({preventScroll: true});
});
// The filter box above a checkbox list hides the choices that do not match (ticked ones stay).
document.addEventListener("input", function (evt) {
  var box = evt.target.closest(".pick-filter");
  if (!box) return;
  var list = document.getElementById(box.getAttribute("data-filter"));
  var q = box.value.normalize("NFKC").trim().toLowerCase();
  list.querySelectorAll("li").forEach(function (li) {
    var input = li.querySelector("input");
    var text = li.textContent.normalize("NFKC").toLowerCase();
    li.hidden = q !== "" && !(input && input.checked) && text.indexOf(q) === -1;
  });
});
// Time zone pickers (/me, workspace): a search box filters the long list of zones, and
// someone who has not chosen a zone is offered the browser's own.
(function () {
  function norm(s) { return s.toLowerCase().replace(/[_\s]+/g, " "); }
  document.addEventListener("input", function (evt) {
    var box = evt.target.closest("[data-tz-filter]");
    if (!box) return;
    var select = document.getElementById(box.getAttribute("data-tz-filter"));
    if (!select) return;
    var q = norm(box.value.trim()), first = null;
    Array.prototype.forEach.call(select.options, function (opt) {
      var hit = !q || norm(opt.value + " " + opt.text).indexOf(q) !== -1;
      opt.hidden = !hit;
      if (hit && !first) first = opt;
    });
    if (q && first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) {
      select.value = first.value;
    }
  });
  function offerBrowserZone() {
    var offer = document.querySelector("[data-browser-tz]");
    if (!offer || !window.Intl || !Intl.DateTimeFormat) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var select = document.getElementById("timezone");
    if (!zone || !select || !Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) return;
    offer.querySelector("[data-browser-tz-name]").textContent = zone;
    offer.hidden = false;
    offer.querySelector("[data-use-browser-tz]").addEventListener("click", function () {
      select.value = zone;
      select.dispatchEvent(new Event("change", {bubbles: true}));
      offer.hidden = true;
    });
  }
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest("[data-select-all]");
    if (el) el.select();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", offerBrowserZone);
  else offerBrowserZone();
})();
// Search (app/search): "/" focuses the header's box; Escape or a click elsewhere closes its dropdown.
document.addEventListener("keydown", function (evt) {
  var box = document.getElementById("site-search");
  if (!box) return;
  var t = evt.target;
  var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  if (evt.key === "/" && !typing && !evt.ctrlKey && !evt.metaKey && !evt.altKey) {
    evt.preventDefault();
    var bar = box.closest(".topbar");
    if (bar && !box.offsetParent) {  // folded behind the phone menu: open it first
      bar.classList.add("open");
      bar.querySelector(".menu-button").setAttribute("aria-expanded", "true");
    }
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
