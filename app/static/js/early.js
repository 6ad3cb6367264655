// Runs before the page paints: marks that scripts run, so the phone menu may start folded
// (without scripts it stays open and every link is reachable).
document.documentElement.classList.add("js");
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); });
}
