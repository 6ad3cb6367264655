"""Ids of another account's objects in form bodies and query strings are refused.

The route walk (tests/test_access.py) covers ids in the URL path. Here every form field that
carries an id (department, contact, reports-to, parent, channel, owner, executive, attendees,
coverage target) gets the id of account B's object while posting to account A: the answer must
be 4xx and the database must be exactly as before. Each case also posts the same form with
account A's own ids and expects it to be accepted, so a refusal cannot come from a badly
built form. Query-string ids (?contact=, ?department=, ?target=) must not show B's objects.
"""
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.extensions import db
from app.timeutil import today, utcnow
from tests.route_params import build

SECRET = "B-ONLY-SECRET"


class Ids:
    """One of each object of an account, by kind."""

    def __init__(self, world, account):
        from app.actions.models import ActionItem
        from app.complaints.models import Complaint, ComplaintChannel
        from app.meetings.models import ExecutiveCadence, Meeting
        from app.plans.models import Objective, Plan
        from app.stakeholders.models import Contact, Department

        def first(model, *where):
            return db.session.scalar(db.select(model).where(model.account_id == account.id, *where)
                                     .order_by(model.id).limit(1))
        self.account = account
        self.dept = first(Department)
        self.contact = first(Contact, Contact.name.like(f"{SECRET}%")) if account is world.other \
            else first(Contact)
        self.channels = db.session.scalars(db.select(ComplaintChannel).where(
            ComplaintChannel.account_id == account.id)).all()
        self.channel = min(self.channels, key=lambda c: c.rank)
        self.top_channel = max(self.channels, key=lambda c: c.rank)
        self.complaint = first(Complaint)
        self.meeting = first(Meeting)
        self.cadence = first(ExecutiveCadence)
        self.plan = first(Plan)
        self.objective = first(Objective)
        self.plan_action = first(ActionItem, ActionItem.objective_id.isnot(None))
        self.user = world.users["kam"] if account is world.account else world.users["outsider"]
        self.member = world.users["member"] if account is world.account else world.users["outsider"]


@pytest.fixture
def ids(world):
    """(A's ids, B's ids), B's contact and department named so a leak is visible."""
    from app.stakeholders import services as stakeholders

    build(world)
    b_kam = world.users["outsider"]
    dept = stakeholders.create_department(b_kam, world.other, {"name": f"{SECRET} dept", "function": "other"})
    stakeholders.create_contact(b_kam, world.other, {"name": f"{SECRET} contact", "department_id": dept.id})
    return Ids(world, world.account), Ids(world, world.other)


def snapshot():
    """Every row of every table, for 'nothing changed'."""
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(text(f'SELECT * FROM "{table.name}"')).all()
            out[table.name] = sorted(repr(tuple(r)) for r in rows)
    return out


