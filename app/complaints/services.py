"""Complaint services: channels, logging, the status flow, escalation; and the queries pages need.

Times are naive UTC (as every column stores); views convert what people type in their
time zone with `local_to_utc` before calling these.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, bindparam, case, func, tuple_
from sqlalchemy.orm import joinedload, selectinload

from app.audit.services import apply_changes, record
from app.complaints.models import (
    CATEGORIES,
    CHANNEL_KINDS,
    OPEN_STATUSES,
    SEVERITIES,
    STATUSES,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
)
from app.complaints.rows import reading, rows_of
from app.complaints.rows import rows as complaint_rows
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.sqlin import dialect_name
from app.stakeholders.models import Contact
from app.team.services import current_users, is_on_team
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l

STEP_TIMES = {"acknowledged": "acknowledged_at", "in_progress": "started_at",
              "resolved": "resolved_at", "closed": "closed_at"}
# A little slack for clocks: "received just now" typed on a laptop a minute ahead.
FUTURE_SLACK = timedelta(minutes=10)


class ComplaintError(ValueError):
    """A complaint or channel change that cannot be made, with a message for the person."""


def local_to_utc(local_dt, tzname):
    """A naive wall-clock time in `tzname` as naive UTC (DST-aware)."""
    if local_dt is None:
        return None
    aware = local_dt.replace(tzinfo=ZoneInfo(str(tzname)))
    return aware.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _on_team(account_id, user_id):
    """No owner is allowed; an owner must be on the team."""
    return user_id is None or is_on_team(account_id, user_id)


# --- channels ---------------------------------------------------------------------------

def channels_of(account_id):
    """The account's channels, lowest first (account manager → executive), owners loaded."""
    rows = db.session.scalars(
        db.select(ComplaintChannel).where(ComplaintChannel.account_id == account_id)
        .options(joinedload(ComplaintChannel.owner))).all()
    return sorted(rows, key=lambda c: c.rank)


def _check_channel(account_id, data, channel=None):
    if data.get("kind") not in CHANNEL_KINDS:
        raise ComplaintError(_l("Choose a kind of channel."))
    if not _on_team(account_id, data.get("owner_id")):
        raise ComplaintError(_l("The owner must be on the account team."))
    if data.get("resolution_hours", 0) < data.get("response_hours", 0):
        raise ComplaintError(_l("The resolution target cannot be shorter than the response target."))
    clash = db.session.scalar(db.select(ComplaintChannel.id).where(
        ComplaintChannel.account_id == account_id, ComplaintChannel.kind == data["kind"],
        ComplaintChannel.id != (channel.id if channel else -1)))
    if clash:
        raise ComplaintError(_l("This account already has a channel of that kind."))


def create_channel(actor, account, data):
    """Add a channel (one per kind and account)."""
    _check_channel(account.id, data)
    channel = ComplaintChannel(account_id=account.id, **data)
    db.session.add(channel)
    db.session.flush()
    record(actor, channel, "create", summary=str(CHANNEL_KINDS.label(channel.kind)))  # the timeline names it
    db.session.commit()
    return channel


# A new account's channels: the customer can complain at once, not only to the KAM (seed 003).
DEFAULT_CHANNELS = (("account_manager", 24, 120), ("technical", 8, 72), ("management", 24, 168))


def add_default_channels(actor, account, owner_id, commit=True):
    """The three default channels (account manager, technical, management), the KAM owning each
    until the team hands them on; kinds the account already has are left alone."""
    have = {c.kind for c in channels_of(account.id)}
    made = []
    for kind, response, resolution in DEFAULT_CHANNELS:
        if kind in have:
            continue
        channel = ComplaintChannel(account_id=account.id, kind=kind, owner_id=owner_id,
                                   response_hours=response, resolution_hours=resolution)
        db.session.add(channel)
        db.session.flush()
        record(actor, channel, "create", summary=str(CHANNEL_KINDS.label(kind)))
        made.append(channel)
    if commit:
        db.session.commit()
    return made


