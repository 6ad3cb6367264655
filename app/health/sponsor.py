"""The executive sponsor's check-in: which accounts are theirs, what needs them, their notes.

Every function runs a fixed number of queries over all the sponsor's accounts at once.
"""
from datetime import timedelta
from functools import cache, partial

from sqlalchemy import DateTime, Integer, bindparam, or_, union
from sqlalchemy.orm import joinedload

from app.accounts.models import Account
from app.audit.services import record
from app.complaints.models import OPEN_STATUSES as COMPLAINT_OPEN
from app.complaints.models import SEVERITIES, Complaint
from app.extensions import db
from app.health.models import CheckInNote
from app.health.services import cadence_status, is_decision_maker_sql
from app.meetings.models import Meeting
from app.plans.models import Objective, Plan
from app.plans.vocab import OBJECTIVE_STATUS
from app.sqlin import among, as_array, in_ids
from app.stakeholders.models import Contact, Coverage
from app.team.models import Membership
from app.timeutil import today, utcnow
from app.translate import lazy_gettext as _l

NOT_MET_DAYS = 60
UPCOMING_DAYS = 45
NOTE_MAX = 2000


class NoteError(ValueError):
    """A note that cannot be saved, with a message for the person."""


def _sponsor_roles(user_id):
    """Accounts where the user (an id, or the User.id column) is a current member as sponsor."""
    return db.select(Membership.account_id).where(
        Membership.user_id == user_id, Membership.left_on.is_(None), Membership.role == "sponsor"
    ).correlate_except(Membership)


def _owned_decision_makers(user_id):
    """Accounts where the user, a current member, has a live pairing with an active decision-maker.

    Correlated on nothing but the user: given the User.id column (the nav's flag, read with the
    session user), an uncorrelated "user" made every member a sponsor. Said as a join from the
    user's pairings rather than an EXISTS per membership inside an OR, which PostgreSQL ran as a
    hashed subplan over every decision-maker of the workspace (30 ms on each request at 2,000
    accounts); this walks the user's pairings by index and stops at the first one (issue 22)."""
    return (db.select(Coverage.account_id)
            .join(Contact, Contact.id == Coverage.contact_id)
            .join(Membership, (Membership.account_id == Coverage.account_id)
                  & (Membership.user_id == Coverage.user_id) & Membership.left_on.is_(None))
            .where(Coverage.user_id == user_id, Coverage.ended_on.is_(None), Contact.status == "active",
                   is_decision_maker_sql())
            .correlate_except(Coverage, Contact, Membership))


def sponsors_anything(user_id):
    """SQL boolean: the user sponsors at least one account (registered as a user flag for the nav)."""
    return or_(_sponsor_roles(user_id).exists(), _owned_decision_makers(user_id).exists())


def _memberships_owning_decision_makers(user_id):
    """The user's current accounts with at least one live pairing of theirs with an active
    decision-maker: an EXISTS per membership on the (user, account) pairing index, which stops at
    the first one, instead of every pairing of the user joined (3.5 ms for a KAM of 40 accounts)."""
    pairing = (db.select(Coverage.id).join(Contact, Contact.id == Coverage.contact_id)
               .where(Coverage.user_id == user_id, Coverage.account_id == Membership.account_id,
                      Coverage.ended_on.is_(None), Contact.status == "active", is_decision_maker_sql())
               .correlate(Membership))
    return db.select(Membership.account_id).where(Membership.user_id == user_id, Membership.left_on.is_(None),
                                                  pairing.exists())


def _sponsored(user_id):
    """SELECT of the ids of the accounts the user sponsors or where they own a decision-maker."""
    return union(_sponsor_roles(user_id), _memberships_owning_decision_makers(user_id))


def sponsor_account_ids(user):
    """Ids of the accounts the user sponsors or where they own a decision-maker (one query)."""
    return sorted(set(db.session.scalars(_sponsored(user.id))))


def sponsored_accounts(user):
    """(the accounts sponsor_account_ids gives, by name; the ids among them missing the closed
    quarter's health snapshot), in one query: the page's ids, accounts and snapshot check had
    been three round trips (issue 22)."""
    from app.health.services import snapshot_params

    rows = db.session.execute(_sponsored_accounts_stmt(), {"user_id": user.id, **snapshot_params()}).all()
    return [a for a, _m in rows], {a.id for a, m in rows if m}


