"""Fragment-or-page rendering for htmx, and redirects htmx can follow."""
import json

from flask import flash, g, make_response, redirect, render_template, request


def is_htmx():
    """A real htmx swap request (not boosted navigation, not a history restore)."""
    h = request.headers
    return (
        h.get("HX-Request") == "true"
        and h.get("HX-Boosted") != "true"
        and h.get("HX-History-Restore-Request") != "true"
    )


def render(page_template, fragment=None, status=200, **context):
    """Render the fragment template for htmx swaps, the full page otherwise."""
    template = fragment if fragment and is_htmx() else page_template
    return make_response(render_template(template, **context), status)


def render_fragment(fragment, status=200, **context):
    """Render a fragment for htmx (only htmx calls these endpoints with 200 bodies)."""
    return make_response(render_template(fragment, **context), status)


def redirect_to(url):
    """A redirect for a normal request; `HX-Redirect` for htmx, which ignores 3xx."""
    if request.headers.get("HX-Request") == "true":
        resp = make_response("", 204)
        resp.headers["HX-Redirect"] = url
        return resp
    return redirect(url)


def saved(message):
    """Say a save worked, the same way everywhere: a flash after a plain post's redirect, and for
    htmx an `HX-Trigger: kam:saved` event that app.js shows as the same kind of notice."""
    if is_htmx():
        g.setdefault("saved_messages", []).append(str(message))
    else:
        flash(str(message))


def add_saved_trigger(response):
    """after_request: hand the saved messages of an htmx request to the page (ASCII-safe JSON)."""
    messages = g.pop("saved_messages", None)
    if messages and response.status_code < 300:
        triggers = json.loads(response.headers.get("HX-Trigger", "{}") or "{}")
        triggers["kam:saved"] = {"message": " ".join(messages)}
        response.headers["HX-Trigger"] = json.dumps(triggers)
    return response