@guarded("channel")
def update_channel(actor, channel, data, version):
    """Change a channel if `version` is current; raises StaleEdit otherwise."""
    check_version(channel, version)
    _check_channel(channel.account_id, data, channel)
    changes = apply_changes(channel, data)
    if changes:
        record(actor, channel, "update", changes)
        commit_versioned(channel)
    return changes


# --- the complaint log ------------------------------------------------------------------

def log_complaint(actor, account, *, channel_id, subject, received_at, severity="medium",
                  category="other", description="", contact_id=None, owner_id=None, now=None):
    """Log a complaint; its response and resolution deadlines come from the channel's targets."""
    now = now or utcnow()
    channel = db.session.get(ComplaintChannel, channel_id) if channel_id else None
    if channel is None or channel.account_id != account.id:
        raise ComplaintError(_l("Choose the channel it came through."))
    if not (subject or "").strip():
        raise ComplaintError(_l("Say in a few words what the complaint is about."))
    if severity not in SEVERITIES:
        raise ComplaintError(_l("Choose a severity."))
    if received_at is None or received_at > now + FUTURE_SLACK:
        raise ComplaintError(_l("The time it was received cannot be in the future."))
    if contact_id:
        contact = db.session.get(Contact, contact_id)
        if contact is None or contact.account_id != account.id:
            raise ComplaintError(_l("Choose a contact of this account."))
    owner_id = owner_id or channel.owner_id
    if not _on_team(account.id, owner_id):
        raise ComplaintError(_l("The owner must be on the account team."))
    c = Complaint(account_id=account.id, channel_id=channel.id, source_channel_id=channel.id,
                  contact_id=contact_id or None, owner_id=owner_id, subject=subject.strip()[:200],
                  description=(description or "").strip(), category=category, severity=severity,
                  received_at=received_at,
                  respond_by=received_at + timedelta(hours=channel.response_hours),
                  resolve_by=received_at + timedelta(hours=channel.resolution_hours))
    db.session.add(c)
    db.session.flush()
    db.session.add(ComplaintEvent(account_id=account.id, complaint_id=c.id, at=received_at,
                                  actor_id=getattr(actor, "id", None), kind="log", to_status="open",
                                  to_channel_id=channel.id))
    record(actor, c, "create", summary=c.subject)
    db.session.commit()
    return c


EDITABLE = ("subject", "description", "category", "severity", "contact_id", "owner_id")


@guarded("complaint")
def update_complaint(actor, complaint, data, version):
    """Correct what was logged (subject, description, category, severity, who raised it, owner).

    The channel and the time received stay: they set the promised times and the step history.
    Raises StaleEdit if `version` is not current, ComplaintError for bad input.
    """
    check_version(complaint, version)
    data = {k: data[k] for k in EDITABLE if k in data}
    data["subject"] = (data.get("subject") or "").strip()[:200]
    data["description"] = (data.get("description") or "").strip()
    if not data["subject"]:
        raise ComplaintError(_l("Say in a few words what the complaint is about."))
    if data.get("severity") not in SEVERITIES:
        raise ComplaintError(_l("Choose a severity."))
    if data.get("category") not in CATEGORIES:
        raise ComplaintError(_l("Choose a category."))
    data["contact_id"] = data.get("contact_id") or None
    if data["contact_id"] and data["contact_id"] != complaint.contact_id:
        contact = db.session.get(Contact, data["contact_id"])
        if contact is None or contact.account_id != complaint.account_id:
            raise ComplaintError(_l("Choose a contact of this account."))
    data["owner_id"] = data.get("owner_id") or None
    if data["owner_id"] != complaint.owner_id and not _on_team(complaint.account_id, data["owner_id"]):
        raise ComplaintError(_l("The owner must be on the account team."))
    changes = apply_changes(complaint, data)
    if changes:
        record(actor, complaint, "update", changes, summary=complaint.subject)
        commit_versioned(complaint)
    return changes


