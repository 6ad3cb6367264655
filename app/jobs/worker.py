"""The consumer's entry point: `huey_consumer app.jobs.worker.huey -w 2`.

Builds the app from the environment (as wsgi.py does) and registers every job.
"""
from app import create_app
from app.jobs import huey, load_jobs

app = create_app()
load_jobs()

__all__ = ["app", "huey"]
