"""Meeting pages: full page and htmx fragment, bad input, conflicts, .ics download, query counts."""
from datetime import timedelta

import pytest
from icalendar import Calendar

from app.actions.models import ActionItem
from app.extensions import db
from app.meetings.models import ExecutiveCadence, Meeting
from app.timeutil import today, utcnow
from tests.complaints.factories import make_contact
from tests.meetings.factories import make_cadence, make_meeting
from tests.querycount import queries_for


@pytest.fixture
def kam(as_role):
    return as_role("kam")


def _url(world, path=""):
    return f"/accounts/{world.account.id}{path}"


def _form(world, contact=None, **kw):
    d = {"title": "高层会晤 Exec meeting", "kind": "executive", "status": "held",
         "starts_at": (utcnow() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60,
         "location": "HQ", "our_attendees": [world.users["kam"].id, world.users["sponsor"].id],
         "their_attendees": [contact.id] if contact else [], "agenda": "Renewal", "summary": "Warm",
         "decisions": "Renew for three years\nPilot in Q2", "satisfaction": 8}
    d.update(kw)
    return d


def test_index_page_and_kind_fragment(world, kam, hx):
    make_meeting(world.account, [world.users["kam"]], [], title="Dinner", kind="executive")
    make_meeting(world.account, [world.users["kam"]], [], title="Plant tour", kind="site_visit")
    page = kam.get(_url(world, "/meetings"))
    assert page.status_code == 200 and b"Dinner" in page.data and b'id="cadences"' in page.data
    frag = kam.get(_url(world, "/meetings?kind=site_visit"), headers=hx)
    assert frag.status_code == 200 and b"<html" not in frag.data and b"Plant tour" in frag.data
    assert b"Dinner" not in frag.data


def test_log_meeting_then_add_action_in_place(world, kam, hx):
    boss = make_contact(world.account)
    r = kam.post(_url(world, "/meetings/new"), data=_form(world, boss))
    assert r.status_code == 302
    m = db.session.scalar(db.select(Meeting))
    assert m.decision_list == ["Renew for three years", "Pilot in Q2"]
    page = kam.get(_url(world, f"/meetings/{m.id}"))
    assert page.status_code == 200 and b"Renew for three years" in page.data
    r = kam.post(_url(world, f"/meetings/{m.id}/actions"), headers=hx, data={
        "title": "Draft the renewal", "owner_id": world.users["member"].id,
        "due_on": (today() + timedelta(days=7)).isoformat()})
    assert r.status_code == 200 and b'id="meeting-actions"' in r.data and b"Draft the renewal" in r.data
    assert db.session.scalar(db.select(ActionItem.meeting_id)) == m.id
    r = kam.post(_url(world, f"/meetings/{m.id}/actions"), headers=hx, data={"title": "", "owner_id": 0})
    assert r.status_code == 422 and b"required" in r.data
    r = kam.post(_url(world, f"/meetings/{m.id}/actions"), headers=hx,
                 data={"title": "x", "owner_id": world.users["outsider"].id})
    assert r.status_code == 422


def test_bad_meeting_input_is_422_with_input_kept(world, kam):
    r = kam.post(_url(world, "/meetings/new"), data=_form(world, satisfaction=12, title="Kept title"))
    assert r.status_code == 422 and b"Kept title" in r.data and b"1 to 10" in r.data
    future = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    r = kam.post(_url(world, "/meetings/new"), data=_form(world, starts_at=future, title="Kept title"))
    assert r.status_code == 422 and b"future" in r.data
    r = kam.post(_url(world, "/meetings/new"), data=_form(world, our_attendees=[]))
    assert r.status_code == 422


def test_edit_conflict_is_409_and_keeps_input(world, kam):
    m = make_meeting(world.account, [world.users["kam"]], [])
    url = _url(world, f"/meetings/{m.id}/edit")
    assert kam.get(url).status_code == 200
    assert kam.post(url, data=_form(world, version=m.version, summary="First")).status_code == 302
    r = kam.post(url, data=_form(world, version=1, summary="My own summary"))
    assert r.status_code == 409 and b"My own summary" in r.data and b"Someone else saved" in r.data


def test_ics_download(world, kam):
    m = make_meeting(world.account, [world.users["kam"]], [], status="scheduled", days_ago=-7, satisfaction=None,
                     title="Next exec meeting")
    r = kam.get(_url(world, f"/meetings/{m.id}/meeting.ics"))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in r.headers["Content-Disposition"]
    ev = Calendar.from_ical(r.data).walk("VEVENT")[0]
    assert "Next exec meeting" in str(ev["summary"]) and f"/meetings/{m.id}" in str(ev["description"])


def test_cadence_add_edit_stop_in_place(world, kam, hx):
    boss = make_contact(world.account)
    r = kam.post(_url(world, "/cadences"), headers=hx, data={
        "executive_id": world.users["sponsor"].id, "contact_id": boss.id, "every_days": 60})
    assert r.status_code == 200 and b'id="cadences"' in r.data and b"every 60 days" in r.data
    cad = db.session.scalar(db.select(ExecutiveCadence))
    r = kam.post(_url(world, f"/cadences/{cad.id}"), headers=hx, data={"every_days": 3, "version": cad.version})
    assert r.status_code == 422
    r = kam.post(_url(world, f"/cadences/{cad.id}"), headers=hx, data={"every_days": 45, "version": cad.version})
    assert r.status_code == 200 and b"every 45 days" in r.data
    r = kam.post(_url(world, f"/cadences/{cad.id}"), headers=hx, data={"every_days": 30, "version": 1})
    assert r.status_code == 409
    r = kam.post(_url(world, "/cadences"), headers=hx, data={"executive_id": 0, "contact_id": boss.id,
                                                             "every_days": 60})
    assert r.status_code == 422
    r = kam.post(_url(world, f"/cadences/{cad.id}/delete"), headers=hx)
    assert r.status_code == 200 and db.session.scalar(db.select(ExecutiveCadence.id)) is None


def test_overview_answers_in_ten_seconds(world, kam):
    """Last executive meeting, what was decided, what is overdue: all on the overview."""
    boss = make_contact(world.account, "刘总 Liu Jun")
    make_cadence(world.account, world.users["sponsor"], boss, every_days=30)
    m = make_meeting(world.account, [world.users["sponsor"]], [boss], days_ago=45, decisions="Renew for 3 years")
    db.session.add(ActionItem(account_id=world.account.id, title="Send the draft", meeting_id=m.id,
                              owner_id=world.users["member"].id, due_on=today() - timedelta(days=3)))
    db.session.commit()
    body = kam.get(_url(world, "/sections/meetings")).data.decode()
    section = body[body.index('id="section-meetings"'):]
    assert "刘总 Liu Jun" in section and "Renew for 3 years" in section
    assert "15 days overdue" in section and "Send the draft" in section and "Overdue" in section


@pytest.mark.parametrize("path", ["/meetings", "", "/meetings/{mid}", "/meetings/{mid}/edit"])
def test_query_count_does_not_grow(world, kam, path):
    boss = make_contact(world.account)
    m = make_meeting(world.account, [world.users["kam"]], [boss])
    make_cadence(world.account, world.users["sponsor"], boss)
    db.session.add(ActionItem(account_id=world.account.id, title="a", meeting_id=m.id,
                              owner_id=world.users["kam"].id, due_on=today()))
    db.session.commit()
    url = _url(world, path.format(mid=m.id))
    _, before = queries_for(kam, url)
    for i in range(5):
        c = make_contact(world.account, f"C{i}")
        x = make_meeting(world.account, [world.users["kam"], world.users["member"]], [c, boss], days_ago=i * 5)
        make_cadence(world.account, world.users["sponsor"], c)
        for mid in (m.id, x.id):
            db.session.add(ActionItem(account_id=world.account.id, title=f"a{i}", meeting_id=mid,
                                      owner_id=world.users["member"].id, due_on=today()))
        db.session.commit()
    resp, after = queries_for(kam, url)
    assert resp.status_code == 200
    assert after == before, (path, before, after)


def test_cadence_choices_put_decision_makers_first_and_label_people(app, world):
    """The cadence form's choices, read as columns: the current team by name, with a title or
    else the seniority; the active contacts, decision-makers (economic buyers, VPs and above)
    first, then by name; nobody who left or was archived."""
    from app.meetings.routes import cadence_choices
    from app.team.models import Membership
    from tests import factories

    with app.test_request_context():
        a = world.account
        make_contact(a, name="Zed Zhao 赵", seniority="c_level", buying_role="user", title="CEO")
        make_contact(a, name="Amy An 安", seniority="manager", buying_role="economic_buyer", title="")
        make_contact(a, name="Bob Bai 白", seniority="manager", buying_role="user", title="Buyer")
        make_contact(a, name="Gone 走", seniority="c_level", status="archived")
        left = factories.make_user(name="Left 离", seniority="vp", title="")
        factories.make_member(a, left)
        db.session.execute(db.update(Membership).where(Membership.user_id == left.id)
                           .values(left_on=today()))
        db.session.commit()
        executives, contacts = cadence_choices(a.id)
    team = sorted(((u.id, u.name, u.title, u.seniority_label) for u in world.users.values()
                   if db.session.scalar(db.select(Membership.id).where(
                       Membership.user_id == u.id, Membership.account_id == a.id,
                       Membership.left_on.is_(None)))), key=lambda t: t[1])
    assert executives[0] == (0, "—") and [e[0] for e in executives[1:]] == [t[0] for t in team]
    assert all(label == f"{name} · {title or sen}" for (_i, label), (_u, name, title, sen)
               in zip(executives[1:], team, strict=True))
    names = [label for _i, label in contacts[1:]]
    dms = [n for n in names if n.startswith(("Amy", "Zed"))]
    assert dms == ["Amy An 安", "Zed Zhao 赵 · CEO"] and names.index("Bob Bai 白 · Buyer") > names.index("Zed Zhao 赵 · CEO")
    assert not any(n.startswith("Gone") for n in names) and not any("Left" in e[1] for e in executives)
