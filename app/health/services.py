"""Account health for many accounts in a fixed number of queries; quarterly snapshots and trends.

The interface other features code against:
  health_for(account_ids, on_date=None) -> {account_id: Health}
  trend_for(account_ids, quarters=4) -> {account_id: [("2026-Q2", 71), ...]} closed quarters, oldest first
  direction(trend, now) -> "up" | "flat" | "down" | "new" | "unknown": now against the last closed quarter
"""
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    union_all,
)
from sqlalchemy.orm import joinedload

from app.accounts.models import Account
from app.actions.models import OPEN_STATUSES as ACTION_OPEN
from app.actions.models import ActionItem
from app.audit.services import record
from app.auth.models import User
from app.complaints.models import OPEN_STATUSES as COMPLAINT_OPEN
from app.complaints.models import Complaint, ComplaintChannel
from app.extensions import db
from app.health.models import HealthSnapshot, HealthWeight
from app.health.parts import DEFAULT_WEIGHTS, KEYS, MIN_KNOWN, Counts, Health, Part, build, built  # noqa: F401
from app.meetings.models import ExecutiveCadence, Meeting, cadence_due, last_met_sql
from app.plans.models import Objective, Plan
from app.sqlin import among, as_array, dialect_name, in_ids
from app.stakeholders.gaps import STALE_DAYS
from app.stakeholders.models import Contact, Coverage
from app.team.models import Membership
from app.timeutil import today, utcnow

SENIOR = ("director", "vp", "c_level")  # gaps.is_senior_enough, as SQL
DECIDING = ("vp", "c_level")  # gaps.is_decision_maker: economic buyers, VPs and above
SATISFACTION_DAYS = 180
RISKY_OBJECTIVES = ("at_risk", "off_track")
MOVE = 5  # points between now and the last closed quarter that count as a move up or down
LATE_DAYS = 7  # a closed quarter's snapshot taken later than this after its end is marked late


def weights():
    """{part key: weight}, the admin's weights over the defaults (one query)."""
    return with_defaults(dict(db.session.execute(db.select(HealthWeight.key, HealthWeight.weight)).all()))


def with_defaults(stored):
    """{part key: weight}: the stored weights, the default for every part without one."""
    return {k: stored.get(k, DEFAULT_WEIGHTS[k]) for k in KEYS}


class WeightSet:
    """The admin's weights as one edited object: its version is the sum of the rows' versions
    (every save bumps at least one row; a missing row counts 0), `weights` their values."""

    id = None

    def __init__(self, rows):
        self.rows = rows
        self.version = sum(r.version for r in rows.values())
        stored = {k: r.weight for k, r in rows.items()}
        self.weights = with_defaults(stored)

    def __getattr__(self, key):  # `theirs()` compares the form's fields with these
        if key in KEYS:
            return self.weights[key]
        raise AttributeError(key)


def weight_set():
    """The current weights and their version (one query)."""
    return WeightSet({w.key: w for w in db.session.scalars(db.select(HealthWeight))})


def _stale_weights():

    from app.audit.models import AuditEvent
    from app.concurrency import StaleEdit

    db.session.rollback()
    last = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "HealthWeight")
                             .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(1))
    return StaleEdit(weight_set(), last)


def set_weights(actor, values, version=None):
    """Save the admin's weights (0-100 each); audit each change.

    StaleEdit if another admin saved since `version` (the form's); None skips the check.
    """
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    current = weight_set()
    if version is not None and str(version) != str(current.version):
        raise _stale_weights()
    rows = current.rows
    for key in KEYS:
        new = int(values[key])
        row = rows.get(key)
        old = row.weight if row else DEFAULT_WEIGHTS[key]
        if row is None:
            row = HealthWeight(key=key, weight=new)
            db.session.add(row)
        if old != new:
            row.weight, row.updated_at = new, utcnow()
            record(actor, row, "update", {"weight": [old, new]}, summary=key)
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):  # another admin's save got in between
        raise _stale_weights() from None


def is_decision_maker_sql():
    """SQL twin of gaps.is_decision_maker."""
    return or_(Contact.buying_role == "economic_buyer", Contact.seniority.in_(DECIDING))


