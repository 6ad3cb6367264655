"""A whole quarter's reviews as one ZIP file, built by a queue worker that reports progress.

The web request only writes a job row and enqueues the `build_export` task
(app/reviews/jobs.py); a consumer worker renders the PDFs into a file under EXPORT_DIR
(instance/exports by default), so rendering dozens of PDFs never ties up a web worker and
no more exports run at once than the consumer has workers. The page polls the job row.

A user has at most one active (queued or running) export: a second click is shown the
running one. The worker renews the job's heartbeat after every review; a running job
whose heartbeat is older than EXPORT_LEASE_SECONDS lost its worker (killed, out of
memory, machine restarted) and is marked failed by the next progress poll or by the
`export-sweep` job, whichever comes first, so the page offers a retry within a minute.
"""
import logging
import os
import secrets
import time
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Account
from app.extensions import db
from app.reviews import quarters
from app.reviews.models import ExportJob
from app.reviews.pdf import PAPERS, render_review_pdf
from app.reviews.services import ReviewError, check_quarter
from app.team.models import Membership
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l
from app.vocab import TIERS

log = logging.getLogger(__name__)

# Error codes the job card translates; any other error text is shown as it is.
WORKER_LOST = "worker-lost"
NEVER_STARTED = "never-started"


class Abandoned(Exception):
    """The job is no longer ours to finish (marked failed after its lease ran out)."""


def scope_accounts(user, scope):
    """The live accounts of an export: the user's own (or all, for admins) or those of one tier."""
    stmt = db.select(Account).where(Account.archived_at.is_(None)).order_by(Account.name)
    if not user.is_admin:
        stmt = stmt.where(Account.id.in_(db.select(Membership.account_id).where(
            Membership.user_id == user.id, Membership.left_on.is_(None))))
    if scope != "mine":
        stmt = stmt.where(Account.tier == scope)
    return db.session.scalars(stmt).all()


def active_job(user):
    """The user's queued or running export (after giving up on a dead one), or None."""
    expire_stale(user_id=user.id)
    return db.session.scalar(db.select(ExportJob).where(ExportJob.active_user_id == user.id))


def start_export(user, quarter, scope="mine", paper="a4", lang=None):
    """(job, created): a new export queued for the worker, or the user's active one (created False)."""
    quarter = check_quarter(quarter)
    if scope != "mine" and scope not in TIERS:
        raise ReviewError(_l("Choose your accounts or a tier."))
    if paper not in PAPERS:
        raise ReviewError(_l("Choose A4 or Letter."))
    running = active_job(user)
    if running is not None:
        return running, False
    total = len(scope_accounts(user, scope))
    if not total:
        raise ReviewError(_l("No accounts to export in this selection."))
    job = ExportJob(user_id=user.id, active_user_id=user.id, quarter=quarter, scope=scope, paper=paper,
                    lang=lang if lang in ("en", "zh") else (user.language or "en"), total=total)
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:  # a second click at the same instant: its job is the one
        db.session.rollback()
        return db.session.scalar(db.select(ExportJob).where(ExportJob.active_user_id == user.id)), False
    from app.reviews.jobs import build_export
    build_export(job.id)
    return db.session.get(ExportJob, job.id), True


