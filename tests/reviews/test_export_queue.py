"""Exports on the queue: one active export per user, the worker's lease, retry, old files removed."""
import os
import time
from datetime import timedelta

from app.extensions import db
from app.reviews import export
from app.reviews.models import ExportJob
from app.timeutil import utcnow
from tests import factories
from tests.jobs.consumer import Consumer, real_queue, wait_for
from tests.reviews.conftest import QUARTER
from tests.reviews.test_export import paused_queue, queued

FORM = {"quarter": QUARTER, "scope": "mine", "paper": "a4", "lang": "en"}


def jobs():
    db.session.rollback()
    return db.session.scalars(db.select(ExportJob).order_by(ExportJob.id)).all()


def test_a_second_click_shows_the_running_export_and_starts_nothing(review_world, as_role):
    client = as_role("kam")
    with paused_queue():
        first = client.post("/reviews/export", data=FORM)
        second = client.post("/reviews/export", data=dict(FORM, paper="letter"))
    assert first.status_code == second.status_code == 302
    [job] = jobs()
    assert job.status == "queued" and job.active_user_id == job.user_id
    page = client.get("/reviews/export").get_data(as_text=True)
    assert "still being built" in page and "One export at a time" in page and f'id="job-{job.id}"' in page


def test_two_clicks_at_the_same_instant_make_one_job(review_world, monkeypatch):
    kam = review_world.users["kam"]
    first = queued(kam)
    monkeypatch.setattr(export, "active_job", lambda user: None)  # both requests saw no active job
    with paused_queue():
        again, created = export.start_export(kam, QUARTER)
    assert not created and again.id == first.id and len(jobs()) == 1


def test_a_finished_export_frees_the_user_for_the_next(review_world):
    kam = review_world.users["kam"]
    job, created = export.start_export(kam, QUARTER)  # immediate mode: built at once
    assert created and job.status == "done" and job.active_user_id is None
    second, created = export.start_export(kam, QUARTER, paper="letter")
    assert created and second.id != job.id


def test_a_dead_worker_is_noticed_by_the_progress_poll(review_world, as_role, hx):
    job = queued(review_world.users["kam"])
    job.status, job.done, job.heartbeat_at = "running", 1, utcnow() - timedelta(seconds=10)
    db.session.commit()
    client = as_role("kam")
    alive = client.get(f"/reviews/export/progress?job={job.id}", headers=hx).get_data(as_text=True)
    assert "every 1s" in alive and "1 of" in alive
    db.session.execute(db.update(ExportJob).values(heartbeat_at=utcnow() - timedelta(seconds=50)))
    db.session.commit()
    dead = client.get(f"/reviews/export/progress?job={job.id}", headers=hx).get_data(as_text=True)
    assert "every 1s" not in dead and "worker was stopped or restarted" in dead and "Try again" in dead
    [job] = jobs()
    assert job.status == "failed" and job.error == export.WORKER_LOST and job.active_user_id is None


def test_the_sweep_gives_up_on_dead_and_never_started_jobs(review_world, runner):
    kam, admin = review_world.users["kam"], review_world.users["admin"]
    dead, waiting = queued(kam), queued(admin)
    fresh = queued(review_world.users["member"]) if export.scope_accounts(review_world.users["member"], "mine") \
        else None
    dead.status, dead.heartbeat_at = "running", utcnow() - timedelta(minutes=2)
    waiting.created_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    out = runner.invoke(args=["jobs", "run", "export-sweep"]).output
    assert "2 export(s) given up" in out
    by_id = {j.id: j for j in jobs()}
    assert by_id[dead.id].error == export.WORKER_LOST and by_id[waiting.id].error == export.NEVER_STARTED
    if fresh is not None:
        assert by_id[fresh.id].status == "queued"


def test_retry_after_a_failure_builds_a_new_export(review_world, as_role):
    job = queued(review_world.users["kam"])
    job.status, job.heartbeat_at = "running", utcnow() - timedelta(minutes=5)
    db.session.commit()
    client = as_role("kam")
    page = client.get("/reviews/export").get_data(as_text=True)
    assert "Try again" in page
    assert client.post("/reviews/export", data=FORM).status_code == 302
    old, new = jobs()
    assert old.status == "failed" and new.status == "done" and new.quarter == old.quarter


