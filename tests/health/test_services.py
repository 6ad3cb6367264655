"""health_for against the database: each part moves with its rows; the SQL twin of the gap rule; snapshots."""
from datetime import date, datetime

import pytest

from app.extensions import db
from app.health import services
from app.health.models import HealthSnapshot
from app.stakeholders import gaps
from app.stakeholders.services import load_map
from tests import factories
from tests.complaints.factories import make_channel, make_complaint, make_contact
from tests.health.factories import make_action, make_decision_maker, make_objective
from tests.meetings.factories import make_cadence, make_meeting
from tests.querycount import count_queries


@pytest.fixture(autouse=True)
def _ctx(app):
    with app.test_request_context():
        yield


def part(account, key):
    """One part of one account's health."""
    return next(p for p in services.health_for([account.id])[account.id].parts if p.key == key)


def test_coverage_moves_with_an_executive_owner(world):
    dm = make_decision_maker(world.account, owner=world.users["member"])  # staff: not senior enough
    assert part(world.account, "coverage").score == 0
    make_decision_maker(world.account, owner=world.users["sponsor"], name="Second DM")
    assert part(world.account, "coverage").score == 50
    # The SQL twin agrees with the stakeholder gap rule.
    smap = load_map(world.account.id)
    assert [g.subject_id for g in smap.gaps() if g.code == "no_exec_owner"] == [dm.id]


def test_a_senior_owner_who_left_the_team_does_not_count(world):
    make_decision_maker(world.account, owner=world.users["sponsor"])
    assert part(world.account, "coverage").score == 100
    world.memberships["sponsor"].left_on = date.today()
    db.session.commit()
    assert part(world.account, "coverage").score == 0


def test_cadence_moves_when_a_meeting_is_held(world):
    contact = make_contact(world.account)
    make_cadence(world.account, world.users["sponsor"], contact, every_days=60, started_days_ago=100)
    assert part(world.account, "cadence").score == 0
    make_meeting(world.account, [world.users["sponsor"]], [contact], days_ago=5)
    assert part(world.account, "cadence").score == 100


def test_complaints_move_with_critical_and_breached(world):
    ch = make_channel(world.account, response_hours=4)
    assert part(world.account, "complaints").score == 100
    make_complaint(world.account, ch, severity="critical", hours_ago=1)
    assert part(world.account, "complaints").score == 60
    make_complaint(world.account, ch, severity="low", hours_ago=10)  # past the 4-hour response
    assert part(world.account, "complaints").score == 35
    make_complaint(world.account, ch, severity="critical", hours_ago=10, status="closed")
    assert part(world.account, "complaints").score == 35  # closed ones do not count


def test_plan_moves_with_risky_objectives_and_overdue_actions(world):
    make_objective(world.account, status="on_track")
    assert part(world.account, "plan").score == 100
    make_objective(world.account, status="off_track")
    assert part(world.account, "plan").score == 80
    make_action(world.account, due_days=-1)
    make_action(world.account, due_days=+5)  # not due yet
    assert part(world.account, "plan").score == 70


def test_freshness_moves_with_last_contact(world):
    make_contact(world.account, influence="high", last_contacted_on=date.today())
    assert part(world.account, "freshness").score == 100
    make_contact(world.account, name="Old friend", influence="high")
    assert part(world.account, "freshness").score == 50
    make_contact(world.account, name="Left", influence="high", status="left")
    assert part(world.account, "freshness").score == 50


def test_satisfaction_moves_with_recent_meeting_scores(world):
    make_meeting(world.account, days_ago=10, satisfaction=6)
    make_meeting(world.account, days_ago=20, satisfaction=8)
    make_meeting(world.account, days_ago=400, satisfaction=1)  # too old
    assert part(world.account, "satisfaction").score == 70


