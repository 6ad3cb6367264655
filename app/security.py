"""Security headers and log-in throttling.

The Content-Security-Policy allows only the app's own scripts and styles: there
is no inline script anywhere (htmx is configured from a <meta> tag, confirmations
use data-confirm), so an injected <script> cannot run even if escaping failed.
"""
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

# Failed log-ins per e-mail and per address: slowed first, then refused for a while.
LOGIN_LIMITS = "5 per minute;20 per hour"


def login_email_key():
    """Rate-limit key for the e-mail being tried (whether or not it exists)."""
    return "login-email:" + (request.form.get("email") or "").strip().lower()[:254]


def failed_login(response):
    """Only failed attempts count against the limits."""
    return request.method == "POST" and response.status_code == 422


def init_app(app):
    """Bind the limiter and add the security headers to every response."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)

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
