"""Meeting services: cadences, the meetings log, meeting action items; the queries pages need."""
from datetime import timedelta
from functools import cache

from flask_babel import to_user_timezone
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified

from app.actions.models import OPEN_STATUSES, ActionItem
from app.actions.services import create_action, open_first_order
from app.audit.services import apply_changes, record
from app.auth.models import User
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.meetings.models import (
    MEETING_KINDS,
    MEETING_STATUS,
    ExecutiveCadence,
    Meeting,
    cadence_due,
    last_met_sql,
)
from app.stakeholders.models import Contact
from app.stakeholders.services import touch_contacts
from app.team.models import Membership
from app.timeutil import today, utcnow
from app.translate import lazy_gettext as _l

# What a calendar entry shows: changing one of these is a new SEQUENCE in the .ics and the feed.
CALENDAR_FIELDS = {"title", "starts_at", "duration_minutes", "location", "status", "agenda",
                   "our_attendees", "their_attendees"}


class MeetingError(ValueError):
    """A meeting or cadence change that cannot be made, with a message for the person."""


def _team_ids(account_id):
    return set(db.session.scalars(db.select(Membership.user_id).where(
        Membership.account_id == account_id, Membership.left_on.is_(None))))


def _contacts_of(account_id, contact_ids):
    ids = {int(i) for i in contact_ids or ()}
    if not ids:
        return []
    rows = db.session.scalars(db.select(Contact).where(Contact.id.in_(ids))).all()
    if len(rows) != len(ids) or any(c.account_id != account_id for c in rows):
        raise MeetingError(_l("Choose contacts of this account."))
    return rows


def local_date(dt):
    """The calendar date of a naive UTC time in the user's (or app's) time zone."""
    return to_user_timezone(dt).date()


# --- cadences ---------------------------------------------------------------------------

def create_cadence(actor, account, *, executive_id, contact_id, every_days, notes="", started_on=None):
    """Agree that our executive meets their decision-maker every `every_days` days."""
    if executive_id not in _team_ids(account.id):
        raise MeetingError(_l("The executive must be on the account team."))
    _contacts_of(account.id, [contact_id])
    if not every_days or not 7 <= every_days <= 730:
        raise MeetingError(_l("Meet every 7 to 730 days."))
    exists = db.session.scalar(db.select(ExecutiveCadence.id).where(
        ExecutiveCadence.account_id == account.id, ExecutiveCadence.executive_id == executive_id,
        ExecutiveCadence.contact_id == contact_id))
    if exists:
        raise MeetingError(_l("That pair already has a cadence."))
    cad = ExecutiveCadence(account_id=account.id, executive_id=executive_id, contact_id=contact_id,
                           every_days=every_days, notes=(notes or "").strip(),
                           started_on=started_on or today())
    db.session.add(cad)
    db.session.flush()
    record(actor, cad, "create")
    db.session.commit()
    return cad


@guarded("cadence")
def update_cadence(actor, cadence, every_days, version):
    """Change how often the pair meets (version-checked)."""
    check_version(cadence, version)
    if not every_days or not 7 <= every_days <= 730:
        raise MeetingError(_l("Meet every 7 to 730 days."))
    changes = apply_changes(cadence, {"every_days": every_days})
    if changes:
        record(actor, cadence, "update", changes)
        commit_versioned(cadence)


def delete_cadence(actor, cadence):
    """Stop a cadence (the meetings stay)."""
    record(actor, cadence, "delete", {"every_days": [cadence.every_days, None]})
    db.session.delete(cadence)
    db.session.commit()


@cache
def _cadences_stmt():
    """An account's cadences with their people and the last held meeting with the contact (a
    correlated subquery: it had been a second query), built once a process."""
    return (db.select(ExecutiveCadence, last_met_sql())
            .where(ExecutiveCadence.account_id == bindparam("account_id"))
            .options(joinedload(ExecutiveCadence.executive), joinedload(ExecutiveCadence.contact)))


