"""Who is told what, and how: preferences, the bell's notifications, one event fanned out.

`emit` is the one way out: each recipient once per event (claim_once), by the channels they
chose (in the app, by e-mail, both, neither), and each chat target of the account once.
Mails and webhook calls are queue tasks (app/notify/tasks.py), so a slow SMTP server or chat
platform never holds up a sweep, and failures are retried.
"""
import json
import zlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, exists, func, or_, update

from app.auth.models import User
from app.concurrency import StaleEdit
from app.extensions import db
from app.jobs.sent import claim_once
from app.notify.kinds import KINDS
from app.notify.models import Notification, NotifyPreference, WebhookTarget
from app.team.models import Membership
from app.timeutil import utcnow

CHANNELS = ("both", "in_app", "email", "none")
DIGEST = "digest"
PAGE_SIZE = 30


# --- preferences --------------------------------------------------------------------------

def default_channels(kind):
    """Owners get alerts both ways until they say otherwise."""
    return "both"


def gets_digest_by_default(user_id):
    """Sponsors (and KAMs, whose week it sums up) get the weekly digest unless they opt out."""
    return bool(db.session.scalar(db.select(exists().where(
        Membership.user_id == user_id, Membership.left_on.is_(None),
        Membership.role.in_(("sponsor", "kam"))))))


def preferences(user):
    """{kind: channels} for every kind, plus {"digest": bool} (two queries at most)."""
    rows = dict(db.session.execute(db.select(NotifyPreference.kind, NotifyPreference.channels)
                                   .where(NotifyPreference.user_id == user.id)).all())
    out = {k: rows.get(k, default_channels(k)) for k in KINDS}
    out[DIGEST] = rows[DIGEST] != "none" if DIGEST in rows else gets_digest_by_default(user.id)
    return out


def preferences_version(user):
    """The version of the person's stored choices: a fingerprint of their rows (1 before any),
    so a page read before another tab's save is known to be stale."""
    rows = db.session.execute(db.select(NotifyPreference.kind, NotifyPreference.channels)
                              .where(NotifyPreference.user_id == user.id).order_by(NotifyPreference.kind)).all()
    return fingerprint(rows)


def fingerprint(rows):
    return zlib.crc32(";".join(f"{k}={c}" for k, c in rows).encode()) % 2_000_000_000 + 1


def save_preferences(actor, user, choices, digest, version=None):
    """Store the person's choices: {kind: channels} and digest on/off.

    StaleEdit if `version` (preferences_version when the page was read) is no longer the
    stored one; None skips the check. The user's row is written first (a no-op UPDATE): it
    takes the row lock on PostgreSQL and the write lock on SQLite, so two saves cannot both
    pass the check."""
    db.session.execute(update(User.__table__).where(User.__table__.c.id == user.id)
                       .values(id=User.__table__.c.id))
    rows = {p.kind: p for p in db.session.scalars(
        db.select(NotifyPreference).where(NotifyPreference.user_id == user.id))}
    if version is not None:
        try:
            submitted = int(version)
        except (TypeError, ValueError):
            submitted = -1
        if submitted != fingerprint(sorted((k, p.channels) for k, p in rows.items())):
            db.session.rollback()
            raise StaleEdit(_PreferencesOf(user))
    wanted = {k: v for k, v in choices.items() if k in KINDS and v in CHANNELS}
    wanted[DIGEST] = "email" if digest else "none"
    for kind, channels in wanted.items():
        if kind in rows:
            rows[kind].channels = channels
        else:
            db.session.add(NotifyPreference(user_id=user.id, kind=kind, channels=channels))
    db.session.commit()


class _PreferencesOf:
    """The stale object of a preferences 409: the person's current choices and their version."""

    def __init__(self, user):
        self.id, self.choices, self.version = user.id, preferences(user), preferences_version(user)


def channels_for(user_ids, kind):
    """{user_id: channels} for one kind (one query)."""
    rows = dict(db.session.execute(db.select(NotifyPreference.user_id, NotifyPreference.channels).where(
        NotifyPreference.user_id.in_(list(user_ids)), NotifyPreference.kind == kind)).all())
    return {u: rows.get(u, default_channels(kind)) for u in user_ids}


def wants_digest(user_ids):
    """{user_id: bool}: who gets the weekly digest (two queries)."""
    ids = list(user_ids)
    rows = dict(db.session.execute(db.select(NotifyPreference.user_id, NotifyPreference.channels).where(
        NotifyPreference.user_id.in_(ids), NotifyPreference.kind == DIGEST)).all())
    by_role = set(db.session.scalars(db.select(Membership.user_id).where(
        Membership.user_id.in_(ids), Membership.left_on.is_(None), Membership.role.in_(("sponsor", "kam")))))
    return {u: (rows[u] != "none") if u in rows else (u in by_role) for u in ids}


# --- unsubscribe tokens (RFC 8058 one-click) ------------------------------------------------

def _signer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notify-unsubscribe")


def unsubscribe_token(user_id, kind):
    return _signer().dumps([user_id, kind])


