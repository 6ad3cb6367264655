"""Configuration: one class of defaults, filled from the environment by the factory."""
import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET = "dev-only-not-secret"


class Config:
    """Defaults; `from_env` overrides them from environment variables."""

    SECRET_KEY = DEV_SECRET
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{BASE_DIR / 'instance' / 'kam.sqlite'}"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "zh")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: no lost forms after lunch
    REVIEW_DUE_DAYS = 90
    IMPORT_MAX_BYTES = 32 * 1024 * 1024  # import uploads only (their routes raise the request limit)
    EXPORT_DIR = None  # None: instance/exports
    EXPORT_RETENTION_DAYS = 7
    EXPORT_LEASE_SECONDS = 45  # a running export whose heartbeat is older has lost its worker
    EXPORT_QUEUE_TIMEOUT_MINUTES = 30  # a queued export no worker took by then is given up
    SENT_RECORD_RETENTION_DAYS = 180
    PROXY_FIX_HOPS = 0  # reverse proxies in front whose X-Forwarded-* headers are believed
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024  # request body limit (413 beyond); app/inputguard.py
    PG_PREPARED = True  # read-only transactions end with COMMIT so psycopg keeps prepared statements (app/pgprepared.py)
    PG_PING = "socket"  # the pool's pre-ping asks the socket, no round trip (app/pgprepared.py); "query": SELECT 1
    PG_PARALLEL_WORKERS = 0  # PostgreSQL's max_parallel_workers_per_gather for our sessions (app/__init__.py)
    GC_THRESHOLD = (100_000, 50, 100)  # a server worker's garbage collector thresholds (app/warmup.py); None: Python's
    PDF_WARMUP = True  # render a small PDF when a server worker starts (app/warmup.py)
    PDF_CACHE_MB = 32  # rendered PDFs kept per process by the digest of their HTML (app/pdf.py); 0: none
    GC_FREEZE = True  # freeze the start-up heap out of the garbage collector's passes, then
    TESTING = False
    DEBUG = False

    @classmethod
    def from_env(cls, env=None):
        """Return a dict of settings: class defaults overridden by the environment."""
        env = os.environ if env is None else env
        cfg = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        if env.get("SECRET_KEY"):
            cfg["SECRET_KEY"] = env["SECRET_KEY"]
        if env.get("DATABASE_URL"):
            cfg["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(env["DATABASE_URL"])
        if env.get("DEFAULT_LANGUAGE"):
            cfg["BABEL_DEFAULT_LOCALE"] = env["DEFAULT_LANGUAGE"]
        if env.get("TIMEZONE"):
            cfg["BABEL_DEFAULT_TIMEZONE"] = env["TIMEZONE"]
        if env.get("HTTPS", "").lower() in ("1", "true", "yes"):
            cfg["SESSION_COOKIE_SECURE"] = True
            cfg["REMEMBER_COOKIE_SECURE"] = True
            cfg["PREFERRED_URL_SCHEME"] = "https"
        if env.get("RATELIMIT_STORAGE_URI"):
            cfg["RATELIMIT_STORAGE_URI"] = env["RATELIMIT_STORAGE_URI"]
        if env.get("PROXY_FIX_HOPS"):
            cfg["PROXY_FIX_HOPS"] = _hops(env["PROXY_FIX_HOPS"])
        if env.get("REDIS_URL"):
            cfg["REDIS_URL"] = env["REDIS_URL"]
        if env.get("IMPORT_MAX_MB", "").isdigit():
            cfg["IMPORT_MAX_BYTES"] = int(env["IMPORT_MAX_MB"]) * 1024 * 1024
        cfg.update(notify_settings(env))
        if env.get("HUEY_SQLITE"):
            cfg["HUEY_SQLITE"] = env["HUEY_SQLITE"]
        if env.get("EXPORT_DIR"):
            cfg["EXPORT_DIR"] = env["EXPORT_DIR"]
        for name in ("EXPORT_RETENTION_DAYS", "EXPORT_LEASE_SECONDS", "EXPORT_QUEUE_TIMEOUT_MINUTES",
                     "SENT_RECORD_RETENTION_DAYS"):
            if env.get(name, "").strip().isdigit():
                cfg[name] = int(env[name])
        if env.get("MAX_CONTENT_LENGTH_MB"):  # the request body limit, in MB
            cfg["MAX_CONTENT_LENGTH"] = int(float(env["MAX_CONTENT_LENGTH_MB"]) * 1024 * 1024)
        if env.get("PDF_CACHE_MB", "").strip():
            cfg["PDF_CACHE_MB"] = _megabytes("PDF_CACHE_MB", env["PDF_CACHE_MB"])
        if env.get("PG_PARALLEL_WORKERS", "").strip().isdigit():
            cfg["PG_PARALLEL_WORKERS"] = int(env["PG_PARALLEL_WORKERS"])
        if env.get("GC_THRESHOLD", "").strip():
            cfg["GC_THRESHOLD"] = _gc_threshold(env["GC_THRESHOLD"])
        if env.get("PG_PING", "").strip() in ("socket", "query"):
            cfg["PG_PING"] = env["PG_PING"].strip()
        for name in ("PDF_WARMUP", "GC_FREEZE", "PG_PREPARED"):
            if env.get(name, "").strip() in ("0", "false", "no"):
                cfg[name] = False
        if env.get("FLASK_DEBUG", "") in ("1", "true"):
            cfg["DEBUG"] = True
        return cfg


def notify_settings(env):
    """Mail (Flask-Mailman), absolute links, outbound webhooks: only what the environment sets."""
    out = {}
    for key in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "BASE_URL",
                "MAIL_OUTBOX_DIR"):
        if env.get(key):
            out[key] = env[key]
    if env.get("MAIL_PORT", "").isdigit():
        out["MAIL_PORT"] = int(env["MAIL_PORT"])
    for key in ("MAIL_USE_TLS", "MAIL_USE_SSL", "WEBHOOK_ALLOW_PRIVATE"):
        if env.get(key, "").lower() in ("1", "true", "yes"):
            out[key] = True
    return out
