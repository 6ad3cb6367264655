"""Chat-bot targets: add, change, remove, test. Admins manage all; a KAM their account's."""
from flask import current_app

from app.audit.services import record
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.notify.forms import HOOK_EVENTS
from app.notify.models import WebhookTarget
from app.notify.webhooks import PLATFORMS, WebhookError, check_url
from app.translate import lazy_gettext as _l

EVENTS = {k for k, _label in HOOK_EVENTS}


class HookError(ValueError):
    """A target that cannot be saved, with a message for the person."""


def _check(url, platform, events):
    if platform not in PLATFORMS:
        raise HookError(_l("Choose a platform."))
    if not events or not set(events) <= EVENTS:
        raise HookError(_l("Choose at least one event."))
    try:
        # Saving checks the address shape and that it is not private; sending checks it again.
        check_url(url, current_app.config.get("WEBHOOK_ALLOW_PRIVATE", False))
    except WebhookError as e:
        raise HookError(str(e)) from e


def list_targets(account_id=None):
    """The account's targets, or (None) every target, workspace-wide first."""
    stmt = db.select(WebhookTarget).order_by(WebhookTarget.account_id.is_not(None), WebhookTarget.id)
    if account_id is not None:
        stmt = stmt.where(WebhookTarget.account_id == account_id)
    return db.session.scalars(stmt).all()


def create_target(actor, *, account_id, name, platform, url, secret, events, language):
    _check(url, platform, events)
    t = WebhookTarget(account_id=account_id or None, name=name.strip()[:120], platform=platform,
                      url=url.strip(), secret=(secret or "").strip(), events=",".join(sorted(set(events))),
                      language=language if language in ("zh", "en") else "zh", created_by_id=actor.id)
    db.session.add(t)
    db.session.flush()
    record(actor, t, "create", summary=t.name)
    db.session.commit()
    return t


@guarded("target")
def update_target(actor, target, *, events, active, version=None):
    """Change what a target hears and switch it on or off; switching on clears a pause.

    StaleEdit if `version` (the one the page showed) is old; None skips the check."""
    if version is not None:
        check_version(target, version)
    if not events or not set(events) <= EVENTS:
        raise HookError(_l("Choose at least one event."))
    changes = {}
    new_events = ",".join(sorted(set(events)))
    if new_events != target.events:
        changes["events"] = [target.events, new_events]
        target.events = new_events
    if active and target.paused_at is not None:
        changes["active"] = ["paused", True]
        target.paused_at, target.failures = None, 0
    if bool(active) != target.active:
        changes["active"] = [target.active, bool(active)]
        target.active = bool(active)
    if changes:
        record(actor, target, "update", changes, summary=target.name)
        commit_versioned(target)
    return changes


def delete_target(actor, target):
    record(actor, target, "delete", {"name": [target.name, None]}, summary=target.name)
    db.session.delete(target)
    db.session.commit()


def test_target(actor, target):
    """Send a sample card now (not through the queue: the person waits for the answer)."""
    from app.notify.tasks import call_target

    try:
        call_target(target, "test", "/", {})
    except WebhookError as e:
        raise HookError(str(e)) from e
