"""Queue tasks: one mail, one webhook call. Retried with back-off; safe to run late."""
from flask import current_app
from flask_babel import force_locale

from app.auth.models import User
from app.extensions import db
from app.jobs import task
from app.notify import kinds, mail, webhooks
from app.notify.models import WebhookTarget
from app.timeutil import utcnow
from app.translate import gettext as _

PAUSE_AFTER = 5  # consecutive failed calls before a chat target is paused and admins told


def _unsubscribe_path(user_id, kind):
    from app.notify.services import unsubscribe_token

    return mail.path_for("notify.unsubscribe", token=unsubscribe_token(user_id, kind))


def alert_message(user, kind, url, params):
    """The mail for one event, in the user's language."""
    def context(lang, tz):
        return {"subject": kinds.title(kind, params), "lines": kinds.lines(kind, params, tz, lang),
                "link": mail.absolute(url), "kind": kind,
                "prefs_url": mail.absolute(mail.path_for("notify.preferences"))}
    return mail.build(user, "alert", context, _unsubscribe_path(user.id, kind))


@task(retries=4, retry_delay=30, retry_backoff=2)
def send_alert(user_id, kind, url, params):
    """Mail one event to one person (SMTP or the outbox); an SMTP failure is retried."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return mail.deliver(alert_message(user, kind, url, params))


@task(retries=4, retry_delay=30, retry_backoff=2)
def send_digest(user_id, digest):
    """Mail one person's weekly digest (built by the digests job, plain values)."""
    from app.notify.digest import digest_message

    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return mail.deliver(digest_message(user, digest))


def card(target, kind, url, params):
    """(title, lines, link, link text) of an event in the target's language."""
    tz = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC"
    with force_locale(target.language or "zh"):
        return (kinds.title(kind, params), kinds.lines(kind, params, tz, target.language or "zh"),
                mail.absolute(url or "/"), _("Open in the workspace"))


def call_target(target, kind, url, params):
    """One call to one target; raises WebhookError."""
    title, lines, link, link_text = card(target, kind, url, params)
    query, body = webhooks.payload(target.platform, title, lines, link, link_text, target.secret)
    return webhooks.post(target.url, query, body, current_app.config.get("WEBHOOK_ALLOW_PRIVATE", False))


@task(retries=4, retry_delay=30, retry_backoff=2)
def deliver_webhook(target_id, kind, url, params):
    """Post an event to a chat target; failures are retried with back-off, and a target that
    keeps failing is paused and the admins are told."""
    target = db.session.get(WebhookTarget, target_id)
    if target is None or not target.is_live:
        return None
    try:
        call_target(target, kind, url, params)
    except webhooks.WebhookError as e:
        record_failure(target, str(e))
        if target.is_live:
            raise
        return None
    _set_state(target, failures=0, last_error="", last_ok_at=utcnow())
    return "ok"


def _set_state(target, **values):
    """Write the delivery state with a plain UPDATE: it is the worker's bookkeeping, not a
    person's edit, so it leaves the target's version alone (an admin's open page stays current)
    and never races an admin's save into a StaleDataError."""
    table = WebhookTarget.__table__
    db.session.execute(db.update(table).where(table.c.id == target.id).values(**values))
    db.session.commit()  # expires `target`: its next read is the stored state


def record_failure(target, error):
    """Count a failed call; the PAUSE_AFTER-th in a row pauses the target and tells the admins."""
    _set_state(target, failures=WebhookTarget.__table__.c.failures + 1, last_error=error[:1000])
    if target.failures >= PAUSE_AFTER and target.paused_at is None:
        _set_state(target, paused_at=utcnow())
        from app.notify.services import emit

        admins = db.session.scalars(db.select(User.id).where(User.is_admin.is_(True), User.active.is_(True)))
        emit("webhook_paused", f"webhook-paused:{target.id}:{target.paused_at:%Y%m%d%H%M%S}",
             account_id=None, url=mail.path_for("notify.webhooks"), recipients=list(admins),
             params={"name": target.name, "error": target.last_error[:300]}, webhooks=False)
