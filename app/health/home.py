"""The home page's "what changed on my accounts since I last looked"."""
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEvent
from app.extensions import db
from app.health.models import HomeSeen
from app.team.models import Membership
from app.timeutil import utcnow

CHANGES_LIMIT = 15
# Visits closer together than this are one visit: reloading the page keeps the list.
SAME_VISIT = timedelta(minutes=30)
# On a first visit, "since you last looked" means the last week.
FIRST_VISIT_LOOKBACK = timedelta(days=7)


def mark_seen(user, now=None):
    """Record this visit; return the time of the previous visit (a week ago on the first)."""
    now = now or utcnow()
    seen = _seen_row(user.id)
    if seen is None:
        seen = HomeSeen(user_id=user.id, seen_at=now, previous_at=now - FIRST_VISIT_LOOKBACK)
        db.session.add(seen)
        try:
            db.session.commit()
        except IntegrityError:  # the first visit in two tabs at once: the other tab's row stands
            db.session.rollback()
            seen = _seen_row(user.id)
        return seen.previous_at
    if now - seen.seen_at > SAME_VISIT:
        seen.previous_at, seen.seen_at = seen.seen_at, now
        db.session.commit()
    return seen.previous_at


def _seen_row(user_id):
    return db.session.get(HomeSeen, user_id)


def changes_since(user, since, limit=CHANGES_LIMIT):
    """Others' changes on my current teams' accounts after `since`, newest first (two queries)."""
    if since is None:
        return []
    teams = db.select(Membership.account_id).where(
        Membership.user_id == user.id, Membership.left_on.is_(None))
    return db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.account_id.in_(teams), AuditEvent.at > since,
                                    AuditEvent.actor_id.is_distinct_from(user.id))
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()).limit(limit)).all()
