"""Installable on a phone: the web app manifest, a service worker and the offline page.

The worker lives at the site's root (its scope is the path it is served from) and does
one thing: when a page cannot be fetched because the network is gone, it answers the
offline page it cached when it was installed. It caches nothing else, so nobody ever
reads a stale account page.
"""
from flask import current_app, jsonify, render_template, url_for

from app.main import bp
from app.translate import gettext as _

THEME = "#17324f"
OFFLINE_CACHE = "kam-offline-v1"


@bp.route("/manifest.webmanifest")
def manifest():
    """What "Add to home screen" needs: names, icons, colours, full-screen start."""
    data = {
        "name": _("Key-account workspace"), "short_name": _("Key accounts"),
        "start_url": url_for("main.home"), "scope": "/", "display": "standalone",
        "background_color": "#f4f6f9", "theme_color": THEME,
        "icons": [
            {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": url_for("static", filename="icons/icon-maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
            {"src": url_for("static", filename="icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = jsonify(data)
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope is the whole site."""
    response = current_app.response_class(
        render_template("main/sw.js", cache=OFFLINE_CACHE, offline=url_for("main.offline")),
        mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline():
    """Shown by the service worker when there is no network."""
    return render_template("main/offline.html")
