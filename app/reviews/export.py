"""A whole quarter's reviews as one ZIP, built by a separate worker process that reports progress.

The web request only writes a job row and starts `python -m app.reviews.worker JOB_ID`
(same interpreter, same environment, and the app's database URL), so rendering dozens
of PDFs never ties up a web worker. The page polls the job row for progress.
"""
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import Account
from app.extensions import db
from app.reviews import quarters
from app.reviews.models import ExportJob
from app.reviews.pdf import PAPERS, render_review_pdf
from app.reviews.services import ReviewError, check_quarter
from app.team.models import Membership
from app.timeutil import utcnow
from app.vocab import TIERS

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def scope_accounts(user, scope):
    """The live accounts of an export: the user's own (or all, for admins) or those of one tier."""
    stmt = db.select(Account).where(Account.archived_at.is_(None)).order_by(Account.name)
    if not user.is_admin:
        stmt = stmt.where(Account.id.in_(db.select(Membership.account_id).where(
            Membership.user_id == user.id, Membership.left_on.is_(None))))
    if scope != "mine":
        stmt = stmt.where(Account.tier == scope)
    return db.session.scalars(stmt).all()


def create_job(user, quarter, scope="mine", paper="a4", lang=None):
    """A queued export job of the accounts the user sees in `scope`."""
    quarter = check_quarter(quarter)
    if scope != "mine" and scope not in TIERS:
        raise ReviewError(_l("Choose your accounts or a tier."))
    if paper not in PAPERS:
        raise ReviewError(_l("Choose A4 or Letter."))
    total = len(scope_accounts(user, scope))
    if not total:
        raise ReviewError(_l("No accounts to export in this selection."))
    job = ExportJob(user_id=user.id, quarter=quarter, scope=scope, paper=paper,
                    lang=lang if lang in ("en", "zh") else (user.language or "en"), total=total)
    db.session.add(job)
    db.session.commit()
    return job


def launch(job):
    """Start the worker process for a job; it runs detached from this request.

    Under tests the worker function runs in-process instead (no stray processes, same session).
    """
    if current_app.testing:
        run_job(job.id)
        return
    env = dict(os.environ, DATABASE_URL=current_app.config["SQLALCHEMY_DATABASE_URI"],
               SECRET_KEY=current_app.config["SECRET_KEY"])
    subprocess.Popen([sys.executable, "-m", "app.reviews.worker", str(job.id)], cwd=PROJECT_ROOT, env=env,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)


def filename(account, quarter):
    """The file name inside the ZIP: the account's name as written (zipfile flags it UTF-8), then the quarter."""
    from app.reviews.names import review_filename

    return review_filename(account.name, quarter)


def run_job(job_id):
    """Render every review of the job into a ZIP, saving progress after each account."""
    from app.auth.models import User

    job = db.session.get(ExportJob, job_id)
    if job is None or job.finished:
        return job
    user = db.session.get(User, job.user_id)
    job.status, job.done = "running", 0
    db.session.commit()
    buf = io.BytesIO()
    try:
        accounts = scope_accounts(user, job.scope)
        job.total = len(accounts)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # PDFs are compressed already
            for account in accounts:
                pdf = render_review_pdf(account, user, job.quarter, job.paper, job.lang)
                zf.writestr(filename(account, job.quarter), pdf)
                job.done += 1
                db.session.commit()
        job.result, job.status = buf.getvalue(), "done"
    except Exception as exc:  # noqa: BLE001  (any failure is reported on the job, not lost)
        db.session.rollback()
        job = db.session.get(ExportJob, job_id)
        job.status, job.error = "failed", str(exc)[:500]
    job.finished_at = utcnow()
    db.session.commit()
    return job


def job_of(user, job_id):
    """The user's own job (admins: any), or None."""
    job = db.session.get(ExportJob, job_id)
    if job is None or (job.user_id != user.id and not user.is_admin):
        return None
    return job


def recent_jobs(user, limit=5):
    """The user's latest export jobs."""
    return db.session.scalars(db.select(ExportJob).where(ExportJob.user_id == user.id)
                              .order_by(ExportJob.id.desc()).limit(limit)).all()


def default_quarter():
    """The quarter a manager usually exports: the one just ended."""
    return quarters.shift(quarters.current(), -1)
