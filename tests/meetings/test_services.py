"""Meeting services: cadence arithmetic, meetings moving "last contacted", action items, the .ics file."""
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from app.actions.services import my_actions
from app.extensions import db
from app.meetings import ics, services
from app.meetings.models import Meeting, cadence_due
from app.stakeholders.models import Contact
from app.timeutil import today, utcnow
from tests.complaints.factories import make_contact
from tests.meetings.factories import make_cadence, make_meeting


@pytest.fixture
def rq(app):
    with app.test_request_context():
        yield


def _data(**kw):
    d = dict(kind="executive", status="held", title="Executive meeting", starts_at=utcnow() - timedelta(days=3),
             duration_minutes=60, location="HQ", agenda="Renewal", summary="Good", decisions="Renew\nPilot in Q2",
             satisfaction=8)
    d.update(kw)
    return d


# --- cadence arithmetic -------------------------------------------------------------------

def test_cadence_due_from_last_meeting():
    assert cadence_due(date(2026, 1, 1), date(2025, 1, 1), 90, on=date(2026, 3, 1)) == (date(2026, 4, 1), 0)
    assert cadence_due(date(2026, 1, 1), date(2025, 1, 1), 30, on=date(2026, 3, 1)) == (date(2026, 1, 31), 29)
    # Due on the day itself is not overdue yet.
    assert cadence_due(date(2026, 1, 1), date(2025, 1, 1), 31, on=date(2026, 2, 1)) == (date(2026, 2, 1), 0)


def test_cadence_never_met_is_due_from_its_start():
    assert cadence_due(None, date(2026, 2, 1), 60, on=date(2026, 2, 11)) == (date(2026, 2, 1), 10)


def test_cadence_status_uses_last_held_meeting_with_that_contact(world, rq):
    sponsor = world.users["sponsor"]
    boss, cto = make_contact(world.account, "Boss"), make_contact(world.account, "CTO", seniority="vp")
    make_cadence(world.account, sponsor, boss, every_days=30)
    make_cadence(world.account, sponsor, cto, every_days=30)
    make_meeting(world.account, [sponsor], [boss], days_ago=40)
    make_meeting(world.account, [sponsor], [boss], days_ago=10)
    make_meeting(world.account, [sponsor], [cto], days_ago=-5, status="scheduled")  # planned ones don't count
    make_meeting(world.account, [sponsor], [cto], days_ago=45)
    make_meeting(world.other, [world.users["outsider"]], [], days_ago=1)
    rows = services.cadences_with_status(world.account.id)
    by_name = {cad.contact.name: (met, due, overdue) for cad, met, due, overdue in rows}
    assert by_name["Boss"][2] == 0 and by_name["Boss"][1] == by_name["Boss"][0] + timedelta(days=30)
    assert by_name["CTO"][2] == 15
    assert rows[0][0].contact.name == "CTO"  # most overdue first


def test_overview_shows_the_last_two_held_and_the_next_planned(world, rq):
    sponsor, boss = world.users["sponsor"], make_contact(world.account, "Boss")
    assert services.overview(world.account.id)["held"] == [] and services.overview(world.account.id)["upcoming"] is None
    for days in (30, 2, 9):
        make_meeting(world.account, [sponsor], [boss], days_ago=days, title=f"Held {days}")
    make_meeting(world.account, [sponsor], [boss], days_ago=3, status="scheduled", title="Missed")  # past: not next
    make_meeting(world.account, [sponsor], [boss], days_ago=-20, status="scheduled", title="Later")
    make_meeting(world.account, [sponsor], [boss], days_ago=-4, status="scheduled", title="Soon")
    make_meeting(world.account, [sponsor], [boss], days_ago=-1, status="cancelled", title="Cancelled")
    make_meeting(world.other, [world.users["outsider"]], [], days_ago=1)
    make_meeting(world.other, [world.users["outsider"]], [], days_ago=-1, status="scheduled")
    got = services.overview(world.account.id)
    assert [m.title for m in got["held"]] == ["Held 2", "Held 9"]
    assert got["upcoming"].title == "Soon" and [c.name for c in got["held"][0].their_attendees] == ["Boss"]


def test_cadence_rules(world, rq):
    boss = make_contact(world.account)
    with pytest.raises(services.MeetingError, match="team"):
        services.create_cadence(world.users["kam"], world.account, executive_id=world.users["outsider"].id,
                                contact_id=boss.id, every_days=60)
    with pytest.raises(services.MeetingError, match="contacts of this account"):
        services.create_cadence(world.users["kam"], world.account, executive_id=world.users["sponsor"].id,
                                contact_id=make_contact(world.other).id, every_days=60)
    with pytest.raises(services.MeetingError, match="7 to 730"):
        services.create_cadence(world.users["kam"], world.account, executive_id=world.users["sponsor"].id,
                                contact_id=boss.id, every_days=3)
    services.create_cadence(world.users["kam"], world.account, executive_id=world.users["sponsor"].id,
                            contact_id=boss.id, every_days=60)
    with pytest.raises(services.MeetingError, match="already"):
        services.create_cadence(world.users["kam"], world.account, executive_id=world.users["sponsor"].id,
                                contact_id=boss.id, every_days=30)


# --- meetings -----------------------------------------------------------------------------