def _executive_owned_contacts(account_in, dialect):
    """SQL twin of the gaps rule, as a subquery of contact ids of these accounts: a current team
    member, director or above, paired with the contact. The pairings of the accounts, each
    checked for its membership (an EXISTS per decision-maker ran 320 times on a page of 40
    accounts on PostgreSQL); `account_in` writes the accounts' condition for a column."""
    # A pairing is on its contact's account (app/stakeholders/coverage.py refuses any other), so
    # the membership is matched on the pairing's own account_id: joining the contact for its
    # account read every contact of the accounts (1,400 for 40 accounts) to keep the same rows.
    pairings = (db.select(Coverage.contact_id).join(User, User.id == Coverage.user_id)
                .where(account_in(Coverage.account_id), Coverage.contact_id.is_not(None),
                       Coverage.ended_on.is_(None), User.seniority.in_(SENIOR)))
    if dialect == "postgresql":
        # PostgreSQL's generic plan of the join hashed every current membership of the workspace
        # (8,000 rows: 4.1 ms of the 7.9 the UNION ALL took for 40 accounts); an EXISTS on the
        # (account, user) index of current memberships is a probe per pairing (2.0 ms). SQLite
        # runs the join in 0.5 ms and the EXISTS in 0.9, so it keeps the join.
        current = (db.select(Membership.id)
                   .where(Membership.account_id == Coverage.account_id, Membership.user_id == Coverage.user_id,
                          Membership.left_on.is_(None)).correlate(Coverage))
        return pairings.where(current.exists()).distinct().subquery()
    return (pairings.join(Membership, (Membership.user_id == Coverage.user_id)
                          & (Membership.account_id == Coverage.account_id) & Membership.left_on.is_(None))
            .distinct().subquery())


# Each rule below is one grouped SELECT of (account_id, rule, a, b, c, d); they travel to the
# database as one UNION ALL, so an account's health costs the same three queries for 1 account or
# 2,000. Rules over the same rows share one SELECT (the contacts, the held meetings).
_FIELDS = {
    "contacts": ("dm_total", "dm_uncovered", "key_contacts", "stale_contacts"),
    "complaints": ("open_critical", "breached"),
    "objectives": ("objectives_at_risk",),
    "plan": ("plans", "objectives"),
    "channels": ("channels",),
    "actions": ("overdue_actions",),
    "held": ("meetings_held", "satisfaction_avg", "satisfaction_count"),
}
_VALUES = 4  # a, b, c, d


def _rule(name, account_col, *values):
    """The select list of one rule: (account_id, name, a, b, c, d), numbers as floats so branches
    unite, the unused ones 0."""
    values = values + (literal(0),) * (_VALUES - len(values))
    return (account_col.label("account_id"), literal(name, String).label("rule"),
            *(cast(v, Float).label(n) for v, n in zip(values, "abcd", strict=True)))


def _count_rules(ids, on_date, now):
    """(the UNION ALL of every counting rule, its parameters) for these accounts.

    Rows created after `now` are left out, so a snapshot of a past quarter does not count
    a channel, plan or objective that did not exist yet. The statement is built once a process
    with bound parameters (building and hashing its grouped selects took longer than SQLite
    took to run them); the accounts, dates and times travel as parameters.
    """
    return _count_rules_stmt(dialect_name(), as_array(len(ids))), {"ids": list(ids), "now": now,
                                 "cutoff": on_date - timedelta(days=STALE_DAYS),
                                 "since": now - timedelta(days=SATISFACTION_DAYS), "on_date": on_date}


