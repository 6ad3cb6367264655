"""The key-account workspace: application factory."""
import importlib
import os

from flask import g, request, session
from flask_login import current_user

from app.extensions import babel, csrf, db, login, migrate
from app.foldlabels import LabelEnvironment
from app.urls import App
from config import DEV_SECRET, Config

# One line per feature; each module has a Blueprint named `bp`.
BLUEPRINTS = (
    "app.main",
    "app.auth",
    "app.accounts",
    "app.team",
    "app.audit.routes",
    "app.actions",
    "app.stakeholders",
    "app.complaints",
    "app.meetings",
    "app.selection",
    "app.plans",
    "app.reviews",
    "app.health",
    "app.sheets",
    "app.imports",
    "app.notify",
    "app.profile",
    "app.search",
)


def create_app(config=None):
    """Build the app: config, extensions, blueprints, CLI, error pages. No side effects."""
    app = App(__name__, instance_relative_config=True)
    app.jinja_environment = LabelEnvironment  # labels translated at compile time (app/foldlabels.py)
    app.config.from_mapping(Config.from_env() if config is None else _as_mapping(config))
    _refuse_weak_secret(app)
    _postgres_session_settings(app)

    db.init_app(app)
    _keep_prepared_statements(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"), render_as_batch=True)
    login.init_app(app)
    csrf.init_app(app)
    from app.i18n import catalog_dirs
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(catalog_dirs()))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    from app import models  # noqa: F401  (every model registered for Alembic)

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)

    from app import cli, errors, inputguard, jobs, security, templating
    inputguard.init_app(app)
    jobs.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)

    @app.after_request
    def vary_on_htmx(response):
        """Pages and fragments share URLs: caches must key on HX-Request."""
        response.vary.add("HX-Request")
        return response

    from app.htmx import add_saved_trigger
    app.after_request(add_saved_trigger)  # every save says it saved, the same way (app/htmx.py)

    return app


def _postgres_session_settings(app):
    """PostgreSQL sessions without parallel query (PG_PARALLEL_WORKERS, default 0).

    The pages' statements take a few milliseconds; for the health UNION ALL PostgreSQL chose a
    parallel plan whose workers cost 4-5x the query on a busy 2-core server (21 ms against 4).
    Set PG_PARALLEL_WORKERS to the server's own value to let it choose again."""
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
    workers = app.config.get("PG_PARALLEL_WORKERS", 0)
    if not uri.startswith("postgresql") or workers is None:
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    setting = f"-c max_parallel_workers_per_gather={int(workers)}"
    connect_args["options"] = f"{connect_args['options']} {setting}" if connect_args.get("options") else setting
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _keep_prepared_statements(app):
    """On PostgreSQL, read-only transactions end with COMMIT so psycopg keeps its prepared
    statements (app/pgprepared.py); PG_PREPARED=0 turns it off. The pool's pre-ping asks the
    socket, not the server (PG_PING=query: SQLAlchemy's SELECT 1)."""
    if not str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        return
    from app import pgprepared
    with app.app_context():
        if app.config.get("PG_PING", "socket") != "query":
            pgprepared.install_ping(db.engine)
        if app.config.get("PG_PREPARED", True):
            pgprepared.install(db.engine)


def _as_mapping(config):
    if isinstance(config, dict):
        return config
    return {k: getattr(config, k) for k in dir(config) if k.isupper()}


def _refuse_weak_secret(app):
    """Outside debug and tests, a missing or default SECRET_KEY stops the app."""
    if app.debug or app.testing:
        return
    key = app.config.get("SECRET_KEY")
    if not key or key == DEV_SECRET or len(key) < 16:
        raise RuntimeError(
            "SECRET_KEY is not set to a real secret. Set the SECRET_KEY environment "
            "variable (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
        )


def select_locale():
    """The user's chosen language, else the browser's best match, else the default."""
    from flask import current_app, has_request_context

    langs = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI, demo data: the configured default
        return default
    if current_user and current_user.is_authenticated and current_user.language in langs:
        return current_user.language
    if request.args.get("lang") in langs:  # the log-in page's language links
        session["lang"] = request.args["lang"]
    if session.get("lang") in langs:
        return session["lang"]
    best = request.accept_languages.best_match(langs + ("zh-CN", "zh-Hans", "zh-TW"))
    if best:
        return "zh" if best.startswith("zh") else best
    return default


def select_timezone():
    """The reader's zone: their own (set on /me), else the workspace default, else TIMEZONE."""
    from flask import has_request_context

    from app.timezones import workspace_default, zone_of

    if g.get("timezone"):  # a caller rendering for someone else (the PDF worker)
        return g.timezone
    if has_request_context() and current_user and current_user.is_authenticated:
        return zone_of(current_user)
    return workspace_default()
