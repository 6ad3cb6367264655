// Stakeholder pages: print buttons and filters that apply on change (no inline script: CSP).
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("change", function (evt) {
  var el = evt.target.closest("[data-autosubmit]");
  if (el && el.form) { el.form.requestSubmit(); }
});

// The drawn org chart (app/stakeholders/routes_org.py): drag a card onto another to move that
// person under them, pan and zoom a large drawing, light up one of ours' coverage lines.
(function () {
  var DRAG_PX = 6;
  var drag = null;
  var justDragged = false;

  function chart() { return document.getElementById("orgchart"); }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function cardAt(x, y) {
    var el = document.elementFromPoint(x, y);
    return el ? el.closest("#orgchart .card") : null;
  }
  function clearTarget() {
    document.querySelectorAll("#orgchart .card.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  }
  function endDrag() {
    if (!drag) return;
    clearTarget();
    drag.card.classList.remove("dragging");
    if (drag.ghost) drag.ghost.remove();
    drag = null;
  }

  document.addEventListener("pointerdown", function (evt) {
    var card = evt.target.closest("#orgchart .card");
    var root = chart();
    if (!card || !root || root.getAttribute("data-can-move") !== "1" || evt.button !== 0) return;
    if (evt.pointerType === "touch") return;  // phones: the picker; a finger pans the page
    drag = {card: card, x: evt.clientX, y: evt.clientY, moving: false, ghost: null};
  });
  document.addEventListener("pointermove", function (evt) {
    if (!drag) return;
    if (!drag.moving) {
      if (Math.abs(evt.clientX - drag.x) + Math.abs(evt.clientY - drag.y) < DRAG_PX) return;
      drag.moving = true;
      drag.card.classList.add("dragging");
      var ghost = document.createElement("div");
      ghost.className = "org-ghost";
      ghost.textContent = (drag.card.querySelector("title") || {}).textContent || "";
      document.body.appendChild(ghost);
      drag.ghost = ghost;
    }
    evt.preventDefault();
    drag.ghost.style.left = (evt.clientX + 12) + "px";
    drag.ghost.style.top = (evt.clientY + 8) + "px";
    var over = cardAt(evt.clientX, evt.clientY);
    clearTarget();
    if (over && over !== drag.card) over.classList.add("drop-target");
  });
  document.addEventListener("pointerup", function (evt) {
    if (!drag) return;
    var was = drag;
    if (!was.moving) { drag = null; return; }
    justDragged = true;
    setTimeout(function () { justDragged = false; }, 0);
    var target = cardAt(evt.clientX, evt.clientY);
    endDrag();
    if (!target || target === was.card) return;
    var root = chart();
    var values = JSON.parse(root.getAttribute("data-view") || "{}");
    values.reports_to_id = target.getAttribute("data-contact");
    values.version = was.card.getAttribute("data-version");
    var url = root.getAttribute("data-move-url").replace("{id}", was.card.getAttribute("data-contact"));
    htmx.ajax("POST", url, {target: "#orgchart", swap: "outerHTML", values: values,
                            headers: {"X-CSRFToken": csrf()}});
  });
  document.addEventListener("pointercancel", endDrag);
  document.addEventListener("keydown", function (evt) { if (evt.key === "Escape") endDrag(); });
  // The click that ends a drag is not a click on the card's link.
  document.addEventListener("click", function (evt) {
    if (justDragged && evt.target.closest("#orgchart .card")) { evt.preventDefault(); evt.stopPropagation(); }
  }, true);
  document.addEventListener("dragstart", function (evt) {
    if (evt.target.closest && evt.target.closest("#orgchart .card")) evt.preventDefault();
  });

  // One of ours: hover or focus lights up their lines and chips.
  function light(evt, on) {
    var who = evt.target.closest && evt.target.closest("#orgchart .ours, #orgchart .chip");
    if (!who) return;
    var svg = who.closest("svg");
    var uid = who.getAttribute("data-user");
    svg.classList.toggle("hl", on);
    svg.querySelectorAll('[data-user="' + uid + '"]').forEach(function (el) { el.classList.toggle("on", on); });
  }
  document.addEventListener("mouseover", function (evt) { light(evt, true); });
  document.addEventListener("mouseout", function (evt) { light(evt, false); });

  // Pan and zoom: a drawing larger than its box gets buttons, ctrl+wheel (or a pinch) zooms,
  // dragging the background pans. Printing shows the whole drawing, fitted to the page.
  function viewer(vp) {
    var svg = vp.querySelector("svg.org-svg");
    if (!svg || vp.dataset.viewer) return;
    var W = +svg.getAttribute("data-w"), H = +svg.getAttribute("data-h");
    var maxH = Math.max(320, Math.round(window.innerHeight * 0.72));
    if (W <= vp.clientWidth) return;  // fits across; a tall one scrolls with the page
    vp.dataset.viewer = "1";
    vp.classList.add("pannable");
    vp.querySelector(".org-zoom").hidden = false;
    svg.setAttribute("width", "100%");
    // As tall as the whole drawing is when it fits across, within a screenful: no empty band below.
    svg.setAttribute("height", Math.round(Math.min(maxH, Math.max(160, H * vp.clientWidth / W))));
    svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    var vb = {x: 0, y: 0, s: 1};
    function box() { return svg.getBoundingClientRect(); }
    function apply() {
      var b = box();
      svg.setAttribute("viewBox", [vb.x, vb.y, b.width / vb.s, b.height / vb.s].map(function (v) { return Math.round(v * 10) / 10; }).join(" "));
    }
    function fit() {
      var b = box();
      vb = {x: 0, y: 0, s: Math.min(b.width / W, b.height / H)};
      apply();
    }
    function zoom(f, cx, cy) {
      var b = box();
      var px = (cx === undefined ? b.width / 2 : cx - b.left), py = (cy === undefined ? b.height / 2 : cy - b.top);
      var ux = vb.x + px / vb.s, uy = vb.y + py / vb.s;
      vb.s = Math.min(3, Math.max(0.05, vb.s * f));
      vb.x = ux - px / vb.s;
      vb.y = uy - py / vb.s;
      apply();
    }
    vp._fit = fit;
    vp.addEventListener("click", function (evt) {
      var btn = evt.target.closest("[data-zoom]");
      if (!btn) return;
      var how = btn.getAttribute("data-zoom");
      if (how === "fit") fit(); else zoom(how === "in" ? 1.25 : 0.8);
    });
    svg.addEventListener("wheel", function (evt) {
      if (!evt.ctrlKey) return;
      evt.preventDefault();
      zoom(evt.deltaY < 0 ? 1.15 : 0.87, evt.clientX, evt.clientY);
    }, {passive: false});
    var pan = null;
    svg.addEventListener("pointerdown", function (evt) {
      if (evt.target.closest(".card") && chart().getAttribute("data-can-move") === "1" && evt.pointerType !== "touch") return;
      pan = {x: evt.clientX, y: evt.clientY, vx: vb.x, vy: vb.y, id: evt.pointerId, on: false};
    });
    svg.addEventListener("pointermove", function (evt) {
      if (!pan || evt.pointerId !== pan.id) return;
      if (!pan.on) {  // a tap stays a tap (it opens a card's picker); only a move pans
        if (Math.abs(evt.clientX - pan.x) + Math.abs(evt.clientY - pan.y) < 5) return;
        pan.on = true;
        svg.setPointerCapture(evt.pointerId);
        svg.classList.add("panning");
      }
      vb.x = pan.vx - (evt.clientX - pan.x) / vb.s;
      vb.y = pan.vy - (evt.clientY - pan.y) / vb.s;
      apply();
    });
    function stop() { pan = null; svg.classList.remove("panning"); }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    fit();
  }
  function viewers(root) { (root || document).querySelectorAll(".org-viewport").forEach(viewer); }
  document.addEventListener("DOMContentLoaded", function () { viewers(); });
  document.addEventListener("htmx:load", function (evt) { viewers(evt.detail.elt); });
  document.addEventListener("toggle", function (evt) {
    if (evt.target.classList && evt.target.classList.contains("org-section") && evt.target.open) viewers(evt.target);
  }, true);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".org-viewport.pannable svg.org-svg").forEach(function (svg) {
      svg.dataset.screenBox = svg.getAttribute("viewBox");
      svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("data-w") + " " + svg.getAttribute("data-h"));
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll(".org-viewport.pannable svg.org-svg").forEach(function (svg) {
      if (svg.dataset.screenBox) svg.setAttribute("viewBox", svg.dataset.screenBox);
    });
  });
})();
