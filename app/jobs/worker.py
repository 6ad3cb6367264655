"""The consumer's entry point: `huey_consumer app.jobs.worker.huey -w 2` (the Procfile's `worker:`).

Builds the app from the environment (as wsgi.py does: the same DATABASE_URL, REDIS_URL,
SECRET_KEY) and registers every feature's tasks and periodic jobs. Run one consumer with
periodic jobs; on further servers add `--no-periodic` (`-n`): the jobs are idempotent, but
there is no need to run them twice.
"""
from app import create_app
from app.jobs import huey, load_jobs

app = create_app()
load_jobs()

__all__ = ["app", "huey"]