@guarded("complaint")
def transition(actor, complaint, to_status, *, at=None, note="", resolution=None, root_cause=None,
               prevention=None, version=None, now=None):
    """Move a complaint forward in open → acknowledged → in progress → resolved → closed.

    Skipped steps get the same time (a complaint settled on the phone is acknowledged and
    resolved at once). Closing needs a root cause and the prevention agreed; a closed
    complaint only moves again by `reopen`.
    """
    if version is not None:
        check_version(complaint, version)
    now = now or utcnow()
    at = at or now
    if to_status not in STATUSES:
        raise ComplaintError(_l("Unknown status."))
    if complaint.status == "closed":
        raise ComplaintError(_l("This complaint is closed. Reopen it first."))
    if STATUSES.rank(to_status) <= STATUSES.rank(complaint.status):
        raise ComplaintError(_l("The complaint is already past that step."))
    if at < complaint.received_at or at > now + FUTURE_SLACK:
        raise ComplaintError(_l("The time of a step must lie between receipt and now."))
    data = {"status": to_status}
    if resolution is not None and resolution.strip():
        data["resolution"] = resolution.strip()
    if root_cause is not None and root_cause.strip():
        data["root_cause"] = root_cause.strip()
    if prevention is not None and prevention.strip():
        data["prevention"] = prevention.strip()
    if to_status == "closed" and not (data.get("root_cause") or complaint.root_cause).strip():
        raise ComplaintError(_l("Closing needs the root cause."))
    if to_status == "closed" and not (data.get("prevention") or complaint.prevention).strip():
        raise ComplaintError(_l("Closing needs the prevention agreed with the customer."))
    for status, field in STEP_TIMES.items():
        if STATUSES.rank(status) <= STATUSES.rank(to_status) and getattr(complaint, field) is None:
            data[field] = at
    frm = complaint.status
    changes = apply_changes(complaint, data)
    db.session.add(ComplaintEvent(account_id=complaint.account_id, complaint_id=complaint.id, at=at,
                                  actor_id=getattr(actor, "id", None), kind="status",
                                  from_status=frm, to_status=to_status, note=(note or "").strip()))
    record(actor, complaint, "update", changes, summary=complaint.subject)
    commit_versioned(complaint)
    return complaint


@guarded("complaint")
def reopen(actor, complaint, note, version=None, now=None):
    """Reopen a resolved or closed complaint: back in progress, the resolution clock running."""
    if version is not None:
        check_version(complaint, version)
    if complaint.status not in ("resolved", "closed"):
        raise ComplaintError(_l("Only a resolved or closed complaint can be reopened."))
    if not (note or "").strip():
        raise ComplaintError(_l("Say why it is reopened."))
    frm = complaint.status
    changes = apply_changes(complaint, {"status": "in_progress", "resolved_at": None,
                                        "closed_at": None,
                                        "reopen_count": complaint.reopen_count + 1})
    db.session.add(ComplaintEvent(account_id=complaint.account_id, complaint_id=complaint.id,
                                  at=now or utcnow(), actor_id=getattr(actor, "id", None),
                                  kind="reopen", from_status=frm, to_status="in_progress",
                                  note=note.strip()))
    record(actor, complaint, "update", changes, summary=complaint.subject)
    commit_versioned(complaint)
    return complaint


@guarded("complaint")
def escalate(actor, complaint, channel_id, note="", version=None, now=None):
    """Hand an unresolved complaint to a higher channel; its owner takes it over, the path stays."""
    if version is not None:
        check_version(complaint, version)
    if not complaint.is_open:
        raise ComplaintError(_l("Only an unresolved complaint can be escalated."))
    target = db.session.get(ComplaintChannel, channel_id) if channel_id else None
    current = db.session.get(ComplaintChannel, complaint.channel_id)
    if target is None or target.account_id != complaint.account_id:
        raise ComplaintError(_l("Choose a channel of this account."))
    if target.rank <= current.rank:
        raise ComplaintError(_l("Escalate to a higher channel than the current one."))
    data = {"channel_id": target.id}
    if target.owner_id:
        data["owner_id"] = target.owner_id
    changes = apply_changes(complaint, data)
    db.session.add(ComplaintEvent(account_id=complaint.account_id, complaint_id=complaint.id,
                                  at=now or utcnow(), actor_id=getattr(actor, "id", None),
                                  kind="escalate", from_status=complaint.status,
                                  to_status=complaint.status, from_channel_id=current.id,
                                  to_channel_id=target.id, note=(note or "").strip()))
    record(actor, complaint, "update", changes, summary=complaint.subject)
    commit_versioned(complaint)
    return complaint


