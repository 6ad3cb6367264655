"""The personal calendar feed and the meeting .ics: UTC times, all-day dates that never move,
stable UIDs, rising SEQUENCE, cancellations, only current accounts, ETag, a fixed query count;
parsed by `icalendar` and by the strict reader in tests/profile/rfc5545.py."""
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from app.actions.models import ActionItem
from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.profile import services
from app.timeutil import today
from tests import factories
from tests.complaints.factories import make_channel, make_complaint, make_contact
from tests.meetings.factories import make_cadence, make_meeting
from tests.profile import rfc5545
from tests.querycount import count_queries

WINTER = date(today().year + 1, 1, 14)  # ahead, and in standard time in both Shanghai and LA


def _feed(app, user):
    token = user.calendar_token or services.reset_calendar_token(user)
    return app.test_client().get(f"/calendar/{token}.ics")


def _both(body):
    """(icalendar events, strict events): the same feed read by two parsers."""
    cal = Calendar.from_ical(body)
    strict = rfc5545.events(rfc5545.parse(body))
    evs = cal.walk("VEVENT")
    assert len(evs) == len(strict)
    assert sorted(str(e["uid"]) for e in evs) == sorted(p["UID"][1] for p in strict)
    return evs, strict


def _text(resp):
    """Page text with Babel's narrow no-break spaces ("2:30\u202fPM") as plain spaces."""
    return resp.get_data(as_text=True).replace("\u202f", " ").replace("\xa0", " ")


def _set_zone(user, zone):
    u = db.session.get(User, user.id)
    u.timezone = zone
    db.session.commit()


def test_done_means_shanghai_kam_schedules_1430(app, world, as_role):
    """14:30 typed in Shanghai: 14:30 on her pages, 06:30Z in the feed and the .ics, 22:30 the day
    before for a colleague in Los Angeles."""
    kam_user, member = world.users["kam"], world.users["member"]
    kam, la = as_role("kam"), as_role("member")
    assert kam.post("/me", data={"name": kam_user.name, "language": "", "timezone": "Asia/Shanghai",
                                 "version": kam_user.version}).status_code == 302
    _set_zone(member, "America/Los_Angeles")
    form = kam.get(f"/accounts/{world.account.id}/meetings/new").get_data(as_text=True)
    assert "In your time zone (Asia/Shanghai)" in form
    r = kam.post(f"/accounts/{world.account.id}/meetings/new", data={
        "title": "高层会晤 Exec meeting", "kind": "executive", "status": "scheduled",
        "starts_at": f"{WINTER.isoformat()}T14:30", "duration_minutes": 60, "location": "上海",
        "our_attendees": [kam_user.id, member.id], "their_attendees": [], "agenda": "Renewal"})
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    m = db.session.scalar(db.select(Meeting))
    assert m.starts_at == datetime.combine(WINTER, datetime.min.time()).replace(hour=6, minute=30)

    show = f"/accounts/{world.account.id}/meetings/{m.id}"
    assert "2:30 PM" in _text(kam.get(show))
    assert "2:30 PM" in _text(kam.get(f"/accounts/{world.account.id}/meetings"))
    edit = kam.get(show + "/edit").get_data(as_text=True)
    assert f'value="{WINTER.isoformat()}T14:30"' in edit
    la_page = _text(la.get(show))
    day_before = WINTER - timedelta(days=1)
    assert "10:30 PM" in la_page and f"{day_before:%b} {day_before.day}, {day_before.year}" in la_page
    assert "America/Los_Angeles" in la_page

    stamp = WINTER.strftime("%Y%m%d") + "T063000Z"
    ics = kam.get(show + "/meeting.ics").data
    assert f"DTSTART:{stamp}".encode() in ics
    for user in (kam_user, member):
        body = _feed(app, db.session.get(User, user.id)).data
        assert f"DTSTART:{stamp}".encode() in body
        evs, strict = _both(body)
        (ev,) = [e for e in evs if str(e["uid"]).startswith("meeting-")]
        assert ev.decoded("dtstart").isoformat() == f"{WINTER.isoformat()}T06:30:00+00:00"