def test_one_select_counts_deciders_and_key_contacts_alike_and_meetings_with_their_scores(world):
    """The contacts and the held meetings are each one SELECT of the union: a contact who both
    decides and has high influence counts in both parts; a meeting without a score counts as
    held but not in the average."""
    acc, sponsor = world.account, world.users["sponsor"]
    make_decision_maker(acc, owner=sponsor, name="既决策又关键 Both", influence="high", last_days_ago=400)
    make_decision_maker(acc, name="无人负责 Unowned", influence="low")
    make_contact(acc, name="Key only", seniority="manager", buying_role="user", influence="high",
                 last_contacted_on=date.today())
    make_contact(acc, name="Neither", seniority="staff", buying_role="user", influence="low")
    make_decision_maker(acc, name="Gone", influence="high", status="left")
    make_meeting(acc, days_ago=5, satisfaction=9)
    make_meeting(acc, days_ago=6, satisfaction=None)
    make_meeting(acc, days_ago=300, satisfaction=1)  # outside the window
    c = services._counts([acc.id], date.today())[acc.id]
    assert (c.dm_total, c.dm_uncovered, c.key_contacts, c.stale_contacts) == (2, 1, 2, 1)
    assert (c.meetings_held, c.satisfaction_count, c.satisfaction_avg) == (2, 1, 9.0)
    other = services._counts([world.other.id], date.today())[world.other.id]
    assert (other.dm_total, other.key_contacts, other.meetings_held, other.satisfaction_avg) == (0, 0, 0, None)


def test_weights_change_the_score(world):
    make_channel(world.account)
    make_decision_maker(world.account, owner=world.users["member"])
    make_objective(world.account)
    before = services.health_for([world.account.id])[world.account.id].score
    services.set_weights(world.users["admin"], dict.fromkeys(services.KEYS, 0) | {"complaints": 10})
    # One weighted part left: below the minimum of known parts, no number.
    assert services.health_for([world.account.id])[world.account.id].score is None != before
    services.set_weights(world.users["admin"], dict.fromkeys(services.KEYS, 0)
                         | {"complaints": 10, "coverage": 10, "plan": 10})
    three = services.health_for([world.account.id])[world.account.id]
    assert three.known == three.counted == 3
    assert three.score == round(sum(p.score for p in three.parts if p.weight) / 3)
    assert services.weights()["cadence"] == 0


def test_an_empty_account_has_no_score_and_a_worked_one_does(world):
    empty = factories.make_account("Brand New 新客户")
    h = services.health_for([empty.id])[empty.id]
    assert h.score is None and h.known == 0
    assert {p.key: str(p.sentence) for p in h.parts}["complaints"] == "No complaint channel."
    make_channel(world.account)
    make_decision_maker(world.account, owner=world.users["sponsor"])
    make_objective(world.account)
    make_meeting(world.account, satisfaction=3)
    worked = services.health_for([world.account.id])[world.account.id]
    assert worked.enough and worked.known == 4


def test_health_for_many_accounts_in_fixed_queries(world):
    ids = [world.account.id]
    with count_queries() as few:
        services.health_for(ids)
    for n in range(4):
        a = factories.make_account(f"More {n}")
        make_decision_maker(a, owner=world.users["sponsor"])
        make_complaint(a, make_channel(a), severity="critical")
        make_objective(a)
        make_meeting(a, satisfaction=7)
        ids.append(a.id)
    with count_queries() as many:
        result = services.health_for(ids)
    assert many.count == few.count and set(result) == set(ids)


def test_quarters():
    assert services.quarter_of(date(2026, 8, 1)) == "2026-Q3"
    assert services.shift_quarter("2026-Q1", -1) == "2025-Q4"
    assert services.shift_quarter("2025-Q4", 2) == "2026-Q2"
    with pytest.raises(ValueError):
        services.parse_quarter("2026-Q5")


def _backdate(account, day):
    account.created_at = datetime.combine(day, datetime.min.time())
    db.session.commit()


def test_snapshots_trend_and_direction(world):
    this = services.quarter_of_today()
    services.store_snapshot(world.account.id, services.shift_quarter(this, -2), 60, {})
    services.store_snapshot(world.account.id, services.shift_quarter(this, -1), 70, {})
    services.store_snapshot(world.account.id, services.shift_quarter(this, -9), 10, {})  # too old
    services.store_snapshot(world.account.id, this, 99, {})  # this quarter's button: not history
    trend = services.trend_for([world.account.id, world.other.id])
    assert [(p.quarter, p.score) for p in trend[world.account.id]] == [
        (services.shift_quarter(this, -2), 60), (services.shift_quarter(this, -1), 70)]
    assert trend[world.other.id] == []


def test_trend_compares_now_with_the_last_closed_quarter():
    # 21 -> 29 -> 32 and 39 now is up, though the closed quarters alone moved little at the end.
    history = [("2026-Q1", 21), ("2026-Q2", 29), ("2026-Q3", 32)]
    assert services.direction(history, 39) == "up"
    assert services.direction(history, 34) == "flat"  # under MOVE points
    assert services.direction(history, 32 - services.MOVE) == "down"
    assert services.direction(history, 32 + services.MOVE) == "up"
    assert services.direction([], 70) == "new"  # no history: new, not flat
    assert services.direction(history, None) == "unknown"  # not enough data now