# --- queries ----------------------------------------------------------------------------

def _filtered(stmt, status="", severity="", breach="", now=None):
    if status == "unresolved":
        stmt = stmt.where(Complaint.status.in_(OPEN_STATUSES))
    elif status in STATUSES:
        stmt = stmt.where(Complaint.status == status)
    if severity in SEVERITIES:
        stmt = stmt.where(Complaint.severity == severity)
    if breach == "breached":
        stmt = stmt.where(Complaint.breached(now))
    elif breach == "response":
        stmt = stmt.where(Complaint.response_breached(now))
    elif breach == "resolution":
        stmt = stmt.where(Complaint.resolution_breached(now))
    elif breach == "on_time":
        stmt = stmt.where(~Complaint.breached(now))
    elif breach == "escalated":
        stmt = stmt.where(Complaint.channel_id != Complaint.source_channel_id)
    return stmt


def _loaded(stmt):
    return stmt.options(selectinload(Complaint.channel), selectinload(Complaint.source_channel),
                        selectinload(Complaint.owner), selectinload(Complaint.contact))


def _newest_first(account_id, status, severity, breach, now, limit):
    return _filtered(db.select(Complaint).where(Complaint.account_id == account_id),
                     status, severity, breach, now).order_by(Complaint.received_at.desc(),
                                                             Complaint.id.desc()).limit(limit)


def list_complaints(account_id, status="", severity="", breach="", now=None, limit=200):
    """The account's complaints matching the filters, newest first, as objects (the export)."""
    return db.session.scalars(_loaded(_newest_first(account_id, status, severity, breach, now, limit))).all()


def complaint_list(account_id, status="", severity="", breach="", now=None, limit=200):
    """The same list as rows for the page: one joined query (app/complaints/rows.py)."""
    return complaint_rows(_newest_first(account_id, status, severity, breach, now, limit))


def _worst_keys(now=None, all_breached=False):
    """The worst-first order's keys: breached first, then by severity, then oldest. With
    `all_breached` (the statement keeps breached complaints only) they are ix_complaint_worst's,
    so the list walks the index."""
    keys = (Complaint.severity_rank, Complaint.received_at, Complaint.id)
    return keys if all_breached else (case((Complaint.breached(now), 0), else_=1), *keys)


def worst_first(stmt, now=None, all_breached=False):
    """`stmt` ordered worst first (see _worst_keys)."""
    return stmt.order_by(*_worst_keys(now, all_breached))


@dataclass(frozen=True)
class Cursor:
    """Where a page of the worst-first list starts or ends: its edge row's sort keys. Written in
    a link as "flag~rank~received~id"; anything else read back is no cursor (the first page)."""

    breached: int
    rank: int
    received_at: datetime
    id: int

    @classmethod
    def of(cls, row, now):
        return cls(0 if row.breached(now) else 1, row.severity_rank, row.received_at, row.id)

    def __str__(self):
        return f"{self.breached}~{self.rank}~{self.received_at.isoformat()}~{self.id}"

    @classmethod
    def parse(cls, text):
        try:
            flag, rank, received, id_ = (text or "").split("~")
            return cls(int(flag), int(rank), datetime.fromisoformat(received), int(id_))
        except ValueError:
            return None

    def values(self, all_breached):
        keys = (self.rank, self.received_at, self.id)
        return keys if all_breached else (self.breached, *keys)


@dataclass
class AcrossPage:
    """One page of the list across accounts: its rows, how many match (counted up to
    ACROSS_COUNT_CAP + 1), and the cursors of the pages before and after it (None: no such page)."""

    rows: list
    total: int
    before: Cursor | None
    after: Cursor | None


@cache
def _open_complaints_stmt(dialect, limit):
    """open_complaints' counted select on parameters account_id and now, built once a process
    (building it, with its joined names, cost more than running it)."""
    base = db.select(Complaint).where(Complaint.account_id == bindparam("account_id"),
                                      Complaint.status.in_(OPEN_STATUSES))
    return reading(worst_first(base, bindparam("now", type_=DateTime)).limit(limit), counted=True, dialect=dialect)


