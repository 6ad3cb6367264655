"""Complaint services: the status flow, breach arithmetic across time zones, escalation."""
from datetime import datetime, timedelta

import pytest

from app.complaints import services
from app.complaints.models import Complaint, ComplaintEvent
from app.extensions import db
from app.timeutil import utcnow
from tests.complaints.factories import make_channel, make_contact


@pytest.fixture
def rq(app):
    """A request context: lazy messages and time zones need one."""
    with app.test_request_context():
        yield


@pytest.fixture
def setup(world, rq):
    kam = world.users["kam"]
    low = make_channel(world.account, "account_manager", 4, 48, owner=kam)
    high = make_channel(world.account, "management", 8, 96, owner=world.users["sponsor"])
    return world, kam, low, high


def _log(world, kam, channel, hours_ago=1, **kw):
    return services.log_complaint(kam, world.account, channel_id=channel.id, subject="Bearings out of spec",
                                  received_at=utcnow() - timedelta(hours=hours_ago), **kw)


def test_log_sets_deadlines_owner_and_first_step(setup):
    world, kam, low, _ = setup
    c = _log(world, kam, low, severity="high")
    assert c.respond_by - c.received_at == timedelta(hours=4)
    assert c.resolve_by - c.received_at == timedelta(hours=48)
    assert c.owner_id == kam.id and c.status == "open"
    assert [e.kind for e in db.session.scalars(db.select(ComplaintEvent))] == ["log"]


def test_full_flow_records_the_time_of_every_step(setup):
    world, kam, low, _ = setup
    c = _log(world, kam, low, hours_ago=10)
    t0 = c.received_at
    services.transition(kam, c, "acknowledged", at=t0 + timedelta(hours=1))
    services.transition(kam, c, "in_progress", at=t0 + timedelta(hours=2))
    services.transition(kam, c, "resolved", at=t0 + timedelta(hours=5), resolution="Replaced the batch")
    services.transition(kam, c, "closed", root_cause="Worn grinding wheel", prevention="Change by output count")
    assert (c.acknowledged_at - t0, c.started_at - t0, c.resolved_at - t0) == (
        timedelta(hours=1), timedelta(hours=2), timedelta(hours=5))
    assert c.closed_at is not None and c.status == "closed"
    steps = db.session.scalars(db.select(ComplaintEvent.to_status).order_by(ComplaintEvent.id)).all()
    assert steps == ["open", "acknowledged", "in_progress", "resolved", "closed"]


def test_no_skipping_to_closed_without_root_cause_and_prevention(setup):
    world, kam, low, _ = setup
    c = _log(world, kam, low)
    with pytest.raises(services.ComplaintError, match="root cause"):
        services.transition(kam, c, "closed")
    with pytest.raises(services.ComplaintError, match="prevention"):
        services.transition(kam, c, "closed", root_cause="Operator error")
    assert db.session.get(Complaint, c.id).status == "open"
    # With both, skipping is allowed and the skipped steps get the same time.
    services.transition(kam, c, "closed", root_cause="Operator error", prevention="Poka-yoke jig")
    assert c.acknowledged_at == c.started_at == c.resolved_at == c.closed_at


def test_no_resolving_a_closed_one_and_no_going_back(setup):
    world, kam, low, _ = setup
    c = _log(world, kam, low)
    services.transition(kam, c, "resolved")
    with pytest.raises(services.ComplaintError, match="already past"):
        services.transition(kam, c, "acknowledged")
    services.transition(kam, c, "closed", root_cause="x", prevention="y")
    for status in ("resolved", "in_progress", "closed"):
        with pytest.raises(services.ComplaintError, match="closed"):
            services.transition(kam, c, status)


def test_reopen_needs_a_reason_and_restarts_work(setup):
    world, kam, low, _ = setup
    c = _log(world, kam, low)
    with pytest.raises(services.ComplaintError, match="resolved or closed"):
        services.reopen(kam, c, "again")
    services.transition(kam, c, "closed", root_cause="x", prevention="y")
    with pytest.raises(services.ComplaintError, match="why"):
        services.reopen(kam, c, " ")
    services.reopen(kam, c, "It happened again on line 2")
    assert c.status == "in_progress" and c.resolved_at is None and c.closed_at is None
    assert c.reopen_count == 1 and c.acknowledged_at is not None
    services.transition(kam, c, "resolved")


