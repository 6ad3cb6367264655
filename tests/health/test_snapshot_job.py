"""`health-snapshots`: the closed quarter's snapshot, in the workspace's time zone, once."""
from datetime import datetime
from zoneinfo import ZoneInfo

from app.extensions import db
from app.health import services
from app.health.jobs import closed_quarter, snapshot_closed_quarter
from app.health.models import HealthSnapshot
from tests import factories

SHANGHAI, UTC = ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC")


def test_the_quarter_closes_at_midnight_in_the_workspace_zone(app):
    # 16:30 UTC on 30 September is 00:30 on 1 October in Shanghai: Q3 has closed there, not in UTC.
    assert closed_quarter(datetime(2026, 9, 30, 16, 30), SHANGHAI) == ("2026-Q3", datetime(2026, 9, 30, 16, 0))
    assert closed_quarter(datetime(2026, 9, 30, 16, 30), UTC) == (None, None)
    assert closed_quarter(datetime(2026, 10, 1, 0, 30), UTC) == ("2026-Q3", datetime(2026, 10, 1))
    assert closed_quarter(datetime(2027, 1, 6, 12), UTC)[0] == "2026-Q4"  # a worker down for days catches up
    assert closed_quarter(datetime(2027, 1, 8, 12), UTC) == (None, None)  # then it is not a close any more


def test_the_job_takes_missing_snapshots_once_and_never_for_a_quarter_not_lived(app, world):
    now = datetime(2027, 1, 1, 2, 0)
    late = factories.make_account("Opened in January 一月新开")
    late.created_at = datetime(2027, 1, 1, 1, 0)
    early = factories.make_account("Button pressed in December")
    db.session.add(HealthSnapshot(account_id=early.id, quarter="2026-Q4", score=1, parts={},
                                  taken_at=datetime(2026, 12, 10)))
    db.session.commit()
    quarter, stored = snapshot_closed_quarter(now, UTC)
    assert quarter == "2026-Q4" and stored == 3  # world's two accounts, and December's replaced
    snaps = {s.account_id: s for s in db.session.scalars(db.select(HealthSnapshot))}
    assert late.id not in snaps and snaps[early.id].score == services.health_for([early.id])[early.id].score
    assert snapshot_closed_quarter(now, UTC) == ("2026-Q4", 0)  # idempotent
    assert db.session.scalar(db.select(db.func.count()).select_from(HealthSnapshot)) == 3


def test_flask_jobs_run_health_snapshots(runner, app):
    out = runner.invoke(args=["jobs", "run", "health-snapshots"]).output
    assert out.startswith("health-snapshots: ")