def cadences_with_status(account_id, on=None):
    """[(cadence, last met date or None, next due, days overdue)], most overdue first; 1 query."""
    out = []
    for cad, last in db.session.execute(_cadences_stmt(), {"account_id": account_id}):
        met = local_date(last) if last else None
        due, overdue = cadence_due(met, cad.started_on, cad.every_days, on)
        out.append((cad, met, due, overdue))
    return sorted(out, key=lambda r: (-r[3], r[2]))


# --- meetings ---------------------------------------------------------------------------

def _check(account, data, user_ids):
    if data.get("kind") not in MEETING_KINDS or data.get("status") not in MEETING_STATUS:
        raise MeetingError(_l("Choose a kind and a status."))
    if not (data.get("title") or "").strip():
        raise MeetingError(_l("Give the meeting a title."))
    if data.get("starts_at") is None:
        raise MeetingError(_l("Enter when the meeting is."))
    sat = data.get("satisfaction")
    if sat is not None and not 1 <= sat <= 10:
        raise MeetingError(_l("Satisfaction is a score from 1 to 10."))
    if data["status"] == "held" and data["starts_at"] > utcnow() + timedelta(hours=1):
        raise MeetingError(_l("A meeting in the future cannot have been held yet."))
    if data["status"] != "held" and sat is not None:
        raise MeetingError(_l("Satisfaction is given at a meeting that was held."))
    ids = {int(i) for i in user_ids or ()}
    if not ids:
        raise MeetingError(_l("Name at least one of our attendees."))
    users = db.session.scalars(db.select(User).where(User.id.in_(ids))).all()
    if len(users) != len(ids):
        raise MeetingError(_l("Choose our attendees from the workspace's users."))
    return users


def _touch(meeting):
    if meeting.status == "held":
        touch_contacts(meeting.account_id, [c.id for c in meeting.their_attendees],
                       local_date(meeting.starts_at))


def create_meeting(actor, account, data, user_ids, contact_ids):
    """Log (or schedule) a meeting; a held one moves its contacts' "last contacted"."""
    users = _check(account, data, user_ids)
    contacts = _contacts_of(account.id, contact_ids)
    m = Meeting(account_id=account.id, created_by_id=getattr(actor, "id", None), **data)
    m.title = m.title.strip()[:200]
    m.our_attendees = users
    m.their_attendees = contacts
    db.session.add(m)
    db.session.flush()
    record(actor, m, "create", summary=m.title)
    _touch(m)
    db.session.commit()
    return m


@guarded("meeting")
def update_meeting(actor, meeting, data, user_ids, contact_ids, version):
    """Change a meeting (version-checked); marking it held moves "last contacted"."""
    # Reload first, then check: a reload after the check would take in a teammate's save made
    # meanwhile (populate_existing) and overwrite it silently.
    load_meeting(meeting.id)  # the same object, its attendees loaded (they are raise_on_sql)
    check_version(meeting, version)
    account_id = meeting.account_id
    users = _check(meeting, data, user_ids)
    contacts = _contacts_of(account_id, contact_ids)
    changes = apply_changes(meeting, data)
    before_u = sorted(u.id for u in meeting.our_attendees)
    before_c = sorted(c.id for c in meeting.their_attendees)
    if before_u != sorted(u.id for u in users):
        changes["our_attendees"] = [before_u, sorted(u.id for u in users)]
        meeting.our_attendees = users
    if before_c != sorted(c.id for c in contacts):
        changes["their_attendees"] = [before_c, sorted(c.id for c in contacts)]
        meeting.their_attendees = contacts
    if changes.keys() & CALENDAR_FIELDS:
        meeting.sequence = (meeting.sequence or 0) + 1  # calendars replace their copy
    if changes:
        flag_modified(meeting, "title")  # attendee-only edits still bump the version
        record(actor, meeting, "update", changes, summary=meeting.title)
        _touch(meeting)  # flushes first: a race surfacing there is StaleEdit too (@guarded)
        commit_versioned(meeting)
    return changes