def test_a_worker_that_lost_its_lease_stops_and_leaves_no_file(review_world, monkeypatch):
    factories.make_member(factories.make_account("Second Account"), review_world.users["kam"], role="kam")
    job = queued(review_world.users["kam"])
    real_render = export.render_review_pdf

    def slow_render(*args, **kwargs):
        # While this review renders, a poll decides the worker is dead (its lease ran out).
        db.session.execute(db.update(ExportJob).values(heartbeat_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
        export.expire_stale()
        return real_render(*args, **kwargs)

    monkeypatch.setattr(export, "render_review_pdf", slow_render)
    before = set(export.export_dir().iterdir())
    export.run_job(job.id)
    [job] = jobs()
    assert job.status == "failed" and job.done == 0 and job.file_name is None
    assert set(export.export_dir().iterdir()) == before


def test_a_task_delivered_twice_builds_once(review_world):
    job, _created = export.start_export(review_world.users["kam"], QUARTER)
    again = export.run_job(job.id)
    assert again.status == "done" and again.finished_at == job.finished_at


def test_cleanup_removes_old_export_files(app, review_world, runner):
    kam = review_world.users["kam"]
    old, _ = export.start_export(kam, QUARTER)
    new, _ = export.start_export(kam, QUARTER)
    old_path, new_path = export.file_path(old), export.file_path(new)
    db.session.execute(db.update(ExportJob).where(ExportJob.id == old.id).values(
        finished_at=utcnow() - timedelta(days=app.config["EXPORT_RETENTION_DAYS"] + 1)))
    db.session.commit()
    stray = export.export_dir() / "reviews-2020-Q1-999999.part"
    stray.write_bytes(b"left by a killed worker")
    os.utime(stray, (time.time() - 2 * 86400,) * 2)
    out = runner.invoke(args=["jobs", "run", "cleanup"]).output
    assert "2 export file(s)" in out
    assert not old_path.exists() and not stray.exists() and new_path.exists()
    by_id = {j.id: j for j in jobs()}
    assert by_id[old.id].status == "expired" and by_id[new.id].status == "done"


def test_an_expired_export_offers_to_export_again(review_world, as_role):
    job, _ = export.start_export(review_world.users["kam"], QUARTER)
    job.status, job.file_name = "expired", None
    db.session.commit()
    client = as_role("kam")
    assert client.get(f"/reviews/export/download?job={job.id}").status_code == 410
    html = client.get(f"/reviews/export/progress?job={job.id}").get_data(as_text=True)
    assert "Export again" in html and "removed after 7 days" in html


def test_killing_the_consumer_mid_export_fails_the_job_and_frees_the_user(app, review_world, as_role, tmp_path):
    """A real consumer builds an export of eight accounts; SIGKILL it after the first review."""
    kam = review_world.users["kam"]
    for n in range(7):
        factories.make_member(factories.make_account(f"账户 Account {n}"), kam, role="kam")
    app.config["EXPORT_LEASE_SECONDS"] = 3  # the consumer's heartbeat is per review, well under this
    client = as_role("kam")
    with real_queue(tmp_path) as env:
        consumer = Consumer(app, env, tmp_path)
        try:
            assert client.post("/reviews/export", data=FORM).status_code == 302
            assert client.post("/reviews/export", data=FORM).status_code == 302  # second click: nothing new
            assert len(jobs()) == 1
            running = wait_for(lambda: [j for j in jobs() if j.status == "running" and j.done >= 1], timeout=90)
            assert running, consumer.output()
            consumer.kill()
        finally:
            consumer.stop()
        [job] = jobs()
        assert job.status == "running" and job.done < job.total == 8  # nobody told the database
        time.sleep(3.5)
        html = client.get(f"/reviews/export/progress?job={job.id}").get_data(as_text=True)
        assert "worker was stopped or restarted" in html and "Try again" in html
        [job] = jobs()
        assert job.status == "failed" and job.active_user_id is None and job.file_name is None
