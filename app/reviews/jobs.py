"""The quarter export as a queue task, and the sweep that gives up on exports whose worker died."""
from huey import crontab

from app.jobs import periodic, task
from app.reviews import export


@task()
def build_export(job_id):
    """Build one export job's ZIP (enqueued by `export.start_export`)."""
    job = export.run_job(job_id)
    return job.status if job is not None else None


@periodic("export-sweep", crontab(minute="*"), "every minute")
def export_sweep():
    """Mark exports whose worker died (lease older than EXPORT_LEASE_SECONDS) as failed."""
    return f"{export.expire_stale()} export(s) given up"
