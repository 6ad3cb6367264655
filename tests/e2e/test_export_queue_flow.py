"""The export page while a worker builds a ZIP, after the worker died, and on retry; wide and narrow, en and zh."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.reviews.models import ExportJob
from app.timeutil import utcnow
from tests import factories
from tests.e2e.conftest import login, settled
from tests.reviews.test_export import paused_queue

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang,width", [("en", 1366), ("zh", 390)])
def test_a_dead_export_is_shown_failed_and_retried(live_server, browser, shot, app, lang, width):
    kam = factories.make_user("王芳 Wang Fang", email="wang@example.com", seniority="manager")
    kam.language = lang
    for name in ("华东精密 East China Precision", "Northwind", "远航汽车 Yuanhang Auto"):
        factories.make_member(factories.make_account(name, tier="strategic"), kam, role="kam")
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(90_000)  # the retry renders three PDFs in-process
    login(page, live_server, "wang@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/reviews/export")
    page.select_option("select[name=quarter]", index=1)
    with paused_queue():  # the worker has not taken it yet
        page.click("#export-form button[type=submit]")
        page.wait_for_selector("#export-jobs .job")
    db.session.execute(db.update(ExportJob).values(status="running", done=1, heartbeat_at=utcnow()))
    db.session.commit()
    page.wait_for_selector("#export-jobs .job progress[value='1']")
    shot(page, f"export-running-{lang}-{width}")

    # The worker is killed: its heartbeat stops; within the lease the poll shows it failed.
    db.session.execute(db.update(ExportJob).values(heartbeat_at=utcnow() - timedelta(seconds=50)))
    db.session.commit()
    retry = "Try again" if lang == "en" else "重试"
    page.wait_for_selector(f"#export-jobs .job button:has-text('{retry}')")
    shot(page, f"export-failed-{lang}-{width}")

    page.click(f"#export-jobs .job button:has-text('{retry}')")
    settled(page)
    download = "Download the ZIP" if lang == "en" else "下载 ZIP"
    page.wait_for_selector(f"#export-jobs a:has-text('{download}')")
    shot(page, f"export-retried-{lang}-{width}")
    db.session.rollback()
    statuses = db.session.scalars(db.select(ExportJob.status).order_by(ExportJob.id)).all()
    assert statuses == ["failed", "done"]
    context.close()
