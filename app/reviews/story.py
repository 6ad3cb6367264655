"""What changed in the quarter: health then and now, tier and stage moves, people, pairings, objectives.

Plain dicts of formatted strings, like the rest of the review (see data.py), so a finalised copy
shows them exactly as they were. Six queries whatever the number of rows.
"""
from datetime import datetime, time, timedelta

from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.extensions import db
from app.health.models import CheckInNote, HealthSnapshot
from app.health.parts import LABELS
from app.health.services import MOVE
from app.reviews import quarters
from app.selection.models import SelectionDecision, StageChange
from app.stakeholders.models import Contact, Coverage, Department
from app.templating import date_
from app.translate import gettext as _
from app.vocab import STAGES, TIERS

NOTES_LIMIT = 12


def _span(start, end):
    """The quarter as [lo, hi) naive UTC datetimes."""
    return datetime.combine(start, time(0, 0)), datetime.combine(end + timedelta(days=1), time(0, 0))


def health_change(account_id, quarter, now):
    """Health at the end of the quarter before against the end of this one (now, for the current one).

    `now`: the review's health dict (score and parts) for the current quarter. One query.
    """
    before = quarters.shift(quarter, -1)
    snaps = {s.quarter: s for s in db.session.scalars(db.select(HealthSnapshot).where(
        HealthSnapshot.account_id == account_id, HealthSnapshot.quarter.in_([before, quarter])))}
    then = snaps.get(before)
    if quarters.ended(quarter) and quarter in snaps:
        after = {"score": snaps[quarter].score, "parts": snaps[quarter].parts or {}, "label": quarter}
    elif now is not None:
        after = {"score": now.get("score"), "parts": now.get("parts_by_key", {}), "label": _("now")}
    else:
        after = None
    if then is None and after is None:
        return None
    moved = []
    if then is not None and after is not None:
        for key, label in LABELS.items():
            a, b = (then.parts or {}).get(key), after["parts"].get(key)
            if a is None or b is None:
                if (a is None) != (b is None):
                    moved.append({"label": str(label), "then": a, "now": b, "dir": "known" if b is not None else "lost"})
                continue
            if abs(b - a) >= MOVE:
                moved.append({"label": str(label), "then": a, "now": b, "dir": "up" if b > a else "down"})
    return {"then_label": before, "then": then.score if then is not None else None,
            "now_label": after["label"] if after else "", "now": after["score"] if after else None,
            "moved": moved}


def changes(account, quarter, start, end, objectives):
    """The 'what changed' part of the review; `objectives` are the plan's rows already loaded."""
    lo, hi = _span(start, end)
    fmt = lambda d: date_(d, "medium")  # noqa: E731
    moves = []
    for d in db.session.scalars(db.select(SelectionDecision).where(
            SelectionDecision.account_id == account.id, SelectionDecision.decided_at >= lo,
            SelectionDecision.decided_at < hi).order_by(SelectionDecision.decided_at)):
        if d.tier_before != d.tier_after:
            moves.append({"date": fmt(d.decided_at), "text": _(
                "Tier %(before)s → %(after)s: %(why)s", before=TIERS.label(d.tier_before),
                after=TIERS.label(d.tier_after), why=d.rationale)})
        else:
            moves.append({"date": fmt(d.decided_at), "text": _(
                "Kept as %(tier)s: %(why)s", tier=TIERS.label(d.tier_after), why=d.rationale)})
    for s in db.session.scalars(db.select(StageChange).where(
            StageChange.account_id == account.id, StageChange.changed_at >= lo,
            StageChange.changed_at < hi).order_by(StageChange.changed_at)):
        moves.append({"date": fmt(s.changed_at), "text": _(
            "Relationship stage %(before)s → %(after)s: %(why)s", before=STAGES.label(s.stage_before),
            after=STAGES.label(s.stage_after), why=s.reason)})
    joined, left = [], []
    for c in db.session.scalars(db.select(Contact).where(
            Contact.account_id == account.id,
            ((Contact.created_at >= lo) & (Contact.created_at < hi)) | Contact.left_on.between(start, end))
            .order_by(Contact.name)):
        row = {"name": c.name, "title": c.title or ""}
        if c.left_on and start <= c.left_on <= end:
            left.append(row | {"date": fmt(c.left_on)})
        if lo <= c.created_at < hi:
            joined.append(row | {"date": fmt(c.created_at)})
    made, ended = [], []
    for p, user, contact, dept in db.session.execute(
            db.select(Coverage, User.name, Contact.name, Department.name)
            .join(User, User.id == Coverage.user_id)
            .outerjoin(Contact, Contact.id == Coverage.contact_id)
            .outerjoin(Department, Department.id == Coverage.department_id)
            .where(Coverage.account_id == account.id,
                   Coverage.started_on.between(start, end) | Coverage.ended_on.between(start, end))
            .order_by(Coverage.started_on)):
        row = {"text": f"{user} → {contact or dept or '?'}"}
        if start <= p.started_on <= end:
            made.append(row | {"date": fmt(p.started_on)})
        if p.ended_on and start <= p.ended_on <= end:
            ended.append(row | {"date": fmt(p.ended_on)})
    completed = [{"title": o.title, "date": fmt(o.updated_at) if o.updated_at else ""} for o in objectives
                 if o.status == "done" and o.updated_at and lo <= o.updated_at < hi]
    slipped = [{"title": o.title, "status": str(o.status_label),
                "date": fmt(o.target_date) if o.target_date else ""} for o in objectives
               if o.status != "done" and (o.status in ("at_risk", "off_track")
                                          or (o.target_date and start <= o.target_date <= end))]
    return {"moves": moves, "joined": joined, "left": left, "pairings_made": made, "pairings_ended": ended,
            "completed": completed, "slipped": slipped}


def sponsor_notes(account_id, start, end):
    """The executive sponsors' check-in notes written during the quarter, oldest first (one query)."""
    lo, hi = _span(start, end)
    rows = db.session.scalars(db.select(CheckInNote).where(
        CheckInNote.account_id == account_id, CheckInNote.created_at >= lo, CheckInNote.created_at < hi)
        .options(joinedload(CheckInNote.author)).order_by(CheckInNote.created_at).limit(NOTES_LIMIT)).all()
    return [{"author": n.author.name, "date": date_(n.created_at, "medium"), "body": n.body} for n in rows]