def add_action(actor, meeting, account, *, title, owner_id=None, due_on=None):
    """An action item from the meeting; it joins its owner's "My actions"."""
    return create_action(actor, account, title=title, owner_id=owner_id, due_on=due_on,
                         meeting_id=meeting.id)


def _with_people(stmt):
    return stmt.options(selectinload(Meeting.our_attendees), selectinload(Meeting.their_attendees))


def list_meetings(account_id, kind="", limit=200):
    """The account's meetings, newest first, with both sides' attendees (3 queries)."""
    stmt = db.select(Meeting).where(Meeting.account_id == account_id)
    if kind in MEETING_KINDS:
        stmt = stmt.where(Meeting.kind == kind)
    return db.session.scalars(_with_people(stmt).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
                              .limit(limit)).all()


def load_meeting(meeting_id, organizer=False):
    """One meeting with its attendees (and who scheduled it, for the .ics)."""
    stmt = _with_people(db.select(Meeting).where(Meeting.id == meeting_id))
    if organizer:
        stmt = stmt.options(joinedload(Meeting.created_by))
    return db.session.scalar(stmt.execution_options(populate_existing=True))


def actions_by_meeting(meeting_ids, open_only=False):
    """{meeting_id: [action items]} with owners, in two queries."""
    if not meeting_ids:
        return {}
    stmt = db.select(ActionItem).where(ActionItem.meeting_id.in_(list(meeting_ids)))
    if open_only:
        stmt = stmt.where(ActionItem.status.in_(OPEN_STATUSES))
    out = {}
    for a in db.session.scalars(stmt.options(joinedload(ActionItem.owner),
                                             joinedload(ActionItem.account))
                                .order_by(*open_first_order())):
        out.setdefault(a.meeting_id, []).append(a)
    return out


@cache
def _open_meeting_actions_stmt():
    """open_meeting_actions' select on parameter account_id, built once a process."""
    return (db.select(ActionItem).where(ActionItem.account_id == bindparam("account_id"),
                                        ActionItem.meeting_id.isnot(None),
                                        ActionItem.status.in_(OPEN_STATUSES))
            .options(joinedload(ActionItem.owner), joinedload(ActionItem.account))
            .order_by(*open_first_order()))


def open_meeting_actions(account_id):
    """Open action items from this account's meetings, soonest first (one query)."""
    return db.session.scalars(_open_meeting_actions_stmt(), {"account_id": account_id}).all()


@cache
def _overview_meetings_stmt():
    """The last two held meetings and the next planned one, with their people, in one statement
    (and one load of each side's attendees), on parameters account_id and now: built once a
    process, as building and hashing its subqueries took longer than running them."""
    account_id, now = bindparam("account_id"), bindparam("now")
    last_held = (db.select(Meeting.id).where(Meeting.account_id == account_id, Meeting.status == "held")
                 .order_by(Meeting.starts_at.desc()).limit(2))
    next_planned = (db.select(Meeting.id).where(Meeting.account_id == account_id, Meeting.status == "scheduled",
                                                Meeting.starts_at >= now)
                    .order_by(Meeting.starts_at).limit(1))
    # (The account's own condition keeps PostgreSQL on its index: the OR alone scanned every meeting.)
    return _with_people(db.select(Meeting).where(
        Meeting.account_id == account_id,
        Meeting.id.in_(last_held.scalar_subquery()) | (Meeting.id == next_planned.scalar_subquery())))


def overview(account_id, on=None):
    """What the overview shows: cadences, the last meetings held, the next planned, open actions."""
    both = db.session.scalars(_overview_meetings_stmt(), {"account_id": account_id, "now": utcnow()}).all()
    held = sorted((m for m in both if m.status == "held"), key=lambda m: m.starts_at, reverse=True)
    upcoming = next((m for m in both if m.status != "held"), None)
    return {"cadences": cadences_with_status(account_id, on), "held": held, "upcoming": upcoming,
            "actions": open_meeting_actions(account_id), "today": on or today()}
