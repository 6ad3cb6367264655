"""The quarter export: a job row, the queue task (immediate here), progress, one PDF per account in a ZIP file."""
import io
import zipfile

import pytest

from app.extensions import db
from app.reviews import export
from app.reviews.models import ExportJob
from app.reviews.services import ReviewError
from tests import factories
from tests.reviews.conftest import QUARTER


def queued(user, **kwargs):
    """A queued job whose task has not run (as when the worker has not taken it yet)."""
    with paused_queue():
        job, created = export.start_export(user, QUARTER, **kwargs)
    assert created
    return job


class paused_queue:
    """Enqueued tasks are dropped instead of run at once (the worker is busy elsewhere)."""

    def __enter__(self):
        from app.jobs import huey
        self.huey, self.enqueue = huey, huey.enqueue
        huey.enqueue = lambda task: None

    def __exit__(self, *exc):
        self.huey.enqueue = self.enqueue


def test_export_of_my_accounts_gives_one_pdf_per_account(review_world, as_role, hx):
    kam = review_world.users["kam"]
    second = factories.make_account("远航汽车 Yuanhang Auto", tier="strategic")
    factories.make_member(second, kam, role="kam")
    client = as_role("kam")
    assert client.get("/reviews/export").status_code == 200
    resp = client.post("/reviews/export", data={"quarter": QUARTER, "scope": "mine", "paper": "a4", "lang": "zh"})
    assert resp.status_code == 302
    job = db.session.scalar(db.select(ExportJob))
    assert job.status == "done" and job.done == job.total == 2 and job.active_user_id is None
    assert export.file_path(job).stat().st_size == job.size > 0

    frag = client.get(f"/reviews/export/progress?job={job.id}", headers=hx)
    body = frag.get_data(as_text=True)
    assert frag.status_code == 200 and "<html" not in body and "every 1s" not in body and "download" in body
    z = client.get(f"/reviews/export/download?job={job.id}")
    assert z.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(z.data)).namelist()
    assert len(names) == 2 and all(n.endswith(f"-{QUARTER}.pdf") for n in names)
    assert all(zipfile.ZipFile(io.BytesIO(z.data)).read(n).startswith(b"%PDF") for n in names)


def test_a_running_job_polls_every_second(review_world, as_role, hx):
    job = queued(review_world.users["kam"])
    page = as_role("kam").get(f"/reviews/export/progress?job={job.id}")
    html = page.get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in html and "<progress" in html and "<html" in html
    assert as_role("kam").get(f"/reviews/export/download?job={job.id}").status_code == 409


def test_tier_scope_only_takes_that_tier(review_world):
    admin = review_world.users["admin"]
    factories.make_account("Strategic One", tier="strategic")
    assert [a.name for a in export.scope_accounts(admin, "strategic")] == ["Strategic One"]
    assert len(export.scope_accounts(review_world.users["kam"], "mine")) == 1


def test_jobs_belong_to_their_owner(review_world, as_role):
    job = queued(review_world.users["kam"])
    other = as_role("member")
    assert other.get(f"/reviews/export/progress?job={job.id}").status_code == 404
    assert other.get(f"/reviews/export/download?job={job.id}").status_code == 404
    assert other.get("/reviews/export/progress?job=abc").status_code == 400


def test_bad_export_requests(review_world, as_role):
    client = as_role("outsider")  # on account B only, which is tier "key"
    resp = client.post("/reviews/export", data={"quarter": QUARTER, "scope": "maintain", "paper": "a4"})
    assert resp.status_code == 422 and "No accounts" in resp.get_data(as_text=True)
    bad = client.post("/reviews/export", data={"quarter": "2026-Q9", "scope": "mine", "paper": "a4"})
    assert bad.status_code == 422
    with pytest.raises(ReviewError):
        export.start_export(review_world.users["kam"], QUARTER, scope="nonsense")


def test_a_failing_render_marks_the_job_failed(review_world, monkeypatch):
    job = queued(review_world.users["kam"])

    def boom(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(export, "render_review_pdf", boom)
    done = export.run_job(job.id)
    assert done.status == "failed" and "font missing" in done.error
