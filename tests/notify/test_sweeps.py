"""The sweeps and the digest: who is told what, once, and nothing when there is nothing to say."""
from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.notify import digest, services, sweeps
from app.notify.models import Notification
from app.timeutil import today, utcnow
from tests import factories
from tests.complaints.factories import make_channel, make_complaint, make_contact
from tests.meetings.factories import make_cadence, make_meeting


def _told(kind=None):
    stmt = db.select(Notification.user_id, Notification.kind).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return [tuple(r) for r in db.session.execute(stmt)]


@pytest.fixture
def team(app):
    account = factories.make_account("远航汽车 Yuanhang Auto")
    people = {r: factories.make_user(f"{r} person", email=f"{r}@example.com", language="en")
              for r in ("kam", "tech", "mgmt", "sponsor", "member")}
    for role, user in people.items():
        factories.make_member(account, user, role={"kam": "kam", "sponsor": "sponsor"}.get(role, "member"))
    return account, people


def test_warning_before_the_response_target_once(team, smtp):
    account, p = team
    ch = make_channel(account, response_hours=4, resolution_hours=48, owner=p["kam"])
    make_complaint(account, ch, hours_ago=3.5)
    assert sweeps.sla_sweep() == 1
    assert sweeps.sla_sweep() == 0
    assert _told() == [(p["kam"].id, "sla_warning")]
    assert len(smtp.to("kam@example.com")) == 1


def test_breach_climbs_the_escalation_path(team, smtp):
    account, p = team
    low = make_channel(account, "account_manager", response_hours=24, resolution_hours=500, owner=p["kam"])
    make_channel(account, "technical", response_hours=24, resolution_hours=500, owner=p["tech"])
    make_channel(account, "management", response_hours=24, resolution_hours=500, owner=p["mgmt"])
    make_complaint(account, low, hours_ago=49)  # 25 hours late: one window late, one channel up
    sweeps.sla_sweep()
    assert sorted(_told()) == sorted([(p["kam"].id, "sla_breach"), (p["tech"].id, "sla_breach")])
    tech_note = db.session.scalar(db.select(Notification).where(Notification.user_id == p["tech"].id))
    assert tech_note.params["escalated_to"] == "technical"
    sweeps.sla_sweep(now=utcnow() + timedelta(hours=24))  # another window: management hears too
    assert sorted(u for u, _k in _told()) == sorted([p["kam"].id, p["tech"].id, p["mgmt"].id])
    sweeps.sla_sweep(now=utcnow() + timedelta(hours=30))
    assert len(_told()) == 3
    assert [len(smtp.to(f"{r}@example.com")) for r in ("kam", "tech", "mgmt")] == [1, 1, 1]


def test_nothing_late_nothing_sent(team, smtp):
    account, p = team
    ch = make_channel(account, response_hours=24, resolution_hours=240, owner=p["kam"])
    make_complaint(account, ch, hours_ago=2)
    make_complaint(account, ch, hours_ago=40, acknowledged_at=utcnow() - timedelta(hours=39))
    make_complaint(account, ch, hours_ago=400, status="resolved", acknowledged_at=utcnow() - timedelta(hours=399),
                   resolved_at=utcnow() - timedelta(hours=300))
    assert sweeps.sla_sweep() == 0
    assert _told() == [] and smtp.received == []


def test_someone_who_left_is_not_told_and_choices_are_kept(team, smtp):
    account, p = team
    ch = make_channel(account, response_hours=24, resolution_hours=240, owner=p["tech"])
    c = make_complaint(account, ch, hours_ago=30, owner_id=p["member"].id)
    from app.team.models import Membership
    db.session.scalar(db.select(Membership).where(Membership.user_id == p["tech"].id)).left_on = today()
    services.save_preferences(p["member"], p["member"], {"sla_breach": "email"}, digest=False)
    sweeps.sla_sweep()
    assert _told() == []  # member chose e-mail only; the channel owner left the team
    assert len(smtp.to("member@example.com")) == 1 and smtp.to("tech@example.com") == []
    assert c.id


