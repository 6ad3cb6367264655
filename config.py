"""Configuration: one class of defaults, filled from the environment by the factory."""
import os
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
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024  # request body limit (413 beyond); app/inputguard.py
    IMPORT_MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # the same for the CSV import
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
        if env.get("REDIS_URL"):
            cfg["REDIS_URL"] = env["REDIS_URL"]
        for name in ("MAX_CONTENT_LENGTH", "IMPORT_MAX_CONTENT_LENGTH"):  # in MB: request body limits
            if env.get(name + "_MB"):
                cfg[name] = int(float(env[name + "_MB"]) * 1024 * 1024)
        if env.get("FLASK_DEBUG", "") in ("1", "true"):
            cfg["DEBUG"] = True
        return cfg


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
