"""The stored SLA state (breach_at, severity_rank; migration 0018) and the capped breach list."""
import html
import importlib
import re
from datetime import timedelta

from sqlalchemy import text

from app.complaints import services
from app.complaints.models import Complaint, sla_columns
from app.extensions import db
from app.timeutil import utcnow
from tests.complaints.factories import make_channel, make_complaint


def _states(world):
    """Complaints in every SLA state: on time, late answer, late fix, both, open and past."""
    ch = make_channel(world.account, "account_manager", response_hours=4, resolution_hours=48)
    on_time = make_complaint(world.account, ch, "on time", hours_ago=100, severity="low")
    on_time.acknowledged_at = on_time.received_at + timedelta(hours=1)
    on_time.resolved_at = on_time.received_at + timedelta(hours=10)
    late_answer = make_complaint(world.account, ch, "late answer", hours_ago=100, severity="critical")
    late_answer.acknowledged_at = late_answer.received_at + timedelta(hours=6)
    late_answer.resolved_at = late_answer.received_at + timedelta(hours=10)
    late_fix = make_complaint(world.account, ch, "late fix", hours_ago=100, severity="high")
    late_fix.acknowledged_at = late_fix.received_at + timedelta(hours=1)
    late_fix.resolved_at = late_fix.received_at + timedelta(hours=60)
    fresh = make_complaint(world.account, ch, "fresh", hours_ago=1)
    past = make_complaint(world.account, ch, "past", hours_ago=30)
    db.session.commit()
    return [on_time, late_answer, late_fix, fresh, past]


def test_stored_state_matches_the_targets(world):
    rows = _states(world)
    now = utcnow()
    for c in rows:
        assert c.breach_at == sla_columns(c)["breach_at"]
        assert (c.breach_at is not None and c.breach_at < now) == bool(c.breached(now)), c.subject
    by_sql = set(db.session.scalars(db.select(Complaint.subject).where(Complaint.breached(now))))
    assert by_sql == {"late answer", "late fix", "past"}
    assert [c.severity_rank for c in rows[:3]] == [0, -3, -2]


def test_migration_backfill_agrees_with_the_model(world):
    rows = _states(world)
    expected = {c.id: (c.breach_at, c.severity_rank) for c in rows}
    db.session.execute(text("UPDATE complaint SET breach_at = NULL, severity_rank = 0"))
    mod = importlib.import_module("migrations.versions.0020_complaint_sla_state")
    db.session.execute(text(mod.BACKFILL))
    db.session.commit()
    got = {i: (b, r) for i, b, r in db.session.execute(text("SELECT id, breach_at, severity_rank FROM complaint"))}
    assert got.keys() == expected.keys()
    for i, (b, r) in got.items():
        want_b, want_r = expected[i]
        assert r == want_r
        assert (b is None) == (want_b is None)
        if b is not None:
            assert str(b)[:19] == str(want_b)[:19]  # SQLite answers text, PostgreSQL datetimes


def test_across_list_counts_no_further_than_the_cap(world, as_role, monkeypatch):
    ch = make_channel(world.account, "account_manager")
    for i in range(5):
        make_complaint(world.account, ch, f"breach {i}", hours_ago=30 + i, severity="critical" if i == 3 else "low")
    monkeypatch.setattr(services, "ACROSS_COUNT_CAP", 3)
    body = as_role("kam").get("/complaints").data.decode()
    assert "More than 3 complaints" in body
    assert body.index("breach 3") < body.index("breach 4") < body.index("breach 2")  # critical, then oldest
    monkeypatch.setattr(services, "ACROSS_COUNT_CAP", 1000)
    body = as_role("kam").get("/complaints").data.decode()
    assert "5 complaints" in body and "More than" not in body


def _next(client, url, rel="next"):
    link = re.search(rf'<a href="([^"]+)" rel="{rel}">', client.get(url).data.decode())
    return html.unescape(link.group(1)) if link else None


def _walk(client, url, rel):
    """Follow the list's `rel` links from `url`: [(the page's complaint numbers, its "Page" label)]."""
    pages = []
    while url:
        body = client.get(url).data.decode()
        pages.append((re.findall(r"\bpage-c(\d+)\b", body), re.search(r"Page \d+( of \d+)?", body).group(0)))
        url = _next(client, url, rel)
        assert len(pages) < 20
    return pages


def test_across_list_pages_by_cursor(world, as_role, monkeypatch):
    """Keyset paging: Next walks the whole worst-first list once, Previous walks it back, a
    complaint logged meanwhile moves nothing already paged, and a bad cursor is the first page."""
    from app.complaints import routes

    ch = make_channel(world.account, "account_manager", response_hours=4, resolution_hours=48)
    for i in range(7):  # breached (30+ hours old, 4-hour promise) and on time (just in)
        make_complaint(world.account, ch, f"page-c{i}", hours_ago=(30 + i) if i % 3 else 0.5,
                       severity=("critical", "low", "medium")[i % 3])
    monkeypatch.setattr(routes, "ACROSS_PAGE", 3)
    kam = as_role("kam")
    for breach, n in (("", 7), ("breached", 4)):
        want = [c.subject.removeprefix("page-c") for c in services.complaints_across(
            world.users["kam"], "unresolved", "", breach, limit=100).rows]
        assert len(want) == n
        pages = (n + 2) // 3
        url = f"/complaints?status=unresolved&breach={breach}"
        forward = _walk(kam, url, "next")
        assert [s for numbers, _ in forward for s in numbers] == want
        assert [len(numbers) for numbers, _ in forward] == [3] * (n // 3) + ([n % 3] if n % 3 else [])
        assert [label for _, label in forward] == [f"Page {p} of {pages}" for p in range(1, pages + 1)]
        for _ in range(pages - 1):
            url = _next(kam, url)
        backward = _walk(kam, url, "prev")
        assert backward == list(reversed(forward))
    # A complaint logged after page 1 was read: page 2, by its cursor, is unchanged.
    page2 = _next(kam, "/complaints?status=unresolved&breach=breached")
    numbers = re.findall(r"\bpage-c(\d+)\b", kam.get(page2).data.decode())
    make_complaint(world.account, ch, "page-c9", hours_ago=50, severity="critical")
    assert re.findall(r"\bpage-c(\d+)\b", kam.get(page2).data.decode()) == numbers
    for junk in ("x", "1~2~3", "0~-3~not-a-date~5", "0~a~2026-01-01T00:00:00~1"):
        resp = kam.get(f"/complaints?status=unresolved&breach=breached&after={junk}&before={junk}")
        assert resp.status_code == 200 and "Page 1 of" in resp.data.decode()