def _hops(value):
    """PROXY_FIX_HOPS as a small whole number; a typo stops the app rather than trusting spoofs."""
    try:
        hops = int(value)
    except ValueError:
        hops = -1
    if not 0 <= hops <= 5:
        raise RuntimeError(f"PROXY_FIX_HOPS must be a number of proxies from 0 to 5, not {value!r}.")
    return hops


def _gc_threshold(value):
    """GC_THRESHOLD: "0" or "default" for Python's own thresholds (None), else 1-3 whole numbers
    ("100000,50,100"); anything else stops the app with a message."""
    value = value.strip().lower()
    if value in ("0", "default", "off", "no"):
        return None
    try:
        parts = tuple(int(p) for p in value.split(","))
    except ValueError:
        parts = ()
    if not 1 <= len(parts) <= 3 or any(p <= 0 for p in parts):
        raise RuntimeError(f"GC_THRESHOLD must be up to three positive numbers such as 100000,50,100, not {value!r}.")
    return parts


def _megabytes(name, value):
    """A size in MB (0 or more, fractions allowed); anything else stops the app with a message."""
    try:
        mb = float(value)
    except ValueError:
        mb = -1
    if not 0 <= mb < 1e6:
        raise RuntimeError(f"{name} must be a number of megabytes (0 or more), not {value!r}.")
    return mb


def normalise_db_url(url):
    """Let `postgresql://` and `postgres://` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class TestConfig(Config):
    """Settings for the test suite; the database URL is given by the fixture."""

    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = True
    SERVER_NAME = None
    # Mails in tests go to a scratch outbox, never to instance/ (tests that read it set their own).
    MAIL_OUTBOX_DIR = str(Path(tempfile.gettempdir()) / "kam-test-outbox")