@cache
def _count_rules_stmt(dialect, array):
    """The UNION ALL of every counting rule, on parameters ids, now, cutoff, since, on_date, for
    `dialect`, the ids as one array parameter if `array` (app/sqlin.py)."""
    def account_in(column):
        return in_ids(column, "ids", array)

    now, cutoff = bindparam("now", type_=DateTime), bindparam("cutoff", type_=Date)
    since, on_date = bindparam("since", type_=DateTime), bindparam("on_date", type_=Date)
    active = (account_in(Contact.account_id), Contact.status == "active")
    owned = _executive_owned_contacts(account_in, dialect)
    deciding, key = is_decision_maker_sql(), Contact.influence == "high"
    stale = or_(Contact.last_contacted_on.is_(None), Contact.last_contacted_on < cutoff)
    return union_all(
        db.select(*_rule("plan", Plan.account_id, func.count(func.distinct(Plan.id)), func.count(Objective.id)))
        .outerjoin(Objective, (Objective.plan_id == Plan.id) & (Objective.created_at <= now))
        .where(account_in(Plan.account_id), Plan.closed_at.is_(None), Plan.created_at <= now)
        .group_by(Plan.account_id),
        db.select(*_rule("channels", ComplaintChannel.account_id, func.count(ComplaintChannel.id)))
        .where(account_in(ComplaintChannel.account_id), ComplaintChannel.created_at <= now)
        .group_by(ComplaintChannel.account_id),
        db.select(*_rule("held", Meeting.account_id, func.count(Meeting.id), func.avg(Meeting.satisfaction),
                         func.count(Meeting.satisfaction)))
        .where(account_in(Meeting.account_id), Meeting.status == "held",
               Meeting.starts_at >= since, Meeting.starts_at <= now)
        .group_by(Meeting.account_id),
        db.select(*_rule("contacts", Contact.account_id, func.sum(case((deciding, 1), else_=0)),
                         func.sum(case((deciding & owned.c.contact_id.is_(None), 1), else_=0)),
                         func.sum(case((key, 1), else_=0)),
                         func.sum(case((key & stale, 1), else_=0))))
        .outerjoin(owned, owned.c.contact_id == Contact.id)
        .where(*active, or_(deciding, key)).group_by(Contact.account_id),
        db.select(*_rule("complaints", Complaint.account_id,
                         func.sum(case((Complaint.severity == "critical", 1), else_=0)),
                         func.sum(case((Complaint.breached(now), 1), else_=0))))
        .where(account_in(Complaint.account_id), Complaint.status.in_(COMPLAINT_OPEN),
               Complaint.received_at <= now)
        .group_by(Complaint.account_id),
        db.select(*_rule("objectives", Objective.account_id, func.count(Objective.id)))
        .join(Plan, Plan.id == Objective.plan_id)
        .where(account_in(Objective.account_id), Plan.closed_at.is_(None),
               Objective.status.in_(RISKY_OBJECTIVES)).group_by(Objective.account_id),
        db.select(*_rule("actions", ActionItem.account_id, func.count(ActionItem.id)))
        .where(account_in(ActionItem.account_id), ActionItem.status.in_(ACTION_OPEN),
               ActionItem.due_on < on_date).group_by(ActionItem.account_id),
        db.select(cast(null(), Integer).label("account_id"), HealthWeight.key.label("rule"),
                  *(cast(v, Float).label(n) for v, n in zip(
                      (HealthWeight.weight,) + (literal(0),) * (_VALUES - 1), "abcd", strict=True))))


def _counts(ids, on_date, cadences=None, weights_out=None):
    """Counts per account: one UNION ALL of the rules and one query for the cadences (given in
    `cadences`, a dict, it is filled with cadence_status's answer for callers that need it too).
    The admin's stored weights come in the same UNION ALL (rows without an account), into
    `weights_out`: they had been a round trip of their own on every page that shows health."""
    counts = {i: Counts() for i in ids}
    # "Now" for breaches and recent meetings: the real now today, the end of the day for another date.
    now = utcnow() if on_date == today() else datetime.combine(on_date, time(23, 59))
    stmt, params = _count_rules(ids, on_date, now)
    for account_id, rule, *values in db.session.execute(stmt, params):
        if account_id is None:  # a stored weight: its key, its value
            if weights_out is not None:
                weights_out[rule] = int(values[0])
            continue
        c = counts[account_id]
        for name, value in zip(_FIELDS[rule], values, strict=False):
            if name == "satisfaction_avg":
                setattr(c, name, float(value) if value is not None else None)
            else:
                setattr(c, name, int(value or 0))
    status = cadence_status(ids, on_date)
    if cadences is not None:
        cadences.update(status)
    for account_id, cads in status.items():
        overdue = [days for _cad, days in cads if days > 0]
        c = counts[account_id]
        c.cadences, c.cadences_overdue = len(cads), len(overdue)
        c.worst_overdue_days = max(overdue, default=0)
    return counts


@cache
def _cadence_stmt(by_executive, array):
    """The cadences of accounts `ids` (of `executive_id` too, if `by_executive`) with their last
    meeting: built once a process, on bound parameters."""
    stmt = (db.select(ExecutiveCadence, last_met_sql())
            .where(in_ids(ExecutiveCadence.account_id, "ids", array))
            .options(joinedload(ExecutiveCadence.contact)))
    if by_executive:
        stmt = stmt.where(ExecutiveCadence.executive_id == bindparam("executive_id"))
    return stmt


def cadence_status(ids, on_date, executive_id=None):
    """{account_id: [(cadence, days overdue)]}: one query whatever the number of accounts.

    Each cadence comes with its contact loaded (joined), so callers may show the name.
    """
    params = {"ids": list(ids)}
    if executive_id is not None:
        params["executive_id"] = executive_id
    out = {}
    stmt = _cadence_stmt(executive_id is not None, as_array(len(params["ids"])))
    for cad, at in db.session.execute(stmt, params):
        _due, days = cadence_due(at.date() if at else None, cad.started_on, cad.every_days, on_date)
        out.setdefault(cad.account_id, []).append((cad, days))
    return out