def test_step_time_must_lie_between_receipt_and_now(setup):
    world, kam, low, _ = setup
    c = _log(world, kam, low, hours_ago=2)
    with pytest.raises(services.ComplaintError, match="between"):
        services.transition(kam, c, "acknowledged", at=c.received_at - timedelta(minutes=1))
    with pytest.raises(services.ComplaintError, match="between"):
        services.transition(kam, c, "acknowledged", at=utcnow() + timedelta(hours=2))


def test_received_in_the_future_is_refused(setup):
    world, kam, low, _ = setup
    with pytest.raises(services.ComplaintError, match="future"):
        _log(world, kam, low, hours_ago=-3)


def test_escalation_keeps_the_path_and_hands_over(setup):
    world, kam, low, high = setup
    exe = make_channel(world.account, "executive", 24, 240, owner=world.users["sponsor"])
    c = _log(world, kam, low)
    services.escalate(kam, c, high.id, note="Customer asked")
    with pytest.raises(services.ComplaintError, match="higher"):
        services.escalate(kam, c, low.id)
    services.escalate(kam, c, exe.id)
    assert c.channel_id == exe.id and c.source_channel_id == low.id
    assert c.owner_id == world.users["sponsor"].id
    path = db.session.execute(db.select(ComplaintEvent.from_channel_id, ComplaintEvent.to_channel_id)
                              .where(ComplaintEvent.kind == "escalate").order_by(ComplaintEvent.id)).all()
    assert path == [(low.id, high.id), (high.id, exe.id)]
    # Targets stay those promised by the channel it came through.
    assert c.respond_by - c.received_at == timedelta(hours=4)


def test_cannot_escalate_resolved_or_to_another_accounts_channel(setup):
    world, kam, low, high = setup
    theirs = make_channel(world.other, "executive")
    c = _log(world, kam, low)
    with pytest.raises(services.ComplaintError, match="this account"):
        services.escalate(kam, c, theirs.id)
    services.transition(kam, c, "resolved")
    with pytest.raises(services.ComplaintError, match="unresolved"):
        services.escalate(kam, c, high.id)


def test_contact_and_owner_must_belong_to_the_account(setup):
    world, kam, low, _ = setup
    other_contact = make_contact(world.other)
    with pytest.raises(services.ComplaintError, match="contact"):
        _log(world, kam, low, contact_id=other_contact.id)
    with pytest.raises(services.ComplaintError, match="team"):
        _log(world, kam, low, owner_id=world.users["outsider"].id)


# --- breach arithmetic --------------------------------------------------------------------

def test_received_at_in_shanghai_is_stored_as_utc():
    assert services.local_to_utc(datetime(2026, 3, 2, 9, 30), "Asia/Shanghai") == datetime(2026, 3, 2, 1, 30)
    # Across a DST change the wall clock lies: Berlin, 29 March 2026, 02:00 → 03:00.
    before = services.local_to_utc(datetime(2026, 3, 28, 12, 0), "Europe/Berlin")
    after = services.local_to_utc(datetime(2026, 3, 29, 12, 0), "Europe/Berlin")
    assert after - before == timedelta(hours=23)


def test_breach_measured_in_real_hours_across_dst(setup):
    """A 24 h response target: 24 wall-clock hours over the DST night are only 23 real hours."""
    world, kam, _, _ = setup
    ch = make_channel(world.account, "technical", 24, 48)
    received = services.local_to_utc(datetime(2026, 3, 28, 12, 0), "Europe/Berlin")
    ack = services.local_to_utc(datetime(2026, 3, 29, 12, 30), "Europe/Berlin")  # 23.5 real hours
    c = services.log_complaint(kam, world.account, channel_id=ch.id, subject="API timeouts", received_at=received,
                               now=ack)
    services.transition(kam, c, "acknowledged", at=ack, now=ack)
    assert c.response_hours() == pytest.approx(23.5)
    assert not c.response_breached()
    assert db.session.scalar(db.select(db.func.count(Complaint.id)).where(Complaint.response_breached())) == 0