def when(days=1):
    return (utcnow() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def contact_fields(i, **kw):
    return {"name": "新联系人 New Person", "title": "", "department_id": i.dept.id, "reports_to_id": "",
            "seniority": "staff", "buying_role": "", "influence": "medium", "attitude": "neutral", **kw}


# (name, url(A), form(i) with i = the ids to use, the fields to swap to B's ids)
CASES = [
    ("contact add: department", lambda a: f"/accounts/{a.account.id}/stakeholders",
     lambda i, a: contact_fields(a, department_id=i.dept.id)),
    ("contact add: reports to", lambda a: f"/accounts/{a.account.id}/stakeholders",
     lambda i, a: contact_fields(a, reports_to_id=i.contact.id)),
    ("contact edit: department", lambda a: f"/accounts/{a.account.id}/stakeholders/contacts/{a.contact.id}",
     lambda i, a: contact_fields(a, name=a.contact.name, department_id=i.dept.id, version=a.contact.version)),
    ("contact edit: reports to", lambda a: f"/accounts/{a.account.id}/stakeholders/contacts/{a.contact.id}",
     lambda i, a: contact_fields(a, name=a.contact.name, reports_to_id=i.contact.id if i is not a else "",
                                 version=a.contact.version)),
    ("department add: parent", lambda a: f"/accounts/{a.account.id}/stakeholders/departments",
     lambda i, a: {"name": "Quality", "function": "other", "parent_id": i.dept.id}),
    ("department edit: parent", lambda a: f"/accounts/{a.account.id}/stakeholders/departments/{a.dept.id}",
     lambda i, a: {"name": a.dept.name, "function": "other", "parent_id": i.dept.id if i is not a else "",
                   "version": getattr(a.dept, "version", "")}),
    ("pairing: contact", lambda a: f"/accounts/{a.account.id}/stakeholders/coverage",
     lambda i, a: {"user_id": a.member.id, "target": f"c{i.contact.id}", "current_level": "none",
                   "target_level": "credible"}),
    ("pairing: department", lambda a: f"/accounts/{a.account.id}/stakeholders/coverage",
     lambda i, a: {"user_id": a.user.id, "target": f"d{i.dept.id}", "current_level": "none",
                   "target_level": "credible"}),
    ("pairing: our person from B's team", lambda a: f"/accounts/{a.account.id}/stakeholders/coverage",
     lambda i, a: {"user_id": i.user.id, "target": f"d{a.dept.id}", "current_level": "none",
                   "target_level": "credible"}),
    ("touch: contact", lambda a: f"/accounts/{a.account.id}/stakeholders/touches",
     lambda i, a: {"kind": "call", "occurred_on": today().isoformat(), "contact_ids": [a.contact.id, i.contact.id]}),
    ("complaint: channel", lambda a: f"/accounts/{a.account.id}/complaints/new",
     lambda i, a: {"channel_id": i.channel.id, "contact_id": 0, "owner_id": 0, "received_at": when(),
                   "subject": "Late", "category": "quality", "severity": "medium"}),
    ("complaint: raised by", lambda a: f"/accounts/{a.account.id}/complaints/new",
     lambda i, a: {"channel_id": a.channel.id, "contact_id": i.contact.id, "owner_id": 0,
                   "received_at": when(), "subject": "Late", "category": "quality", "severity": "medium"}),
    ("complaint: owner", lambda a: f"/accounts/{a.account.id}/complaints/new",
     lambda i, a: {"channel_id": a.channel.id, "contact_id": 0, "owner_id": i.user.id,
                   "received_at": when(), "subject": "Late", "category": "quality", "severity": "medium"}),
    ("complaint: escalate to channel", lambda a: f"/accounts/{a.account.id}/complaints/{a.complaint.id}/escalate",
     lambda i, a: {"channel_id": i.top_channel.id, "note": "", "version": a.complaint.version}),
    ("channel add: owner", lambda a: f"/accounts/{a.account.id}/channels",
     lambda i, a: {"kind": "executive", "owner_id": i.user.id, "response_hours": 24,
                   "resolution_hours": 120}),
    ("channel edit: owner", lambda a: f"/accounts/{a.account.id}/channels/{a.channel.id}",
     lambda i, a: {"kind": a.channel.kind, "owner_id": i.user.id, "response_hours": 24,
                   "resolution_hours": 120, "version": a.channel.version}),
    ("meeting add: their attendee", lambda a: f"/accounts/{a.account.id}/meetings/new",
     lambda i, a: {"title": "QBR", "kind": "executive", "status": "held", "starts_at": when(2),
                   "duration_minutes": 60, "our_attendees": [a.user.id], "their_attendees": [i.contact.id]}),
    ("meeting edit: their attendee", lambda a: f"/accounts/{a.account.id}/meetings/{a.meeting.id}/edit",
     lambda i, a: {"title": "QBR", "kind": "executive", "status": "held", "starts_at": when(2),
                   "duration_minutes": 60, "our_attendees": [a.user.id], "their_attendees": [i.contact.id],
                   "version": a.meeting.version}),
    ("meeting action: owner", lambda a: f"/accounts/{a.account.id}/meetings/{a.meeting.id}/actions",
     lambda i, a: {"title": "Send minutes", "owner_id": i.user.id}),
    ("cadence: executive", lambda a: f"/accounts/{a.account.id}/cadences",
     lambda i, a: {"executive_id": i.user.id, "contact_id": a.contact.id, "every_days": 30}),
    ("cadence: contact", lambda a: f"/accounts/{a.account.id}/cadences",
     lambda i, a: {"executive_id": a.user.id, "contact_id": i.contact.id, "every_days": 30}),
    ("objective add: owner", lambda a: f"/accounts/{a.account.id}/plans/{a.plan.id}/objectives",
     lambda i, a: {"title": "Grow share", "horizon": "short", "owner_id": i.user.id, "status": "on_track",
                   "progress": 0}),
    ("objective edit: owner", lambda a: f"/accounts/{a.account.id}/plans/{a.plan.id}/objectives/{a.objective.id}",
     lambda i, a: {"title": a.objective.title, "horizon": "short", "owner_id": i.user.id,
                   "status": a.objective.status, "progress": 0, "version": a.objective.version}),
    ("objective action: owner",
     lambda a: f"/accounts/{a.account.id}/plans/{a.plan.id}/objectives/{a.objective.id}/actions",
     lambda i, a: {"title": "Call the CFO", "owner_id": i.user.id, "status": "open"}),
    ("plan action edit: owner",
     lambda a: f"/accounts/{a.account.id}/plans/{a.plan.id}/actions/{a.plan_action.id}",
     lambda i, a: {"title": a.plan_action.title, "owner_id": i.user.id, "status": "open",
                   "version": a.plan_action.version}),
]


@pytest.mark.parametrize(("url", "form"), [pytest.param(u, f, id=n) for n, u, f in CASES])
def test_foreign_id_in_form_is_refused_and_changes_nothing(world, as_role, ids, url, form):
    mine, theirs = ids
    client = as_role("kam")
    before = snapshot()
    resp = client.post(url(mine), data=form(theirs, mine))
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.data[:500])
    db.session.expire_all()
    assert snapshot() == before, "a refused form changed the database"
    assert SECRET.encode() not in resp.data, "the answer shows account B's object"
    # The same form with this account's own ids is accepted: the refusal was about the id.
    ok = client.post(url(mine), data=form(mine, mine))
    assert ok.status_code < 400, (ok.status_code, ok.data[:3000])


QUERY_PAGES = [
    "/stakeholders?department={dept}",
    "/stakeholders/touches?contact={contact}",
    "/stakeholders/coverage?target=c{contact}",
    "/stakeholders/coverage?target=d{dept}",
    "/stakeholders/org?department={dept}",
]


@pytest.mark.parametrize("tail", QUERY_PAGES)
def test_foreign_id_in_query_string_shows_nothing_of_b(world, as_role, ids, tail):
    mine, theirs = ids
    url = f"/accounts/{mine.account.id}" + tail.format(dept=theirs.dept.id, contact=theirs.contact.id)
    resp = as_role("kam").get(url)
    assert resp.status_code in (200, 404), resp.status_code
    assert SECRET.encode() not in resp.data


def test_touch_back_to_another_accounts_contact_does_not_redirect_there(world, as_role, ids):
    mine, theirs = ids
    resp = as_role("kam").post(f"/accounts/{mine.account.id}/stakeholders/touches", data={
        "kind": "call", "occurred_on": today().isoformat(), "contact_ids": [mine.contact.id],
        "back_to_contact": theirs.contact.id})
    assert resp.status_code in (302, 303)
    assert f"contacts/{theirs.contact.id}" not in resp.headers["Location"]