def health_for(account_ids, on_date=None, cadences=None):
    """{account_id: Health} for many accounts in two queries, whatever their number (the rules
    with the stored weights, the cadences).

    `cadences`, a dict, receives cadence_status(ids, on_date) as read for the score (the sponsor
    page's own overdue meetings come from it instead of a query of their own)."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    stored = {}
    counts = _counts(ids, on_date or today(), cadences, stored)
    w = with_defaults(stored)
    return {i: built(c, w) for i, c in counts.items()}


# --- quarters, snapshots and trends ------------------------------------------------------

def quarter_of(day):
    """'2026-Q3' for a date."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_quarter(text):
    """(year, q) from '2026-Q3', or ValueError."""
    year, _sep, q = (text or "").strip().upper().partition("-Q")
    if not (year.isdigit() and len(year) == 4 and q in ("1", "2", "3", "4")):
        raise ValueError(text)
    return int(year), int(q)


def shift_quarter(quarter, n):
    """The quarter n quarters after (negative: before) the given one."""
    year, q = parse_quarter(quarter)
    index = year * 4 + (q - 1) + n
    return f"{index // 4}-Q{index % 4 + 1}"


def quarter_bounds(quarter):
    """(first day, last day) of '2026-Q3'."""
    year, q = parse_quarter(quarter)
    first = date(year, 3 * q - 2, 1)
    nxt = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return first, nxt - timedelta(days=1)


def _lived_through(ids, quarter):
    """Of these accounts, those that existed before `quarter` ended (one query)."""
    _first, last = quarter_bounds(quarter)
    end = datetime.combine(last + timedelta(days=1), time(0, 0))
    return set(db.session.scalars(db.select(Account.id).where(among(Account.id, ids), Account.created_at < end)))


def take_snapshots(account_ids, quarter, actor=None, replace=True, on_date=None, now=None, _retry=True):
    """Store each account's health as its snapshot for `quarter`; the number stored.

    Never for a quarter that ended before the account existed. A closed quarter is scored as
    of its last day (dated rows only: meetings, complaints, actions, what existed then); one
    taken more than LATE_DAYS after that day is marked late, since today's statuses still leak in.
    `now` (naive UTC) is the time recorded as taken (the quarter-close job passes its clock).
    Two takers racing (the button twice, the sponsor page and the job) meet at
    uq_health_snapshot_quarter: the loser reads the winner's rows and replaces them (or, with
    `replace=False`, leaves them), instead of failing.
    """
    from sqlalchemy.exc import IntegrityError

    try:
        return _take_snapshots(account_ids, quarter, actor, replace, on_date, now)
    except IntegrityError:
        db.session.rollback()
        if not _retry:
            raise
        return take_snapshots(account_ids, quarter, actor, replace, on_date, now, _retry=False)


def _take_snapshots(account_ids, quarter, actor, replace, on_date, now):
    day = on_date or today()
    first, last = quarter_bounds(quarter)
    ids = sorted(_lived_through(set(account_ids), quarter)) if account_ids else []
    if not ids:
        return 0
    closed = last < day
    health = health_for(ids, on_date=last if closed else day)
    late = closed and (day - last).days > LATE_DAYS
    existing = {s.account_id: s for s in db.session.scalars(db.select(HealthSnapshot).where(
        HealthSnapshot.account_id.in_(ids), HealthSnapshot.quarter == quarter))}
    stored = 0
    for account_id, h in health.items():
        snap = existing.get(account_id)
        if snap is not None and not replace:
            continue
        if snap is None:
            snap = HealthSnapshot(account_id=account_id, quarter=quarter, score=h.score)
            db.session.add(snap)
        snap.score, snap.parts = h.score, {p.key: p.score for p in h.parts}
        snap.taken_at, snap.taken_by_id, snap.late = now or utcnow(), getattr(actor, "id", None), late
        if actor is not None:  # the button, not the cron: the team sees who took it
            db.session.flush()
            record(actor, snap, "create", {"score": [None, h.score]}, summary=quarter)
        stored += 1
    db.session.commit()
    return stored


def ensure_previous_quarter(account_ids, on_date=None):
    """Take the closed quarter's snapshot for accounts that lived through it and missed the cron.

    One query when none is missing (accounts created after the quarter never count as missing).
    """
    missing = set(db.session.scalars(db.select(Account.id).where(
        among(Account.id, account_ids), misses_previous_snapshot()), snapshot_params(on_date)))
    return take_missing_snapshots(missing, on_date)