def export_dir():
    """Where finished ZIPs are kept (made on first use)."""
    path = Path(current_app.config.get("EXPORT_DIR") or Path(current_app.instance_path) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(job):
    """The finished ZIP of a job, or None when it has none (not done, or removed)."""
    if not job.file_name:
        return None
    path = export_dir() / job.file_name
    return path if path.is_file() else None


def filename(account, quarter):
    """The file name inside the ZIP: the account's name as written (zipfile flags it UTF-8), then the quarter."""
    from app.reviews.names import review_filename

    return review_filename(account.name, quarter)


def _update_running(job_id, **values):
    """Change a job only while it is still running (ours); False if someone gave up on it."""
    result = db.session.execute(db.update(ExportJob).where(
        ExportJob.id == job_id, ExportJob.status == "running").values(**values))
    db.session.commit()
    return result.rowcount == 1


def run_job(job_id):
    """Render every review of the job into a ZIP file, renewing the lease after each account.

    Runs in a consumer worker (immediately, in-process, under tests). A job that is not
    queued any more (a second delivery of the task, a job given up on) is left alone.
    """
    from app.auth.models import User

    now = utcnow()
    taken = db.session.execute(db.update(ExportJob).where(
        ExportJob.id == job_id, ExportJob.status == "queued").values(
        status="running", done=0, started_at=now, heartbeat_at=now)).rowcount == 1
    db.session.commit()
    job = db.session.get(ExportJob, job_id)
    if not taken:
        return job
    user = db.session.get(User, job.user_id)
    quarter, paper, lang = job.quarter, job.paper, job.lang
    final = export_dir() / f"reviews-{quarter}-{job_id}-{secrets.token_hex(4)}.zip"  # ids may be reused
    part = final.with_suffix(".part")
    try:
        accounts = scope_accounts(user, job.scope)
        if not _update_running(job_id, total=len(accounts), heartbeat_at=utcnow()):
            raise Abandoned
        with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED) as zf:  # PDFs are compressed already
            for done, account in enumerate(accounts, 1):
                zf.writestr(filename(account, quarter), render_review_pdf(account, user, quarter, paper, lang))
                if not _update_running(job_id, done=done, heartbeat_at=utcnow()):
                    raise Abandoned
        os.replace(part, final)
        if not _update_running(job_id, status="done", file_name=final.name, size=final.stat().st_size,
                               finished_at=utcnow(), active_user_id=None):
            final.unlink(missing_ok=True)
    except Abandoned:
        db.session.rollback()
        part.unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001  (any failure is reported on the job, not lost)
        log.exception("export %s failed", job_id)
        db.session.rollback()
        part.unlink(missing_ok=True)
        _update_running(job_id, status="failed", error=str(exc)[:500] or type(exc).__name__,
                        finished_at=utcnow(), active_user_id=None)
    db.session.expire_all()
    return db.session.get(ExportJob, job_id)


def expire_stale(job_id=None, user_id=None, now=None):
    """Mark failed the running jobs whose lease ran out and the queued ones no worker took.

    Limited to one job or one user's jobs when given (the progress poll, the page), all
    jobs otherwise (the `export-sweep` job). Returns how many were given up. Commits.
    """
    now = now or utcnow()
    cfg = current_app.config
    lease = now - timedelta(seconds=cfg.get("EXPORT_LEASE_SECONDS", 45))
    waited = now - timedelta(minutes=cfg.get("EXPORT_QUEUE_TIMEOUT_MINUTES", 30))
    count = 0
    for status, cutoff_col, cutoff, code in (("running", ExportJob.heartbeat_at, lease, WORKER_LOST),
                                             ("queued", ExportJob.created_at, waited, NEVER_STARTED)):
        stmt = db.update(ExportJob).where(ExportJob.status == status, cutoff_col < cutoff)
        if job_id is not None:
            stmt = stmt.where(ExportJob.id == job_id)
        if user_id is not None:
            stmt = stmt.where(ExportJob.user_id == user_id)
        count += db.session.execute(stmt.values(status="failed", error=code, finished_at=now,
                                                active_user_id=None)).rowcount
    db.session.commit()
    if count:
        log.warning("gave up on %d export job(s) without a live worker", count)
    return count


def remove_old_exports(now=None):
    """Delete ZIPs finished more than EXPORT_RETENTION_DAYS ago (their jobs become 'expired'),
    and files no job points to that are over a day old; the number of files removed. Commits."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config.get("EXPORT_RETENTION_DAYS", 7))
    folder = export_dir()
    old = db.session.scalars(db.select(ExportJob).where(
        ExportJob.status == "done", ExportJob.finished_at < cutoff)).all()
    removed = 0
    for job in old:
        if job.file_name and (folder / job.file_name).is_file():
            (folder / job.file_name).unlink()
            removed += 1
        job.status, job.file_name = "expired", None
    db.session.commit()
    kept = set(db.session.scalars(db.select(ExportJob.file_name).where(ExportJob.file_name.is_not(None))))
    stray_before = time.time() - 86400
    for path in folder.iterdir():
        if path.is_file() and path.name not in kept and path.stat().st_mtime < stray_before:
            path.unlink()  # a partial file of a dead worker, or a ZIP whose job row is gone
            removed += 1
    return removed


def job_of(user, job_id):
    """The user's own job (admins: any), or None; a running one whose lease ran out is failed first."""
    job = db.session.get(ExportJob, job_id)
    if job is None or (job.user_id != user.id and not user.is_admin):
        return None
    if not job.finished and expire_stale(job_id=job.id):
        db.session.refresh(job)
    return job


def recent_jobs(user, limit=5):
    """The user's latest export jobs (a dead active one already shown as failed)."""
    expire_stale(user_id=user.id)
    return db.session.scalars(db.select(ExportJob).where(ExportJob.user_id == user.id)
                              .order_by(ExportJob.id.desc()).limit(limit)).all()


def default_quarter():
    """The quarter a manager usually exports: the one just ended."""
    return quarters.shift(quarters.current(), -1)
