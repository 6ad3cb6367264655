"""Security headers and log-in throttling.

The Content-Security-Policy allows only the app's own scripts and styles: there
is no inline script anywhere (htmx is configured from a <meta> tag, confirmations
use data-confirm), so an injected <script> cannot run even if escaping failed.
"""
import time
from functools import partial

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri="memory://",
                  strategy="moving-window")

# Failed log-ins per (address, e-mail) pair. Not per address alone: behind the company's proxy
# (or NAT) everyone shares one address, and a handful of typos would lock everybody out. Not per
# e-mail alone: anyone could then lock a colleague out by typing their e-mail wrongly on purpose.
# So a correct password is only ever refused after failures for the same e-mail from the same
# address. PROXY_FIX_HOPS makes "address" the client's, not the proxy's.
LOGIN_LIMITS = "5 per minute;20 per hour"


def _login_key(address, email):
    return f"login:{address or '-'}:{(email or '').strip().lower()[:254]}"


def login_wait(address, email):
    """Seconds until this address may try this e-mail again (0: it may now)."""
    from limits import parse_many

    if not limiter.enabled:
        return 0
    strategy, key, wait = limiter.limiter, _login_key(address, email), 0.0
    for item in parse_many(LOGIN_LIMITS):
        if not strategy.test(item, key):
            reset_at, _remaining = strategy.get_window_stats(item, key)
            wait = max(wait, reset_at - time.time())
    return max(int(wait + 0.999), 1) if wait > 0 else 0


def count_failed_login(address, email):
    """One more failure for this address and e-mail."""
    from limits import parse_many

    if limiter.enabled:
        for item in parse_many(LOGIN_LIMITS):
            limiter.limiter.hit(item, _login_key(address, email))


def _drop_idle_limiter_hooks(app):
    """Flask-Limiter checks every request against decorator, default and application limits,
    and writes rate headers on every response. This app has none of them (the log-in throttle
    above counts by hand, LOGIN_LIMITS), so the two hooks only cost time, 50 µs a request
    (issue 22). They stay when a route is marked with `@limiter.limit` or limits are configured."""
    if limiter._marked_for_limiting or limiter.limit_manager.default_limits or limiter.limit_manager.application_limits:
        return
    before = app.before_request_funcs.get(None, [])
    before[:] = [f for f in before if f != limiter._check_request_limit]
    after = app.after_request_funcs.get(None, [])
    after[:] = [f for f in after if not (isinstance(f, partial) and f.args[:1] == (limiter,))]


def init_app(app):
    """Bind the limiter and add the security headers to every response."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
    _drop_idle_limiter_hooks(app)
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops > 0:
        # The reverse proxy's X-Forwarded-For/-Proto/-Host/-Port are believed for `hops` proxies,
        # so request.remote_addr is the person's address (what throttling counts).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    @app.after_request
    def security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def local_path(target, default=None):
    """`target` if it is a path on this site, else `default` (the home page).

    Every redirect to a URL a request names (`next` after log-in, the language switch) goes
    through here. Refused: anything not starting with one "/", a second "/" or a backslash
    there (browsers read `/\\host` and `//host` as another site), a backslash or a control
    character anywhere (browsers drop tabs and newlines, so `/\\t/host` becomes `//host`),
    and anything with a scheme or host.
    """
    from urllib.parse import urlsplit

    from flask import url_for

    fallback = default or url_for("main.home")
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return fallback
    if target[1:2] in ("/", "\\") or "\\" in target:
        return fallback
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 or ch in "\u2028\u2029\ufeff" for ch in target):
        return fallback
    try:
        parts = urlsplit(target)
    except ValueError:
        return fallback
    if parts.scheme or parts.netloc:
        return fallback
    return target
