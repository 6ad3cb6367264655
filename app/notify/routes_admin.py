"""The outbox (mails written instead of sent) and the chat-bot targets, for admins and KAMs."""
from flask import abort, current_app, flash, request, url_for
from flask_login import current_user

from app.access import account_view, admin_required, child_or_404
from app.accounts.models import Account
from app.concurrency import RowConflict, StaleEdit
from app.extensions import db
from app.htmx import redirect_to, render
from app.notify import bp, hooks, mail
from app.notify.forms import HOOK_EVENTS, EmptyForm, WebhookEditForm, WebhookForm
from app.notify.models import WebhookTarget
from app.notify.webhooks import PLATFORMS
from app.translate import gettext as _


@bp.route("/admin/outbox")
@admin_required
def outbox():
    """Mails the workspace would have sent (no MAIL_SERVER set), newest first."""
    return render("notify/outbox.html", mails=mail.outbox(), smtp=bool(current_app.config.get("MAIL_SERVER")))


@bp.route("/admin/outbox/<mail_name>")
@admin_required
def outbox_mail(mail_name):
    """One mail: its headers and its text and HTML parts (shown as text)."""
    found = mail.read_outbox(mail_name)
    if found is None:
        abort(404)
    headers, text, html = found
    return render("notify/outbox_mail.html", name=mail_name, headers=headers, text=text, html=html)


def _form(account=None, formdata=None):
    form = WebhookForm(formdata=formdata) if formdata is not None else WebhookForm()
    if account is not None:
        form.account_id.choices = [(account.id, account.name)]
        form.account_id.data = account.id
    else:
        form.account_id.choices = [(0, _("Every account"))] + [
            (a.id, a.name) for a in db.session.scalars(db.select(Account).where(Account.archived_at.is_(None))
                                                       .order_by(Account.name))]
    return form


def _page(account, form, status=200, error=None, conflict=None):
    targets = hooks.list_targets(account.id if account else None)
    names = dict(db.session.execute(db.select(Account.id, Account.name).where(
        Account.id.in_({t.account_id for t in targets if t.account_id}))).all()) if account is None else {}
    return render("notify/webhooks.html", "notify/_webhooks.html", status=status, account=account, form=form,
                  targets=targets, names=names, platforms=PLATFORMS, error=error, conflict=conflict,
                  edit_form=WebhookEditForm(formdata=None), button=EmptyForm(formdata=None))


def _here(account):
    return url_for("notify.account_webhooks", account_id=account.id) if account else url_for("notify.webhooks")


def _create(account):
    form = _form(account, request.form)
    if not form.validate():
        return _page(account, form, 422)
    try:
        hooks.create_target(current_user, account_id=account.id if account else form.account_id.data,
                            name=form.name.data, platform=form.platform.data, url=form.url.data,
                            secret=form.secret.data, events=form.events.data, language=form.language.data)
    except hooks.HookError as e:
        return _page(account, form, 422, str(e))
    flash(_("Chat bot added."))
    return redirect_to(_here(account))


def _update(account, target):
    form = WebhookEditForm()
    if not form.validate():
        return _page(account, _form(account, None), 422, _("Choose at least one event."))
    try:
        hooks.update_target(current_user, target, events=form.events.data, active=form.active.data,
                            version=form.version.data)
    except StaleEdit as e:
        return _page(account, _form(account, None), 409, conflict=_hook_conflict(e, target, form))
    except hooks.HookError as e:
        return _page(account, _form(account, None), 422, str(e))
    flash(_("Saved."))
    return redirect_to(_here(account))


def _hook_conflict(stale, target, form):
    """A 409 on one bot's row: their events and switch beside the person's kept choices."""
    labels = dict(HOOK_EVENTS)
    their = [(form.events.label.text, ", ".join(str(labels.get(e, e)) for e in target.event_list)),
             (form.active.label.text, _("On") if target.is_live else _("Off"))]
    kept = WebhookEditForm(formdata=None, data={"events": form.events.data, "active": form.active.data})
    return RowConflict(stale, target.id, kept.read_version(target), their)


def _delete(account, target):
    if not EmptyForm().validate():
        abort(400)
    hooks.delete_target(current_user, target)
    flash(_("Chat bot removed."))
    return redirect_to(_here(account))


def _test(account, target):
    if not EmptyForm().validate():
        abort(400)
    try:
        hooks.test_target(current_user, target)
    except hooks.HookError as e:
        return _page(account, _form(account, None), 422, _("The test message failed: %(error)s", error=str(e)))
    flash(_("Test message sent."))
    return redirect_to(_here(account))


def _admin_target(webhook_id):
    target = db.session.get(WebhookTarget, webhook_id)
    if target is None:
        abort(404)
    return target


@bp.route("/admin/webhooks", methods=["GET", "POST"])
@admin_required
def webhooks():
    """Every chat bot: workspace-wide ones and each account's; add one."""
    if request.method == "POST":
        return _create(None)
    return _page(None, _form(None, None))


@bp.route("/admin/webhooks/<int:webhook_id>", methods=["POST"])
@admin_required
def update_webhook(webhook_id):
    return _update(None, _admin_target(webhook_id))


@bp.route("/admin/webhooks/<int:webhook_id>/delete", methods=["POST"])
@admin_required
def delete_webhook(webhook_id):
    return _delete(None, _admin_target(webhook_id))


@bp.route("/admin/webhooks/<int:webhook_id>/test", methods=["POST"])
@admin_required
def test_webhook(webhook_id):
    return _test(None, _admin_target(webhook_id))


@bp.route("/accounts/<int:account_id>/webhooks", methods=["GET", "POST"])
@account_view(write="manage", read="manage")
def account_webhooks(account):
    """The account's chat bots (its KAM manages them); add one."""
    if request.method == "POST":
        return _create(account)
    return _page(account, _form(account, None))


@bp.route("/accounts/<int:account_id>/webhooks/<int:hook_id>", methods=["POST"])
@account_view(write="manage", read="manage")
def update_account_webhook(account, hook_id):
    return _update(account, child_or_404(WebhookTarget, hook_id, account))


@bp.route("/accounts/<int:account_id>/webhooks/<int:hook_id>/delete", methods=["POST"])
@account_view(write="manage", read="manage")
def delete_account_webhook(account, hook_id):
    return _delete(account, child_or_404(WebhookTarget, hook_id, account))


@bp.route("/accounts/<int:account_id>/webhooks/<int:hook_id>/test", methods=["POST"])
@account_view(write="manage", read="manage")
def test_account_webhook(account, hook_id):
    return _test(account, child_or_404(WebhookTarget, hook_id, account))