def test_cadence_sweep_tells_executive_and_kam_once(team, smtp):
    account, p = team
    boss = make_contact(account, "赵总 Zhao")
    other = make_contact(account, "钱总 Qian", email="qian@cust.example.com")
    make_cadence(account, p["sponsor"], boss, every_days=60, started_days_ago=100)  # never met: due at once
    make_cadence(account, p["sponsor"], other, every_days=60, started_days_ago=100)
    make_meeting(account, users=[p["sponsor"]], contacts=[other], days_ago=5)  # next due in 55 days
    assert sweeps.cadence_sweep() == 2
    assert sweeps.cadence_sweep() == 0
    assert sorted(_told()) == sorted([(p["sponsor"].id, "cadence_due"), (p["kam"].id, "cadence_due")])
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == p["kam"].id))
    assert note.params["overdue"] == 100 and note.params["contact"] == "赵总 Zhao"
    assert note.url == f"/accounts/{account.id}/meetings"


def test_action_reminders(team, smtp):
    from app.actions.models import ActionItem

    account, p = team
    on = today()
    for title, due, status in (("tomorrow", 1, "open"), ("late", -3, "in_progress"), ("later", 5, "open"),
                               ("done", -3, "done"), ("today", 0, "open")):
        db.session.add(ActionItem(account_id=account.id, title=title, owner_id=p["member"].id,
                                  due_on=on + timedelta(days=due), status=status))
    db.session.commit()
    assert sweeps.action_reminders() == 2
    assert sweeps.action_reminders() == 0
    titles = sorted(n.params["title"] for n in db.session.scalars(db.select(Notification)))
    assert titles == ["late", "tomorrow"]
    subjects = sorted(m["Subject"].strip() for m in smtp.to("member@example.com"))
    assert subjects == ["Action due tomorrow: tomorrow · 远航汽车 Yuanhang Auto",
                        "Action overdue: late · 远航汽车 Yuanhang Auto"]


MONDAY_0830_SHANGHAI = datetime(2026, 11, 30, 0, 30)  # a Monday, 08:30 in Shanghai, stored UTC


def test_weekly_digest_monday_morning_in_the_persons_zone(app, team, smtp):
    account, p = team
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.extensions["babel"].default_timezone = "Asia/Shanghai"
    ch = make_channel(account, response_hours=4, resolution_hours=48, owner=p["kam"])
    make_complaint(account, ch, subject="断货 Stock-out", hours_ago=30)
    assert digest.run_digests(now=MONDAY_0830_SHANGHAI - timedelta(hours=2)) == 0  # 06:30 local: not yet
    assert digest.run_digests(now=MONDAY_0830_SHANGHAI) == 2  # the sponsor and the KAM
    assert digest.run_digests(now=MONDAY_0830_SHANGHAI + timedelta(hours=1)) == 0  # once a week
    assert digest.run_digests(now=MONDAY_0830_SHANGHAI + timedelta(days=1)) == 0  # Tuesday
    [sponsor_mail] = smtp.to("sponsor@example.com")
    [kam_mail] = smtp.to("kam@example.com")
    assert smtp.to("member@example.com") == []  # members get no digest unless they ask
    text = sponsor_mail.get_body(("plain",)).get_content()
    assert "Needs you" in text and "Stock-out" in text and "past its promised time" in text
    kam_text = kam_mail.get_body(("plain",)).get_content()
    assert "Open complaints" in kam_text and "Stock-out" in kam_text
    assert sponsor_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_digest_when_nothing_to_say_or_opted_out(app, team, smtp):
    account, p = team
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.extensions["babel"].default_timezone = "Asia/Shanghai"
    services.save_preferences(p["kam"], p["kam"], {}, digest=False)
    sent = digest.run_digests(now=MONDAY_0830_SHANGHAI)
    # The sponsor has nothing that needs them; the KAM opted out (their gaps alone would say something).
    assert smtp.to("sponsor@example.com") == [] and smtp.to("kam@example.com") == []
    assert sent == 0


def test_digest_in_chinese(app, team, smtp):
    account, p = team
    p["sponsor"].language = "zh"
    db.session.commit()
    ch = make_channel(account, response_hours=4, resolution_hours=48, owner=p["kam"])
    make_complaint(account, ch, subject="断货", hours_ago=30)
    digest.run_digests(now=datetime(2026, 11, 30, 9, 0))  # Monday 09:00 UTC, the workspace's zone
    [msg] = smtp.to("sponsor@example.com")
    assert msg["Subject"].strip().startswith("本周概要")
    text = msg.get_body(("plain",)).get_content()
    assert "== 需要您处理 ==" in text and "投诉《断货》（中）已超出承诺时限。" in text