def test_held_meeting_moves_last_contacted(world, rq):
    boss, cfo = make_contact(world.account, "Boss"), make_contact(world.account, "CFO")
    cfo.last_contacted_on = today()
    db.session.commit()
    m = services.create_meeting(world.users["kam"], world.account, _data(), [world.users["kam"].id],
                                [boss.id, cfo.id])
    db.session.expire_all()
    assert db.session.get(Contact, boss.id).last_contacted_on == services.local_date(m.starts_at)
    assert db.session.get(Contact, cfo.id).last_contacted_on == today()  # never moved back


def test_scheduled_meeting_does_not_touch_contacts_until_held(world, rq):
    boss = make_contact(world.account)
    m = services.create_meeting(world.users["kam"], world.account,
                                _data(status="scheduled", starts_at=utcnow() + timedelta(days=3), satisfaction=None),
                                [world.users["kam"].id], [boss.id])
    assert db.session.get(Contact, boss.id).last_contacted_on is None
    services.update_meeting(world.users["kam"], m, _data(starts_at=utcnow() - timedelta(hours=2)),
                            [world.users["kam"].id], [boss.id], m.version)
    db.session.expire_all()
    assert db.session.get(Contact, boss.id).last_contacted_on is not None


def test_meeting_validation(world, rq):
    kam = world.users["kam"]
    with pytest.raises(services.MeetingError, match="1 to 10"):
        services.create_meeting(kam, world.account, _data(satisfaction=11), [kam.id], [])
    with pytest.raises(services.MeetingError, match="future"):
        services.create_meeting(kam, world.account, _data(starts_at=utcnow() + timedelta(days=2)), [kam.id], [])
    with pytest.raises(services.MeetingError, match="held"):
        services.create_meeting(kam, world.account, _data(status="scheduled", satisfaction=7), [kam.id], [])
    with pytest.raises(services.MeetingError, match="at least one"):
        services.create_meeting(kam, world.account, _data(), [], [])
    with pytest.raises(services.MeetingError, match="contacts of this account"):
        services.create_meeting(kam, world.account, _data(), [kam.id], [make_contact(world.other).id])


def test_attendee_only_edit_is_versioned_and_audited(world, rq):
    from app.audit.models import AuditEvent
    from app.concurrency import StaleEdit

    kam = world.users["kam"]
    m = services.create_meeting(kam, world.account, _data(), [kam.id], [])
    v = m.version
    services.update_meeting(kam, m, _data(), [kam.id, world.users["sponsor"].id], [], v)
    assert m.version == v + 1
    ev = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "Meeting",
                                                       AuditEvent.action == "update"))
    assert "our_attendees" in ev.changes
    with pytest.raises(StaleEdit):
        services.update_meeting(kam, m, _data(title="Mine"), [kam.id], [], v)


def test_meeting_actions_join_my_actions(world, rq):
    kam, member = world.users["kam"], world.users["member"]
    m = services.create_meeting(kam, world.account, _data(), [kam.id], [])
    a = services.add_action(kam, m, world.account, title="Send the renewal draft", owner_id=member.id,
                            due_on=today() - timedelta(days=1))
    assert a.meeting_id == m.id
    assert [x.id for x in my_actions(member)[0]] == [a.id]
    assert [x.id for x in services.open_meeting_actions(world.account.id)] == [a.id]
    assert a.is_overdue


# --- .ics ---------------------------------------------------------------------------------

def test_ics_parses_back(world, rq):
    kam = world.users["kam"]
    boss = make_contact(world.account, "刘总 Liu Jun", email="liu@cust.example.com")
    start = datetime(2026, 12, 3, 2, 0)  # 10:00 in Shanghai
    m = services.create_meeting(kam, world.account, _data(
        status="scheduled", starts_at=start, duration_minutes=90, satisfaction=None,
        title="高层会晤; Exec meeting, Q4", location="上海, HQ"), [kam.id], [boss.id])
    m = services.load_meeting(m.id, organizer=True)
    body = ics.meeting_ics(m, world.account, "kam.example.com", description="议程\nRenewal, pilot")
    assert b"\r\n" in body
    cal = Calendar.from_ical(body)
    assert cal["version"] == "2.0" and cal["method"] == "PUBLISH"
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("dtstart").isoformat() == "2026-12-03T02:00:00+00:00"
    assert ev.decoded("dtend") - ev.decoded("dtstart") == timedelta(minutes=90)
    assert str(ev["summary"]) == f"高层会晤; Exec meeting, Q4 · {world.account.name}"
    assert str(ev["location"]) == "上海, HQ"
    assert str(ev["description"]) == "议程\nRenewal, pilot"
    assert str(ev["uid"]) == f"meeting-{m.id}@kam.example.com" and int(ev["sequence"]) == m.sequence == 0
    attendees = ev["attendee"] if isinstance(ev["attendee"], list) else [ev["attendee"]]
    assert "mailto:liu@cust.example.com" in [str(a) for a in attendees]
    assert [c.name for c in ev.walk("VALARM")] == ["VALARM"]


def test_ics_of_cancelled_meeting_says_so(world, rq):
    kam = world.users["kam"]
    m = make_meeting(world.account, [kam], [], status="cancelled", satisfaction=None)
    m = services.load_meeting(m.id, organizer=True)
    ev = Calendar.from_ical(ics.meeting_ics(m, world.account, "h")).walk("VEVENT")[0]
    assert str(ev["status"]) == "CANCELLED"
    assert db.session.get(Meeting, m.id)