def open_complaints(account_id, now=None, limit=8):
    """(the worst open complaints as rows, how many are open) for the overview, in one query."""
    return rows_of(_open_complaints_stmt(dialect_name(), limit),
                   {"account_id": account_id, "now": utcnow() if now is None else now}, counted=True)


def complaints_across(user, status="unresolved", severity="", breach="breached", account_id=None,
                      now=None, limit=50, after=None, before=None):
    """One page of the complaints on every account the user can see (a manager's breach list),
    worst first: the first page, or the one after the cursor `after`, or before `before` (keyset
    paging: a page far down costs what the first does, and a complaint logged meanwhile shifts
    nothing). An AcrossPage; the count stops at ACROSS_COUNT_CAP + 1."""
    from app.accounts.models import Account
    from app.accounts.services import visible_accounts

    now = now or utcnow()
    if user.is_admin:
        # Every account but the archived: said as NOT IN, so the planner walks ix_complaint_worst
        # and stops at the page (an IN over every account sorted all open complaints first).
        stmt = db.select(Complaint).where(Complaint.account_id.not_in(
            db.select(Account.id).where(Account.archived_at.is_not(None))))
    else:
        ids = db.select(visible_accounts(user).where(Account.archived_at.is_(None)).subquery().c.id)
        stmt = db.select(Complaint).where(Complaint.account_id.in_(ids))
    if account_id:
        stmt = stmt.where(Complaint.account_id == account_id)
    stmt = _filtered(stmt, status, severity, breach, now)
    total = capped_count(stmt, ACROSS_COUNT_CAP)
    all_breached = breach == "breached"
    keys = _worst_keys(now, all_breached)
    edge = before or after
    if edge:
        values = edge.values(all_breached)
        bound = tuple_(*(bindparam(None, v, type_=k.type) for k, v in zip(keys, values, strict=True)))
        stmt = stmt.where(tuple_(*keys) < bound if before else tuple_(*keys) > bound)
    order = [k.desc() for k in keys] if before else keys
    rows = complaint_rows(stmt.order_by(*order).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    if before:
        rows.reverse()
    # A page reached backwards has a later one (where it came from), and an earlier one if more;
    # a page reached forwards has an earlier one, and a later one if more; the first page, no earlier.
    earlier, later = (more, True) if before else (after is not None, more)
    return AcrossPage(rows, total, before=Cursor.of(rows[0], now) if rows and earlier else None,
                      after=Cursor.of(rows[-1], now) if rows and later else None)


ACROSS_COUNT_CAP = 1000  # the list counts this far ("More than 1,000 complaints")


def capped_count(stmt, cap):
    """How many rows `stmt` has, counting no further than cap + 1 (more than `cap`: cap + 1)."""
    limited = stmt.with_only_columns(Complaint.id).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(db.select(func.count()).select_from(limited))


def load_complaint(complaint_id):
    """One complaint with its channels, people and steps, in a fixed number of queries."""
    return db.session.scalar(
        _loaded(db.select(Complaint).where(Complaint.id == complaint_id))
        .options(selectinload(Complaint.events).joinedload(ComplaintEvent.actor),
                 selectinload(Complaint.events).joinedload(ComplaintEvent.from_channel),
                 selectinload(Complaint.events).joinedload(ComplaintEvent.to_channel))
        .execution_options(populate_existing=True))


team_users = current_users  # owner choices: the account's current team


def active_contacts(account_id):
    """The account's active contacts (for "raised by" and attendee choices)."""
    return db.session.scalars(
        db.select(Contact).where(Contact.account_id == account_id, Contact.status == "active")
        .order_by(Contact.name)).all()


@cache
def _channel_count_stmt():
    return db.select(func.count(ComplaintChannel.id)).where(ComplaintChannel.account_id == bindparam("account_id"))


def channel_count(account_id):
    return db.session.scalar(_channel_count_stmt(), {"account_id": account_id})