def read_unsubscribe_token(token):
    """(user, kind) of a valid token, else None."""
    try:
        user_id, kind = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in KINDS and kind != DIGEST:
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return (user, kind) if user is not None else None


def unsubscribe(user, kind):
    """Stop e-mails of one kind (or the digest): keep the in-app side of the choice."""
    pref = db.session.scalar(db.select(NotifyPreference).where(
        NotifyPreference.user_id == user.id, NotifyPreference.kind == kind))
    current = pref.channels if pref else (default_channels(kind) if kind != DIGEST else "email")
    new = {"both": "in_app", "email": "none"}.get(current, current) if kind != DIGEST else "none"
    if pref is None:
        db.session.add(NotifyPreference(user_id=user.id, kind=kind, channels=new))
    else:
        pref.channels = new
    db.session.commit()


# --- the bell and the notifications page --------------------------------------------------

def _visible(user_id_col, is_admin_col):
    """Notifications a person may see now: about no account, or one whose team they are on."""
    return or_(Notification.account_id.is_(None), is_admin_col.is_(True), exists().where(
        Membership.account_id == Notification.account_id, Membership.user_id == user_id_col,
        Membership.left_on.is_(None)).correlate_except(Membership))


def unread_count_sql(user_id_col):
    """SQL: the user's unread, still-visible notifications (loaded with the user: no query of its own)."""
    return (db.select(func.count(Notification.id))
            .where(Notification.user_id == user_id_col, Notification.read_at.is_(None),
                   _visible(user_id_col, User.is_admin))
            .correlate(User).scalar_subquery())


def unread_count(user):
    flags = getattr(user, "flags", None)
    if flags is not None and "unread" in flags:
        return flags["unread"]
    return db.session.scalar(db.select(unread_count_sql(User.id)).where(User.id == user.id)) or 0


def list_notifications(user, before=None, limit=PAGE_SIZE):
    """(one page of the user's visible notifications, newest first; the id to page on or None)."""
    stmt = (db.select(Notification).where(Notification.user_id == user.id,
                                          _visible(user.id, db.literal(bool(user.is_admin))))
            .order_by(Notification.id.desc()).limit(limit + 1))
    if before:
        stmt = stmt.where(Notification.id < before)
    rows = db.session.scalars(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more else None)


def visible_notification(user, notification_id):
    """One of the user's notifications, if they may still see it; else None."""
    return db.session.scalar(db.select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user.id,
        _visible(user.id, db.literal(bool(user.is_admin)))))


def mark_read(user, notification):
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()


def mark_all_read(user):
    """Every unread notification of the user becomes read (one UPDATE)."""
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount


# --- one event, fanned out -----------------------------------------------------------------

def _recipients(user_ids, account_id):
    """Active users among `user_ids` still on the account's team (or admins)."""
    ids = {u for u in user_ids if u}
    if not ids:
        return []
    stmt = db.select(User).where(User.id.in_(ids), User.active.is_(True))
    if account_id is not None:
        stmt = stmt.where(or_(User.is_admin.is_(True), exists().where(
            Membership.account_id == account_id, Membership.user_id == User.id, Membership.left_on.is_(None))))
    return db.session.scalars(stmt.order_by(User.id)).all()


def targets_for(account_id, kind):
    """Live chat targets that hear `kind`: the account's and the workspace-wide ones."""
    rows = db.session.scalars(db.select(WebhookTarget).where(
        WebhookTarget.active.is_(True), WebhookTarget.paused_at.is_(None),
        or_(WebhookTarget.account_id.is_(None),
            and_(WebhookTarget.account_id == account_id) if account_id else db.false()))
        .order_by(WebhookTarget.id)).all()
    return [t for t in rows if kind in t.event_list]


def emit(kind, key, *, account_id, url, params, recipients, extra=None, webhooks=True):
    """Tell each recipient once about one event (`key` names it), and each chat target once.

    `extra` maps a user id to params only they get (e.g. "you are up the escalation path").
    Returns how many people were told (in-app or e-mail).
    """
    from app.notify import tasks

    people = _recipients(recipients, account_id)
    chosen = channels_for([u.id for u in people], kind)
    told, mails = 0, []
    for user in people:
        if chosen[user.id] == "none" or not claim_once(f"{key}:u{user.id}"):
            continue
        mine = {**params, **((extra or {}).get(user.id) or {})}
        if chosen[user.id] in ("both", "in_app"):
            db.session.add(Notification(user_id=user.id, account_id=account_id, kind=kind, url=url,
                                        params_json=json.dumps(mine, ensure_ascii=False)))
        if chosen[user.id] in ("both", "email"):
            mails.append((user.id, mine))
        told += 1
    db.session.commit()
    for user_id, mine in mails:
        tasks.send_alert(user_id, kind, url, mine)
    if webhooks:
        # Claimed and committed before queueing: a job that runs again never posts twice.
        targets = [t for t in targets_for(account_id, kind) if claim_once(f"{key}:hook{t.id}")]
        db.session.commit()
        for target in targets:
            tasks.deliver_webhook(target.id, kind, url, params)
    return told
