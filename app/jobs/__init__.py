"""The job queue: one Huey instance, bound to the app's settings in the factory.

SqliteHuey in `instance/huey.sqlite` by default (no extra service), RedisHuey when
REDIS_URL is set, immediate mode (tasks run at once, in memory) under tests.
Work that outlives a request is a task here, never a thread or a subprocess started
by a view. Features put their tasks and periodic jobs in `app/<feature>/jobs.py`;
`load_jobs()` imports them all, so the consumer and `flask jobs` see the same set.
The consumer: `huey_consumer app.jobs.worker.huey -w 2` (the Procfile's `worker:` line).
"""
import functools
import importlib
from pathlib import Path

from flask import current_app, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

# Created unbound (immediate, in memory) so modules can decorate tasks at import time;
# `init_app` points it at the configured storage. utc=True: crontabs are read in UTC, so a
# job that depends on a local calendar (quarter close, Monday morning) checks the zone itself.
huey = Huey("kam", immediate=True, utc=True)

APP_DIR = Path(__file__).resolve().parents[1]
_flask_app = None  # the app the consumer runs tasks in (set by init_app)


def init_app(app):
    """Point the queue at the app's storage: immediate (tests), Redis, or SQLite in instance/."""
    global _flask_app
    _flask_app = app
    kind, kwargs = storage_for(app)
    if kind is None:
        huey.immediate = True
        return
    huey.storage_class, huey.storage_kwargs = kind, kwargs
    huey._immediate = False
    huey.storage = huey.create_storage()


def storage_for(app):
    """(storage class, its arguments) the settings ask for; (None, {}) for immediate mode."""
    cfg = app.config
    if cfg.get("HUEY_IMMEDIATE", app.testing):
        return None, {}
    if cfg.get("REDIS_URL"):
        return RedisStorage, {"url": cfg["REDIS_URL"]}
    path = cfg.get("HUEY_SQLITE") or str(Path(app.instance_path) / "huey.sqlite")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteStorage, {"filename": path}


def describe():
    """Where the queue lives, in words (for `flask jobs list` and the logs)."""
    if huey.immediate:
        return "immediate (tasks run in the calling process)"
    storage = huey.storage
    if isinstance(storage, RedisStorage):
        kw = storage.conn.connection_pool.connection_kwargs
        return f"Redis {kw.get('host', '?')}:{kw.get('port', '?')}/{kw.get('db', 0)}"
    return f"SQLite {getattr(storage, 'filename', '?')}"


def in_app_context(func):
    """Run a task body inside the Flask app's context (the consumer has none of its own).

    A context pushed here is popped after the task, which also ends its database session,
    so a worker thread never carries one task's session into the next.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        with _flask_app.app_context():
            return func(*args, **kwargs)
    return wrapper


def task(**options):
    """`@task(retries=3, retry_delay=10)`: a Huey task that runs in the app's context."""
    def decorator(func):
        return huey.task(name=func.__name__, **options)(in_app_context(func))  # huey adds the module
    return decorator


# name -> (function, schedule in words, one-line description)
JOBS = {}


def periodic(name, schedule, when, description=None):
    """Register a periodic job: run by the consumer on `schedule` (a huey crontab) and by
    `flask jobs run NAME` at once. Jobs must be idempotent: they may run more than once
    (use `app.jobs.sent.claim_once(key)` for anything sent to a person)."""
    def decorator(func):
        body = in_app_context(func)
        JOBS[name] = (body, when, description or (func.__doc__ or "").strip().splitlines()[0])
        huey.periodic_task(schedule, name=f"periodic.{name}")(body)
        return func
    return decorator


def load_jobs():
    """Import every feature's `jobs.py`, so all tasks and periodic jobs are registered."""
    for path in sorted(APP_DIR.glob("*/jobs.py")):
        importlib.import_module(f"app.{path.parent.name}.jobs")
    return JOBS


def app():
    """The Flask app tasks run in (the consumer's), or the current one."""
    return current_app._get_current_object() if has_app_context() else _flask_app


def workspace_zone():
    """The workspace's time zone as a ZoneInfo, for calendar-bound jobs: the admin's choice
    (Users › Workspace time zone), else the TIMEZONE setting, else UTC."""
    from zoneinfo import ZoneInfo

    from app.timezones import workspace_default

    with app().app_context():
        return ZoneInfo(workspace_default())
