"""Calendar invitations by e-mail, through a real SMTP server on 127.0.0.1: scheduling a meeting
sends each attendee with an e-mail an iTIP REQUEST in their language and zone; cancelling sends
the CANCEL with the same UID and a higher SEQUENCE."""
from datetime import datetime

import pytest
from icalendar import Calendar

from app import create_app
from app.extensions import db
from app.meetings.models import Meeting
from tests.complaints.factories import make_contact
from tests.conftest import CsrfClient, make_config
from tests.notify.servers import SmtpServer
from tests.snapshot import empty_tables


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def app(_schema, smtp, tmp_path):
    app = create_app(make_config(_schema, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_BACKEND="smtp",
                                 MAIL_DEFAULT_SENDER="大客户工作台 KAM <noreply@kam.test>",
                                 BASE_URL="https://kam.test", MAIL_OUTBOX_DIR=str(tmp_path / "outbox")))
    app.test_client_class = CsrfClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


def _calendar(msg):
    part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert "method=" in part["Content-Type"]
    return Calendar.from_ical(part.get_content()), part


def test_schedule_invites_then_cancel(world, as_role, smtp):
    kam = world.users["kam"]
    kam.timezone, kam.language = "Asia/Shanghai", "zh"
    sponsor = world.users["sponsor"]
    sponsor.timezone, sponsor.language = "America/Los_Angeles", "en"
    db.session.commit()
    boss = make_contact(world.account, name="刘总 Liu Jun", email="liu.jun@customer.example")
    client = as_role("kam")
    form = {"title": "季度高层会晤 Quarterly exec meeting", "kind": "executive", "status": "scheduled",
            "starts_at": "2027-01-12T14:30", "duration_minutes": 60, "location": "上海总部",
            "our_attendees": [kam.id, sponsor.id], "their_attendees": [boss.id], "agenda": "Renewal",
            "send_invites": "y"}
    r = client.post(f"/accounts/{world.account.id}/meetings/new", data=form)
    assert r.status_code in (302, 303), r.data[:500]
    meeting = db.session.scalar(db.select(Meeting))
    assert meeting.starts_at == datetime(2027, 1, 12, 6, 30)  # typed in Shanghai, stored in UTC

    # The organizer is not mailed; the sponsor and the customer's GM are, once each.
    assert smtp.to(kam.email) == []
    (to_sponsor,) = smtp.to(sponsor.email)
    (to_boss,) = smtp.to("liu.jun@customer.example")
    assert str(to_sponsor["Subject"]).strip().startswith("Invitation: 季度高层会晤")
    body = to_sponsor.get_body(("plain",)).get_content()
    assert "America/Los_Angeles" in body and "10:30" in body  # 06:30 UTC is 22:30 the day before in LA
    cal, part = _calendar(to_sponsor)
    assert part.get_param("method") == "REQUEST" and str(cal["method"]) == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert event.decoded("dtstart") .isoformat().startswith("2027-01-12T06:30:00")
    assert "mailto:" in str(event["organizer"]) and kam.email in str(event["organizer"])
    attendees = {str(a).lower() for a in event.get("attendee")}
    assert f"mailto:{sponsor.email}".lower() in attendees and "mailto:liu.jun@customer.example" in attendees
    uid, sequence = str(event["uid"]), int(event["sequence"])
    # Their people read it in the organizer's language and zone.
    assert str(to_boss["Subject"]).strip().startswith("会议邀请：") and "Asia/Shanghai" in \
        to_boss.get_body(("plain",)).get_content()

    # Cancelling sends the cancellation: same UID, higher SEQUENCE, STATUS:CANCELLED.
    form.update(status="cancelled", version=meeting.version)
    r = client.post(f"/accounts/{world.account.id}/meetings/{meeting.id}/edit", data=form)
    assert r.status_code in (302, 303), r.data[:500]
    cancels = [m for m in smtp.to(sponsor.email) if str(m["Subject"]).strip().startswith("Cancelled")]
    assert len(cancels) == 1
    cal, part = _calendar(cancels[0])
    event = cal.walk("VEVENT")[0]
    assert str(cal["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == uid and int(event["sequence"]) > sequence


def test_no_invitation_unless_asked_or_for_a_held_meeting(world, as_role, smtp):
    boss = make_contact(world.account, email="boss@customer.example")
    client = as_role("kam")
    base = {"title": "Dinner", "kind": "executive", "starts_at": "2026-11-02T12:00", "duration_minutes": 60,
            "our_attendees": [world.users["kam"].id, world.users["sponsor"].id], "their_attendees": [boss.id]}
    client.post(f"/accounts/{world.account.id}/meetings/new", data=dict(base, status="scheduled"))
    client.post(f"/accounts/{world.account.id}/meetings/new", data=dict(base, status="held", send_invites="y"))
    assert smtp.received == []