def test_meeting_ics_sequence_rises_and_cancel_says_so(world, as_role):
    kam_user = world.users["kam"]
    kam = as_role("kam")
    boss = make_contact(world.account, "Liu\r\nInjected: yes", email="liu@cust.example.com\r\nX: y")
    m = make_meeting(world.account, [kam_user], [boss], status="scheduled", days_ago=-5, satisfaction=None,
                     created_by_id=kam_user.id)
    url = f"/accounts/{world.account.id}/meetings/{m.id}"

    def ev():
        body = kam.get(url + "/meeting.ics").data
        rfc5545.parse(body)  # strict
        return Calendar.from_ical(body).walk("VEVENT")[0], body

    first, body = ev()
    assert int(first["sequence"]) == 0 and str(first["uid"]) == f"meeting-{m.id}@localhost"
    assert "mailto:" + kam_user.email == str(first["organizer"])
    assert b"\r\nInjected" not in body and b"X: y" not in body  # no header injection via names/e-mails
    base = {"title": m.title, "kind": "executive", "status": "scheduled", "duration_minutes": 60,
            "location": "HQ", "our_attendees": [kam_user.id], "their_attendees": [boss.id], "agenda": "",
            "summary": "", "decisions": ""}
    local = (m.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert kam.post(url + "/edit", data=dict(base, starts_at=local, version=m.version)).status_code == 302
    moved, _ = ev()
    assert int(moved["sequence"]) == 1 and str(moved["uid"]) == str(first["uid"])
    db.session.refresh(m)
    assert kam.post(url + "/edit", data=dict(base, starts_at=local, status="cancelled",
                                             version=m.version)).status_code == 302
    cancelled, _ = ev()
    assert int(cancelled["sequence"]) == 2 and str(cancelled["status"]) == "CANCELLED"
    assert "Cancellation for your calendar" in kam.get(url).get_data(as_text=True)


def test_held_meeting_offers_no_ics(world, as_role):
    kam = as_role("kam")
    m = make_meeting(world.account, [world.users["kam"]], [], status="held")
    url = f"/accounts/{world.account.id}/meetings/{m.id}"
    assert "meeting.ics" not in kam.get(url).get_data(as_text=True)
    assert kam.get(url + "/meeting.ics").status_code == 410


def _busy_user(world, n_accounts=12, lang=None, zone="Asia/Shanghai"):
    """A user on many accounts with meetings, cadences, actions and complaints on each; and one left."""
    user = factories.make_user("王芳 Wang Fang", seniority="director", language=lang, timezone=zone)
    accounts = []
    for i in range(n_accounts):
        acc = factories.make_account(f"客户 {i} Account {i}")
        factories.make_member(acc, user, role="kam")
        boss = make_contact(acc, f"刘总 {i}; Liu, Jun", email=f"liu{i}@cust.example.com")
        make_meeting(acc, [user], [boss], status="scheduled", days_ago=-3 - i, satisfaction=None,
                     title=f"Exec; review, {i}", agenda="议程\nline two")
        make_meeting(acc, [user], [boss], status="held", days_ago=20)
        make_meeting(acc, [user], [boss], status="cancelled", days_ago=-2, satisfaction=None)
        make_cadence(acc, user, boss, every_days=60)
        db.session.add(ActionItem(account_id=acc.id, title=f"报价 quote {i}", owner_id=user.id,
                                  due_on=WINTER + timedelta(days=i)))
        db.session.add(ActionItem(account_id=acc.id, title="done one", owner_id=user.id, due_on=WINTER,
                                  status="done"))
        make_complaint(acc, make_channel(acc, owner=user), f"交付延迟 late {i}")
        accounts.append(acc)
    db.session.commit()
    left = factories.make_account("已离开 Left Co")
    factories.make_member(left, user, role="member", left_on=today() - timedelta(days=3))
    make_meeting(left, [user], [], status="scheduled", days_ago=-4, satisfaction=None, title="SECRET left")
    db.session.add(ActionItem(account_id=left.id, title="SECRET action", owner_id=user.id, due_on=WINTER))
    make_complaint(left, make_channel(left, owner=user), "SECRET complaint")
    db.session.commit()
    return user, accounts


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_feed_of_a_user_with_many_accounts_parses_both_ways(app, world, lang):
    user, accounts = _busy_user(world, lang=lang)
    r = _feed(app, user)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    assert b"SECRET" not in r.data  # nothing of an account the user left
    evs, strict = _both(r.data)
    uids = [str(e["uid"]) for e in evs]
    n = len(accounts)
    assert sum(u.startswith("meeting-") for u in uids) == n  # scheduled only: not held, not cancelled
    assert sum(u.startswith("cadence-") for u in uids) == n
    assert sum(u.startswith("action-") for u in uids) == n  # open ones only
    assert sum(u.startswith("complaint-response-") for u in uids) == n
    for props in strict:
        for key in ("DTSTART", "DTEND"):
            rfc5545.when(*props[key])  # UTC or a DATE, never floating
        rfc5545.text(props["SUMMARY"][1])
    actions = sorted((e for e in evs if str(e["uid"]).startswith("action-")), key=lambda e: e.decoded("dtstart"))
    assert actions[0].decoded("dtstart") == WINTER and actions[0].decoded("dtend") == WINTER + timedelta(days=1)
    summaries = " ".join(str(e["summary"]) for e in evs)
    assert ("行动到期" if lang == "zh" else "Action due") in summaries
    assert ("回复投诉" if lang == "zh" else "Respond to the complaint") in summaries
    meeting = next(e for e in evs if str(e["uid"]).startswith("meeting-"))
    assert str(meeting["description"]).startswith("议程\nline two")
    attendees = meeting["attendee"] if isinstance(meeting["attendee"], list) else [meeting["attendee"]]
    assert {str(a) for a in attendees} == {f"mailto:{user.email}", f"mailto:liu{n - 1}@cust.example.com"} or any(
        str(a).startswith("mailto:liu") for a in attendees)
    assert any(a.params.get("CN", "").startswith("刘总") for a in attendees)


def test_due_dates_never_move_a_day_across_zones(app, world):
    """The same action in the feed of readers in UTC+14, Shanghai and UTC−10: the same DATE."""
    seen = set()
    for zone in ("Pacific/Kiritimati", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Honolulu"):
        user = factories.make_user(f"Reader {zone}", timezone=zone)
        acc = factories.make_account(f"Acc {zone}")
        factories.make_member(acc, user, role="kam")
        db.session.add(ActionItem(account_id=acc.id, title="Due", owner_id=user.id, due_on=WINTER))
        db.session.commit()
        body = _feed(app, user).data
        assert f"DTSTART;VALUE=DATE:{WINTER.strftime('%Y%m%d')}".encode() in body
        (ev,) = Calendar.from_ical(body).walk("VEVENT")
        seen.add(ev.decoded("dtstart"))
        (props,) = rfc5545.events(rfc5545.parse(body))
        assert rfc5545.when(*props["DTSTART"]) == WINTER
        # ... and on the pages, as the same date
        client = app.test_client().login(user)
        html = client.get("/me/actions").get_data(as_text=True)
        assert f"{WINTER.strftime('%b')} {WINTER.day}, {WINTER.year}" in html
    assert seen == {WINTER}


def test_feed_etag_gives_304_and_changes_with_content(app, world):
    user, accounts = _busy_user(world, n_accounts=2)
    client = app.test_client()
    url = f"/calendar/{services.reset_calendar_token(user)}.ics"
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url).headers["ETag"] == etag  # stable body: no DTSTAMP of "now"
    db.session.add(ActionItem(account_id=accounts[0].id, title="New", owner_id=user.id, due_on=WINTER))
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_feed_runs_a_fixed_number_of_queries(app, world):
    small, _ = _busy_user(world, n_accounts=2)
    big, _ = _busy_user(world, n_accounts=10)
    counts = []
    for user in (small, big):
        url = f"/calendar/{services.reset_calendar_token(user)}.ics"
        client = app.test_client()
        client.get(url)
        with count_queries() as q:
            assert client.get(url).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1] <= 12, counts
