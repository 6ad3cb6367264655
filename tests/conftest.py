"""Shared fixtures: an app on a fresh database, clients logged in per role, htmx headers.

The database is SQLite in a temporary file unless TEST_DATABASE_URL names another
(CI runs the suite again on PostgreSQL that way). The schema is made once per
session; every test starts from empty tables.
"""
import os
import secrets
import tempfile

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestConfig, normalise_db_url
from tests import factories
from tests.snapshot import empty_tables

HX = {"HX-Request": "true"}


def _cache_url_builders():
    """Every test makes its own app, and werkzeug compiles each of its ~700 URL rules into two
    Python functions (a tenth of a second per app). The function depends only on the rule's
    parsed parts and defaults, so the suite compiles each once per worker and reuses it."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    cache = {}

    def cached(self, append_unknown=True):
        key = (self.rule, tuple(self._trace), append_unknown,
               repr(sorted((self.defaults or {}).items())),
               tuple(sorted((name, type(c)) for name, c in self._converters.items())))
        fn = cache.get(key)
        if fn is None:
            fn = cache[key] = compile_builder(self, append_unknown)
        return fn

    Rule._compile_builder = cached


_cache_url_builders()
ROLES = ("admin", "kam", "member", "sponsor", "observer", "outsider", "anonymous")


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalise_db_url(url)
        worker = getattr(request.config, "workerinput", {}).get("workerid")
        return _worker_database(url, worker) if worker else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _worker_database(url, worker):
    """Under pytest-xdist each worker empties tables as it goes, so each gets its own
    PostgreSQL database beside the named one (`test_gw0`, ...), created on first use."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def make_config(database_url, **extra):
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg["SQLALCHEMY_DATABASE_URI"] = database_url
    cfg["EXPORT_DIR"] = os.path.join(tempfile.gettempdir(), f"kam-test-exports-{os.getpid()}")  # not instance/
    cfg.update(extra)
    return cfg


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the schema once per session, from the models."""
    app = create_app(make_config(database_url))
    with app.app_context():
        db.drop_all()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()
    return database_url


class CsrfClient(FlaskClient):
    """A test client that sends a valid CSRF token header on writes, as the page's htmx does.

    `client.csrf = False` turns that off, for the tests that prove CSRF is enforced.
    """

    csrf = True

    def open(self, *args, **kwargs):
        method = kwargs.get("method") or "GET"
        if self.csrf and method.upper() not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        # Each request gets its own app context, as in production: its own `g` (Flask-Login
        # caches the user there) and its own database session, not the test's.
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self):
        """The signed form of this session's CSRF token (made if the session has none)."""
        with self.session_transaction() as sess:
            raw = sess.setdefault("csrf_token", secrets.token_hex(20))
        app = self.application
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def login(self, user):
        """Log in as `user` without the form (the auth tests use the form)."""
        with self.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
        return self


@pytest.fixture
def app(_schema):
    app = create_app(make_config(_schema))
    app.test_client_class = CsrfClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def hx():
    return dict(HX)


class World:
    """Account A with one user per team role, plus an admin, an outsider and account B."""

    def __init__(self):
        self.account = factories.make_account("华东精密 East China Precision")
        self.other = factories.make_account("Other Account")
        self.users = {
            "admin": factories.make_user("Ada Admin", is_admin=True, seniority="manager"),
            "kam": factories.make_user("Kim KAM", seniority="manager"),
            "member": factories.make_user("Mo Member"),
            "sponsor": factories.make_user("Vic VP", seniority="vp"),
            "observer": factories.make_user("Olga Observer"),
            "outsider": factories.make_user("Otto Outsider"),
        }
        self.memberships = {
            role: factories.make_member(self.account, self.users[role], role=role)
            for role in ("kam", "member", "sponsor", "observer")
        }
        # Account B has its own team, so its objects exist for cross-account checks.
        self.other_kam = factories.make_member(self.other, self.users["outsider"], role="kam")


@pytest.fixture
def world(app):
    return World()


@pytest.fixture
def as_role(app, world):
    """as_role("kam") -> a client logged in as that role of the world's account."""
    def make(role):
        c = app.test_client()
        if role != "anonymous":
            c.login(world.users[role])
        return c
    return make