def test_previous_quarter_taken_lazily_once_for_accounts_that_lived_through_it(world):
    prev = services.shift_quarter(services.quarter_of_today(), -1)
    first, _last = services.quarter_bounds(prev)
    _backdate(world.account, first)
    _backdate(world.other, first)
    assert services.ensure_previous_quarter([world.account.id, world.other.id]) == 2
    assert services.ensure_previous_quarter([world.account.id, world.other.id]) == 0
    assert db.session.scalar(db.select(db.func.count(HealthSnapshot.id)).where(HealthSnapshot.quarter == prev)) == 2


def test_no_snapshot_of_a_quarter_that_ended_before_the_account_existed(world):
    prev = services.shift_quarter(services.quarter_of_today(), -1)
    # Both accounts were created today: the closed quarter is none of their history.
    ids = [world.account.id, world.other.id]
    with count_queries() as q:
        assert services.ensure_previous_quarter(ids) == 0
    assert q.count == 1
    assert services.take_snapshots([world.account.id], prev) == 0
    assert services.take_snapshots([world.account.id], services.quarter_of_today()) == 1
    assert db.session.scalar(db.select(db.func.count(HealthSnapshot.id))) == 1


def test_late_snapshot_is_scored_at_the_quarter_end_and_marked_late(world):
    _backdate(world.account, date(2026, 1, 5))
    make_channel(world.account)
    make_decision_maker(world.account, owner=world.users["sponsor"])
    make_objective(world.account)
    # A meeting after the quarter ended is not part of that quarter's health.
    make_meeting(world.account, days_ago=1, satisfaction=2)
    on = date(2026, 8, 20)  # Q2 ended 30 June: seven weeks late
    assert services.take_snapshots([world.account.id], "2026-Q2", on_date=on) == 1
    snap = db.session.scalar(db.select(HealthSnapshot).where(HealthSnapshot.quarter == "2026-Q2"))
    assert snap.late is True and snap.parts["satisfaction"] is None
    # Taken within a week of the end: not late.
    assert services.take_snapshots([world.account.id], "2026-Q2", on_date=date(2026, 7, 3)) == 1
    db.session.refresh(snap)
    assert snap.late is False
    # An account with nothing known stores "not enough data", never a number.
    _backdate(world.other, date(2026, 1, 5))
    services.take_snapshots([world.other.id], "2026-Q2", on_date=date(2026, 7, 2))
    other = db.session.scalar(db.select(HealthSnapshot).where(HealthSnapshot.account_id == world.other.id))
    assert other.score is None
    assert services.trend_for([world.other.id], on_date=date(2026, 8, 1))[world.other.id] == []


def test_snapshot_button_replaces_and_audits(world):
    q = services.quarter_of_today()
    services.take_snapshots([world.account.id], q, actor=world.users["kam"])
    services.take_snapshots([world.account.id], q, actor=world.users["kam"])
    assert db.session.scalar(db.select(db.func.count(HealthSnapshot.id))) == 1


def test_cli_snapshot(app, world, runner):
    result = runner.invoke(args=["health-snapshot", "--quarter", "2026-Q1"])
    assert "Stored 0" in result.output  # both accounts were created after 2026-Q1
    _backdate(world.account, date(2026, 2, 1))
    assert "Stored 1" in runner.invoke(args=["health-snapshot", "--quarter", "2026-Q1"]).output
    assert runner.invoke(args=["health-snapshot", "--quarter", "26Q1"]).exit_code != 0


def test_gap_rule_constants_are_shared():
    assert services.STALE_DAYS == gaps.STALE_DAYS


def test_health_reads_the_weights_in_its_counting_statement(world):
    """Two statements for any number of accounts: the rules with the stored weights, the cadences."""
    services.set_weights(world.users["admin"], dict.fromkeys(services.KEYS, 0) | {"complaints": 10, "coverage": 10,
                                                                                  "plan": 10})
    ids = [world.account.id, world.other.id]
    with count_queries() as q:
        health = services.health_for(ids)
    assert q.count == 2, q.statements
    assert {p.key: p.weight for p in health[ids[0]].parts} == services.weights()
