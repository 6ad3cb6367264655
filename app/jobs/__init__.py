"""The job queue: one Huey instance, bound to the app's settings in the factory.

SqliteHuey in `instance/huey.sqlite` by default (no extra service), RedisHuey when
REDIS_URL is set, immediate mode (tasks run at once, in memory) under tests.
Work that outlives a request is a task here, never a thread or a subprocess started
by a view. Features put their tasks and periodic jobs in `app/<feature>/jobs.py`;
`load_jobs()` imports them all, so the consumer and `flask jobs` see the same set.
"""
import functools
import importlib
from pathlib import Path

from flask import current_app, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

# Created unbound (immediate, in memory) so modules can decorate tasks at import time;
# `init_app` points it at the configured storage.
huey = Huey("kam", immediate=True, utc=True)

APP_DIR = Path(__file__).resolve().parents[1]
_flask_app = None  # the app the consumer runs tasks in (set by init_app outside requests)


def init_app(app):
    """Point the queue at the app's storage: Redis, SQLite in instance/, or immediate."""
    global _flask_app
    _flask_app = app
    cfg = app.config
    if cfg.get("HUEY_IMMEDIATE", app.testing):
        huey.immediate = True
        return
    if cfg.get("REDIS_URL"):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": cfg["REDIS_URL"]}
    else:
        path = cfg.get("HUEY_SQLITE") or str(Path(app.instance_path) / "huey.sqlite")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": path}
    huey._immediate = False
    huey.storage = huey.create_storage()


def in_app_context(func):
    """Run a task body inside the Flask app's context (the consumer has none of its own)."""
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
        return huey.task(name=f"{func.__module__}.{func.__name__}", **options)(in_app_context(func))
    return decorator


# name -> (function, schedule in words, one-line description)
JOBS = {}


def periodic(name, schedule, when, description=None):
    """Register a periodic job: run by the consumer on `schedule` (a huey crontab) and by
    `flask jobs run NAME` at once. Jobs must be idempotent: they may run more than once."""
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
