"""The sweeps: what is due or late, and who is told. Each event is told once (see `emit`),
however often a sweep runs; a sweep with nothing to say sends nothing."""
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Account
from app.actions.models import OPEN_STATUSES as ACTION_OPEN
from app.actions.models import ActionItem
from app.complaints.models import OPEN_STATUSES, Complaint, ComplaintChannel
from app.extensions import db
from app.meetings.models import ExecutiveCadence, Meeting, cadence_due, meeting_contact
from app.meetings.services import local_date
from app.notify.mail import path_for
from app.notify.services import emit
from app.team.models import Membership
from app.timeutil import today, utcnow

WARN_FRACTION = 0.25  # "about to miss": the last quarter of the promised time
MIN_WARN = timedelta(hours=1)
CADENCE_SOON_DAYS = 7


def _hours(delta):
    hours = delta.total_seconds() / 3600
    return round(hours, 1) if hours < 10 else int(hours)


def sla_targets(c, now):
    """[(target, deadline, window)] of a complaint's promises still running or broken."""
    out = []
    if c.acknowledged_at is None:
        out.append(("response", c.respond_by, c.respond_by - c.received_at))
    if c.resolved_at is None:
        out.append(("resolution", c.resolve_by, c.resolve_by - c.received_at))
    return out


def sla_sweep(now=None):
    """Complaints about to miss, or past, a target: the channel owner (and the complaint's owner)
    is told; a breach climbs the escalation path, one channel up per promised window late."""
    now = now or utcnow()
    complaints = db.session.scalars(
        db.select(Complaint).join(Account, Account.id == Complaint.account_id)
        .where(Complaint.status.in_(OPEN_STATUSES), Account.archived_at.is_(None))
        .options(selectinload(Complaint.channel), selectinload(Complaint.account))
        .order_by(Complaint.id)).all()
    if not complaints:
        return 0
    paths = {}
    for ch in db.session.scalars(db.select(ComplaintChannel).where(
            ComplaintChannel.account_id.in_({c.account_id for c in complaints}))):
        paths.setdefault(ch.account_id, []).append(ch)
    told = 0
    for c in complaints:
        path = sorted((ch for ch in paths.get(c.account_id, []) if ch.rank >= c.channel.rank),
                      key=lambda ch: ch.rank)
        for target, deadline, window in sla_targets(c, now):
            window = max(window, MIN_WARN)
            params = {"subject": c.subject, "account": c.account.name, "target": target,
                      "due": deadline.isoformat(), "severity": c.severity, "channel": c.channel.kind}
            url = path_for("complaints.show", account_id=c.account_id, complaint_id=c.id)
            if now >= deadline:
                level = 1 + int((now - deadline) / window)
                climbed = path[:level] or [c.channel]
                extra = {ch.owner_id: {"escalated_to": ch.kind} for ch in reversed(climbed[1:]) if ch.owner_id}
                people = [c.channel.owner_id, c.owner_id, *extra]
                told += emit("sla_breach", f"sla-breach:{c.id}:{c.reopen_count}:{target}",
                             account_id=c.account_id, url=url, recipients=people, extra=extra,
                             params=dict(params, hours_late=_hours(now - deadline)))
            elif deadline - now <= max(window * WARN_FRACTION, MIN_WARN):
                told += emit("sla_warning", f"sla-warn:{c.id}:{c.reopen_count}:{target}",
                             account_id=c.account_id, url=url, params=params,
                             recipients=[c.channel.owner_id, c.owner_id])
    return told


def _kams(account_ids):
    """{account_id: [user ids of its current KAMs]} (one query)."""
    out = {}
    for aid, uid in db.session.execute(db.select(Membership.account_id, Membership.user_id).where(
            Membership.account_id.in_(list(account_ids)), Membership.left_on.is_(None),
            Membership.role == "kam")):
        out.setdefault(aid, []).append(uid)
    return out


def cadence_sweep(on=None):
    """Executive meetings due within 7 days or overdue: our executive and the KAM are told."""
    on = on or today()
    cads = db.session.scalars(
        db.select(ExecutiveCadence).join(Account, Account.id == ExecutiveCadence.account_id)
        .where(Account.archived_at.is_(None))
        .options(joinedload(ExecutiveCadence.executive), joinedload(ExecutiveCadence.contact))
        .order_by(ExecutiveCadence.id)).all()
    if not cads:
        return 0
    last = {(a, c): m for a, c, m in db.session.execute(
        db.select(Meeting.account_id, meeting_contact.c.contact_id, func.max(Meeting.starts_at))
        .join(meeting_contact, Meeting.id == meeting_contact.c.meeting_id)
        .where(Meeting.status == "held", meeting_contact.c.contact_id.in_({c.contact_id for c in cads}))
        .group_by(Meeting.account_id, meeting_contact.c.contact_id))}
    accounts = dict(db.session.execute(db.select(Account.id, Account.name).where(
        Account.id.in_({c.account_id for c in cads}))).all())
    kams = _kams(accounts)
    told = 0
    for cad in cads:
        met = last.get((cad.account_id, cad.contact_id))
        due, overdue = cadence_due(local_date(met) if met else None, cad.started_on, cad.every_days, on)
        if due > on + timedelta(days=CADENCE_SOON_DAYS):
            continue
        stage = "overdue" if overdue else "soon"
        told += emit("cadence_due", f"cadence:{cad.id}:{due.isoformat()}:{stage}", account_id=cad.account_id,
                     url=path_for("meetings.index", account_id=cad.account_id),
                     recipients=[cad.executive_id, *kams.get(cad.account_id, [])],
                     params={"executive": cad.executive.name, "contact": cad.contact.name,
                             "account": accounts[cad.account_id], "due": due.isoformat(), "overdue": overdue})
    return told


def action_reminders(on=None):
    """Open actions due tomorrow or overdue: their owner is told."""
    on = on or today()
    rows = db.session.execute(
        db.select(ActionItem, Account.name).join(Account, Account.id == ActionItem.account_id)
        .where(ActionItem.status.in_(ACTION_OPEN), ActionItem.owner_id.is_not(None),
               ActionItem.due_on.is_not(None), ActionItem.due_on <= on + timedelta(days=1),
               ActionItem.due_on != on, Account.archived_at.is_(None))
        .order_by(ActionItem.id)).all()
    told = 0
    for item, account_name in rows:
        overdue = (on - item.due_on).days if item.due_on < on else 0
        stage = "overdue" if overdue else "tomorrow"
        told += emit("action_due", f"action:{item.id}:{item.due_on.isoformat()}:{stage}",
                     account_id=item.account_id, url=path_for("actions.mine"), recipients=[item.owner_id],
                     params={"title": item.title, "account": account_name, "due": item.due_on.isoformat(),
                             "overdue": overdue})
    return told