def snapshot_params(on_date=None):
    """The closed quarter and the end of its last day: misses_previous_snapshot's parameters."""
    quarter = shift_quarter(quarter_of(on_date or today()), -1)
    _first, last = quarter_bounds(quarter)
    return {"snapshot_quarter": quarter, "snapshot_end": datetime.combine(last + timedelta(days=1), time(0, 0))}


def misses_previous_snapshot():
    """SQL: the account lived through the closed quarter and has no snapshot of it (a condition
    on Account, so a page that loads its accounts anyway can ask in the same statement), on
    bound parameters snapshot_quarter and snapshot_end (snapshot_params), so a statement holding
    it can be built once a process."""
    return and_(Account.created_at < bindparam("snapshot_end", type_=DateTime), ~exists().where(
        HealthSnapshot.account_id == Account.id,
        HealthSnapshot.quarter == bindparam("snapshot_quarter", type_=String)))


def take_missing_snapshots(missing, on_date=None):
    """The closed quarter's snapshots of the accounts `misses_previous_snapshot` found."""
    quarter = shift_quarter(quarter_of(on_date or today()), -1)
    return take_snapshots(missing, quarter, replace=False, on_date=on_date) if missing else 0


class Point(NamedTuple):
    """One closed quarter on a trend: its label, its score and whether it was taken late."""

    quarter: str
    score: int
    late: bool = False


@cache
def _trend_stmt(array):
    """trend_for's select on parameters ids and quarters, built once a process."""
    return (db.select(HealthSnapshot.account_id, HealthSnapshot.quarter, HealthSnapshot.score, HealthSnapshot.late)
            .where(in_ids(HealthSnapshot.account_id, "ids", array),
                   HealthSnapshot.quarter.in_(bindparam("quarters", expanding=True)),
                   HealthSnapshot.score.isnot(None))
            .order_by(HealthSnapshot.quarter))


def trend_for(account_ids, quarters=4, on_date=None):
    """{account_id: [Point]} oldest first: the last `quarters` closed quarters with a score (one query).

    The current quarter is not on it: "now" is the live score, see `direction` and `with_now`.
    """
    this = quarter_of(on_date or today())
    wanted = [shift_quarter(this, -n) for n in range(quarters, 0, -1)]
    out = {i: [] for i in account_ids}
    rows = db.session.execute(_trend_stmt(as_array(len(out))), {"ids": list(out), "quarters": wanted})
    for account_id, quarter, score, late in rows:
        out[account_id].append(Point(quarter, score, bool(late)))
    return out


def direction(trend, now=None):
    """Now against the last closed quarter: 'up', 'flat', 'down' (by MOVE points or more),
    'new' without a closed quarter, 'unknown' when now has not enough data."""
    if now is None:
        return "unknown"
    if not trend:
        return "new"
    change = now - trend[-1][1]
    return "up" if change >= MOVE else "down" if change <= -MOVE else "flat"


def summaries(account_ids):
    """{account_id: (Health, direction, trend)} for a list page: four queries whatever the number."""
    ids = list(account_ids)
    health = health_for(ids)
    trends, directions = trends_and_directions(ids, health)
    return {i: (health[i], directions[i], trends[i]) for i in ids}


def trends_and_directions(ids, health):
    """({id: [Point]}, {id: direction}) for accounts whose health is already computed (one query)."""
    trends = trend_for(ids)
    return trends, {i: direction(trends[i], health[i].score) for i in ids}


def previous_snapshot_quarters(n, on_date=None):
    """The n closed quarters before this one, oldest first (for demo data and the CLI)."""
    this = quarter_of(on_date or today())
    return [shift_quarter(this, -k) for k in range(n, 0, -1)]


def quarter_of_today():
    """The current quarter, '2026-Q4'."""
    return quarter_of(today())


def store_snapshot(account_id, quarter, score, parts):
    """Store a given snapshot (demo data and imports of past quarters); replaces that quarter's."""
    snap = db.session.scalar(db.select(HealthSnapshot).where(
        HealthSnapshot.account_id == account_id, HealthSnapshot.quarter == quarter))
    if snap is None:
        snap = HealthSnapshot(account_id=account_id, quarter=quarter, score=score)
        db.session.add(snap)
    snap.score, snap.parts, snap.late = score, dict(parts), False
    db.session.commit()
    return snap
