"""The personal calendar feed: what a user has on in the workspace, for Outlook, Google and Apple.

One VCALENDAR holding, for the accounts the user is on today (an account they left drops out):
  - scheduled meetings they attend or scheduled, timed, in UTC ("Z"), with the same UID and
    SEQUENCE as the meeting's own .ics;
  - the next due date of each executive cadence they own, all-day;
  - their open actions' due dates, all-day;
  - the response deadline of open, unanswered complaints on channels they own.
A fixed number of queries whatever the number of accounts. DTSTAMP is each item's creation
time, so the body (and its ETag) only changes when the content does.
"""
from datetime import timedelta

from flask import url_for
from flask_babel import force_locale
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Account
from app.actions.models import OPEN_STATUSES as OPEN_ACTIONS
from app.actions.models import ActionItem
from app.complaints.models import OPEN_STATUSES as OPEN_COMPLAINTS
from app.complaints.models import Complaint, ComplaintChannel
from app.extensions import db
from app.meetings.ics import Writer, add_meeting
from app.meetings.models import ExecutiveCadence, Meeting, cadence_due, meeting_contact, meeting_user
from app.stakeholders.models import Contact
from app.team.models import Membership
from app.timeutil import today, utcnow
from app.timezones import force_timezone, zone_of
from app.translate import gettext as _

# Scheduled meetings further back than this are history, not calendar.
PAST_DAYS = 92


def _accounts(user_id):
    """{account id: name} of the accounts the user is on today."""
    return dict(db.session.execute(
        db.select(Account.id, Account.name).join(Membership, Membership.account_id == Account.id)
        .where(Membership.user_id == user_id, Membership.left_on.is_(None))).all())


def _meetings(user_id, account_ids):
    attends = db.select(meeting_user.c.meeting_id).where(meeting_user.c.user_id == user_id)
    return db.session.scalars(
        db.select(Meeting).where(
            Meeting.account_id.in_(account_ids), Meeting.status == "scheduled",
            Meeting.starts_at >= utcnow() - timedelta(days=PAST_DAYS),
            or_(Meeting.created_by_id == user_id, Meeting.id.in_(attends)))
        .options(selectinload(Meeting.our_attendees), selectinload(Meeting.their_attendees),
                 joinedload(Meeting.created_by))
        .order_by(Meeting.starts_at, Meeting.id)).all()


def _cadences(user_id, account_ids):
    """[(cadence, contact name, last held meeting with the contact or None)] (two queries)."""
    rows = db.session.execute(
        db.select(ExecutiveCadence, Contact.name).join(Contact, Contact.id == ExecutiveCadence.contact_id)
        .where(ExecutiveCadence.executive_id == user_id, ExecutiveCadence.account_id.in_(account_ids),
               Contact.left_on.is_(None))
        .order_by(ExecutiveCadence.id)).all()
    if not rows:
        return []
    last = {(a, c): at for a, c, at in db.session.execute(
        db.select(Meeting.account_id, meeting_contact.c.contact_id, func.max(Meeting.starts_at))
        .join(Meeting, Meeting.id == meeting_contact.c.meeting_id)
        .where(Meeting.account_id.in_({r[0].account_id for r in rows}), Meeting.status == "held",
               meeting_contact.c.contact_id.in_({r[0].contact_id for r in rows}))
        .group_by(Meeting.account_id, meeting_contact.c.contact_id))}
    return [(cad, name, last.get((cad.account_id, cad.contact_id))) for cad, name in rows]


def _actions(user_id, account_ids):
    return db.session.scalars(
        db.select(ActionItem).where(ActionItem.owner_id == user_id, ActionItem.account_id.in_(account_ids),
                                    ActionItem.status.in_(OPEN_ACTIONS), ActionItem.due_on.isnot(None))
        .order_by(ActionItem.due_on, ActionItem.id)).all()


def _complaints(user_id, account_ids):
    return db.session.scalars(
        db.select(Complaint).join(ComplaintChannel, ComplaintChannel.id == Complaint.channel_id)
        .where(ComplaintChannel.owner_id == user_id, Complaint.account_id.in_(account_ids),
               Complaint.status.in_(OPEN_COMPLAINTS), Complaint.acknowledged_at.is_(None))
        .order_by(Complaint.respond_by, Complaint.id)).all()


def build_feed(user, host):
    """Bytes of the user's feed, in their language and with local dates in their zone."""
    lang = user.language or None
    from flask import current_app

    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]), force_timezone(zone_of(user)):
        return _build(user, host)


def _build(user, host):
    from app.meetings.services import local_date

    accounts = _accounts(user.id)
    w = Writer()
    w.begin_calendar(name=_("Key accounts · %(name)s", name=user.name),
                     description=_("Meetings, cadences, actions and complaint deadlines from the key-account workspace."))
    w.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
    w.line("X-PUBLISHED-TTL:PT1H")
    ids = list(accounts)
    if ids:
        _entries(w, user, host, accounts, ids, local_date)
    w.end_calendar()
    return bytes(w)


def _link(endpoint, **ids):
    """f(*values) -> the external URL of `endpoint`: url_for once, then string formatting (it is
    called for hundreds of entries)."""
    marks = {k: 900000001 + i for i, k in enumerate(ids)}
    pattern = url_for(endpoint, _external=True, **marks)
    for i, k in enumerate(ids):
        pattern = pattern.replace(str(marks[k]), "{" + str(i) + "}")
    return pattern.format


def _entries(w, user, host, accounts, ids, local_date):
    """Meetings (timed, UTC), cadences and actions (all-day), complaint response deadlines (timed)."""
    # Each message translated once, filled in per entry.
    cadence_text = _("Executive meeting due: %(contact)s · %(account)s")
    action_text = _("Action due: %(title)s · %(account)s")
    complaint_text = _("Respond to the complaint: %(subject)s · %(account)s")
    meeting_link = _link("meetings.show", account_id=0, meeting_id=0)
    for m in _meetings(user.id, ids):
        link = meeting_link(m.account_id, m.id)
        add_meeting(w, m, accounts[m.account_id], host, alarm=False,
                    description="\n\n".join(x for x in (m.agenda, link) if x))
    on = today()
    day = timedelta(days=1)
    meetings_link = _link("meetings.index", account_id=0)
    for cad, contact_name, last in _cadences(user.id, ids):
        due, _overdue = cadence_due(local_date(last) if last else None, cad.started_on, cad.every_days, on)
        w.event(uid=f"cadence-{cad.id}@{host}", stamp=cad.created_at, start=due, end=due + day, all_day=True,
                transparent=True, description=meetings_link(cad.account_id),
                summary=cadence_text % {"contact": contact_name, "account": accounts[cad.account_id]})
    mine = url_for("actions.mine", _external=True)
    for a in _actions(user.id, ids):
        w.event(uid=f"action-{a.id}@{host}", stamp=a.created_at, start=a.due_on, end=a.due_on + day,
                all_day=True, transparent=True, description=mine,
                summary=action_text % {"title": a.title, "account": accounts[a.account_id]})
    complaint_link = _link("complaints.show", account_id=0, complaint_id=0)
    for c in _complaints(user.id, ids):
        w.event(uid=f"complaint-response-{c.id}@{host}", stamp=c.created_at, start=c.respond_by,
                end=c.respond_by + timedelta(minutes=15), description=complaint_link(c.account_id, c.id),
                summary=complaint_text % {"subject": c.subject, "account": accounts[c.account_id]})