@cache
def _sponsored_accounts_stmt():
    """sponsored_accounts' select on parameters user_id and the closed quarter's (see
    health.services.snapshot_params), built once a process: its union of correlated subqueries
    cost more to build and hash than to run (issue 22)."""
    from app.health.services import misses_previous_snapshot

    ids = _sponsored(bindparam("user_id")).subquery()
    return (db.select(Account, misses_previous_snapshot().label("missing"))
            .where(Account.id.in_(db.select(ids.c[0]))).order_by(Account.name, Account.id))


def has_sponsor_accounts(user):
    """For the nav link: the flag loaded with the user, else one EXISTS query."""
    flags = getattr(user, "flags", None)
    if flags is not None and "sponsor" in flags:
        return flags["sponsor"]
    return bool(db.session.scalar(db.select(sponsors_anything(user.id))))


def accounts(ids):
    """The accounts by name (one query)."""
    return db.session.scalars(db.select(Account).where(among(Account.id, ids)).order_by(Account.name)).all()


def owned_decision_makers(user, ids):
    """{account_id: [Row(id, name, title, phone, email, last_contacted_on)]}: the active
    decision-makers the user owns through a live pairing, never-met and longest-unmet first (one query)."""
    out = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.session.execute(_owned_stmt(as_array(len(out))), {"ids": list(out), "user_id": user.id}).all()
    for row in rows:
        out[row.account_id].append(row)
    return out


@cache
def _owned_stmt(array):
    """owned_decision_makers' select on parameters ids and user_id, built once a process."""
    return (db.select(Contact.account_id, Contact.id, Contact.name, Contact.title, Contact.phone, Contact.email,
                      Contact.last_contacted_on)
            .join(Coverage, Coverage.contact_id == Contact.id)
            .where(in_ids(Contact.account_id, "ids", array),
                   in_ids(Coverage.account_id, "ids", array),  # (user, account) index
                   Coverage.user_id == bindparam("user_id"), Coverage.ended_on.is_(None),
                   Contact.status == "active", is_decision_maker_sql())
            .order_by(Contact.last_contacted_on.is_not(None), Contact.last_contacted_on, Contact.name))


@cache
def _needs_stmts(array):
    """needs_you's two selects (complaints escalated or past their time, objectives at risk) on
    parameters ids (and now), built once a process. Columns, not objects: a sponsor of many
    accounts can have hundreds of these lines."""
    ids = partial(in_ids, name="ids", array=array)
    complaints = (db.select(Complaint.account_id, Complaint.subject, Complaint.severity,
                            Complaint.channel_id != Complaint.source_channel_id)
                  .where(ids(Complaint.account_id), Complaint.status.in_(COMPLAINT_OPEN),
                         or_(Complaint.channel_id != Complaint.source_channel_id,
                             Complaint.breached(bindparam("now", type_=DateTime))))
                  .order_by(Complaint.received_at))
    objectives = (db.select(Objective.account_id, Objective.title, Objective.status)
                  .join(Plan, Plan.id == Objective.plan_id)
                  .where(ids(Objective.account_id), Plan.closed_at.is_(None),
                         Objective.status.in_(("at_risk", "off_track"))).order_by(Objective.target_date))
    return complaints, objectives


