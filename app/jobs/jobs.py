"""The queue's own jobs: `cleanup` (daily) and `ping` (a task that proves a worker is alive)."""
from datetime import timedelta

from flask import current_app
from huey import crontab

from app.extensions import db
from app.jobs import periodic, task
from app.jobs.sent import claim_once, forget_older_than
from app.timeutil import utcnow


@task()
def ping(key):
    """Record `key` as sent and answer "pong": `flask jobs ping` and the tests use it."""
    claim_once(key)
    db.session.commit()
    return "pong"


@periodic("cleanup", crontab(hour="3", minute="17"), "daily at 03:17 UTC")
def cleanup():
    """Remove export files past EXPORT_RETENTION_DAYS and sent-records past SENT_RECORD_RETENTION_DAYS."""
    from app.reviews.export import remove_old_exports

    now = utcnow()
    files = remove_old_exports(now)
    days = current_app.config.get("SENT_RECORD_RETENTION_DAYS", 180)
    records = forget_older_than(now - timedelta(days=days))
    db.session.commit()
    return f"{files} export file(s), {records} sent-record(s) removed"