def test_breach_in_python_and_sql_agree(setup):
    world, kam, low, _ = setup
    late = _log(world, kam, low, hours_ago=6)              # 4 h target, not acknowledged → breached
    on_time = _log(world, kam, low, hours_ago=6)
    services.transition(kam, on_time, "acknowledged", at=on_time.received_at + timedelta(hours=3))
    slow_ack = _log(world, kam, low, hours_ago=6)
    services.transition(kam, slow_ack, "acknowledged", at=slow_ack.received_at + timedelta(hours=5))
    old = _log(world, kam, low, hours_ago=60)              # 48 h resolution target passed
    services.transition(kam, old, "acknowledged", at=old.received_at + timedelta(hours=1))
    assert [c.response_breached() for c in (late, on_time, slow_ack, old)] == [True, False, True, False]
    assert [c.resolution_breached() for c in (late, on_time, slow_ack, old)] == [False, False, False, True]
    ids = lambda rows: sorted(c.id for c in rows)  # noqa: E731
    assert ids(services.list_complaints(world.account.id, breach="response")) == ids([late, slow_ack])
    assert ids(services.list_complaints(world.account.id, breach="resolution")) == [old.id]
    assert ids(services.list_complaints(world.account.id, breach="breached")) == ids([late, slow_ack, old])
    assert ids(services.list_complaints(world.account.id, breach="on_time")) == [on_time.id]
    # A response breach stays a breach after it is resolved.
    services.transition(kam, late, "resolved")
    assert late.response_breached()


def test_filters_and_worst_first(setup):
    world, kam, low, high = setup
    a = _log(world, kam, low, hours_ago=1, severity="low")
    b = _log(world, kam, low, hours_ago=1, severity="critical")
    c = _log(world, kam, low, hours_ago=5, severity="medium")  # breached
    services.escalate(kam, b, high.id)
    rows, total = services.open_complaints(world.account.id)
    assert [r.id for r in rows] == [c.id, b.id, a.id] and total == 3
    # The count is of every open complaint, not of the rows shown (it rides on them: one query).
    rows, total = services.open_complaints(world.account.id, limit=2)
    assert [r.id for r in rows] == [c.id, b.id] and total == 3
    assert [r.id for r in services.list_complaints(world.account.id, severity="critical")] == [b.id]
    assert [r.id for r in services.list_complaints(world.account.id, breach="escalated")] == [b.id]
    services.transition(kam, a, "resolved")
    assert a.id not in [r.id for r in services.list_complaints(world.account.id, status="unresolved")]


def test_breach_list_across_accounts_respects_visibility(setup):
    world, kam, low, _ = setup
    mine = _log(world, kam, low, hours_ago=10)
    outsider = world.users["outsider"]
    theirs_ch = make_channel(world.other, "account_manager", 1, 2)
    theirs = services.log_complaint(outsider, world.other, channel_id=theirs_ch.id, subject="B's problem",
                                    received_at=utcnow() - timedelta(hours=5))
    assert [c.id for c in services.complaints_across(kam).rows] == [mine.id]
    assert [c.id for c in services.complaints_across(outsider).rows] == [theirs.id]
    assert {c.id for c in services.complaints_across(world.users["admin"]).rows} == {mine.id, theirs.id}


def test_channel_rules(setup):
    world, kam, low, _ = setup
    data = dict(kind="account_manager", owner_id=kam.id, phone="", email="", portal="", hours="",
                response_hours=4, resolution_hours=24, notes="")
    with pytest.raises(services.ComplaintError, match="already has"):
        services.create_channel(kam, world.account, data)
    with pytest.raises(services.ComplaintError, match="shorter"):
        services.create_channel(kam, world.account, dict(data, kind="technical", resolution_hours=2))
    with pytest.raises(services.ComplaintError, match="team"):
        services.create_channel(kam, world.account, dict(data, kind="technical",
                                                        owner_id=world.users["outsider"].id))
    ch = services.create_channel(kam, world.account, dict(data, kind="technical"))
    assert ch.id and ch.rank == 1