def needs_you(user, ids, on_date=None, not_met_days=NOT_MET_DAYS, owned=None, detail=None, cadences=None):
    """{account_id: [(kind, text)]} of what needs this sponsor; four queries (three with `owned`,
    the result of owned_decision_makers, when the page has it already; one fewer with `cadences`,
    every cadence of these accounts on that date as health_for read them).

    `detail`, the ids whose lines are shown (the page's cards), limits the sentences to those
    accounts: the others get (kind, None), counted in the summary but not written (a sponsor
    of 40 accounts had 660 lines a request, 50 of them shown)."""
    on = on_date or today()
    out = {i: [] for i in ids}
    if not ids:
        return out
    shown = set(ids) if detail is None else set(detail)
    cutoff = on - timedelta(days=not_met_days)
    owned = owned_decision_makers(user, ids) if owned is None else owned
    for account_id in ids:
        for person in owned.get(account_id, ()):
            last, name = person.last_contacted_on, person.name
            if last is not None and last >= cutoff:
                continue
            if account_id not in shown:
                out[account_id].append(("contact", None))
                continue
            text = (_l("%(name)s, a decision-maker you own, has never been met.", name=name) if last is None
                    else _l("%(name)s, a decision-maker you own, was last met %(days)d days ago.",
                            name=name, days=(on - last).days))
            out[account_id].append(("contact", text))
    if cadences is None:
        cads = cadence_status(ids, on, executive_id=user.id)
    else:
        cads = {a: [r for r in rows if r[0].executive_id == user.id] for a, rows in cadences.items()}
    for account_id, rows in cads.items():
        for cad, days in sorted(rows, key=lambda r: -r[1]):
            if days > 0 and account_id not in shown:
                out[account_id].append(("cadence", None))
            elif days > 0:
                out[account_id].append(("cadence", _l(
                    "Your executive meeting with %(name)s is %(days)d days overdue.",
                    name=cad.contact.name, days=days)))
    complaints, objectives = _needs_stmts(as_array(len(ids)))
    for account_id, subject, severity, escalated in db.session.execute(
            complaints, {"ids": list(ids), "now": utcnow()}):
        if account_id not in shown:
            out[account_id].append(("complaint", None))
            continue
        why = _l("escalated") if escalated else _l("past its promised time")
        out[account_id].append(("complaint", _l("Complaint «%(subject)s» (%(severity)s) is %(why)s.",
                                                subject=subject, severity=SEVERITIES.label(severity), why=why)))
    for account_id, title, status in db.session.execute(objectives, {"ids": list(ids)}):
        if account_id not in shown:
            out[account_id].append(("objective", None))
            continue
        out[account_id].append(("objective", _l("Objective «%(title)s» is %(status)s.",
                                                title=title, status=OBJECTIVE_STATUS.label(status))))
    return out


@cache
def _upcoming_stmt(array):
    return (db.select(Meeting).where(in_ids(Meeting.account_id, "ids", array), Meeting.status == "scheduled",
                                     Meeting.starts_at >= bindparam("now", type_=DateTime),
                                     Meeting.starts_at <= bindparam("until", type_=DateTime))
            .order_by(Meeting.starts_at).limit(20))


def upcoming_meetings(ids, days=UPCOMING_DAYS):
    """Meetings planned on these accounts in the coming weeks, soonest first (one query)."""
    now, ids = utcnow(), list(ids)
    return db.session.scalars(_upcoming_stmt(as_array(len(ids))),
                              {"ids": ids, "now": now, "until": now + timedelta(days=days)}).all()


@cache
def _notes_stmt(array):
    return (db.select(CheckInNote).where(in_ids(CheckInNote.account_id, "ids", array))
            .options(joinedload(CheckInNote.author)).order_by(CheckInNote.id.desc())
            .limit(bindparam("limit", type_=Integer)))


def latest_notes(ids, per_account=3):
    """{account_id: [notes newest first]} with authors (one query)."""
    ids = list(ids)
    notes = db.session.scalars(_notes_stmt(as_array(len(ids))),
                               {"ids": ids, "limit": per_account * max(len(ids), 1) * 2}).all()
    out = {i: [] for i in ids}
    for n in notes:
        if len(out[n.account_id]) < per_account:
            out[n.account_id].append(n)
    return out


def add_note(actor, account, body):
    """Save a check-in note; the audit record puts it on the account's timeline."""
    body = (body or "").strip()
    if not body:
        raise NoteError(_l("Write the note first."))
    if len(body) > NOTE_MAX:
        raise NoteError(_l("Keep the note under %(n)d characters.", n=NOTE_MAX))
    note = CheckInNote(account_id=account.id, author_id=actor.id, body=body)
    db.session.add(note)
    db.session.flush()
    record(actor, note, "create", {}, summary=body)
    db.session.commit()
    return note
