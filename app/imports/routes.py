"""Import pages: upload → preview row by row (mapping editable) → apply; large files show
a progress bar while the queue works. Contacts per account; accounts for the user."""
from flask import abort, current_app, flash, g, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField

from app.access import account_view
from app.htmx import redirect_to, render
from app.imports import bp, fields, service, store
from app.translate import gettext as _

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField()
    token = HiddenField()


# The import routes' larger body limit (IMPORT_MAX_BYTES) is set by app/inputguard.py before
# anything, CSRF included, reads the body.


def _page(kind, account, status=200, **ctx):
    ctx.setdefault("form", ImportForm())
    ctx.setdefault("info", None)
    choices = [(f.key, f.label) for f in fields.FIELDS[kind] if f.kind != "ignore"]
    here = url_for("imports.contacts", account_id=account.id) if account else url_for("imports.accounts")
    return render("imports/page.html", "imports/_result.html", status=status, kind=kind, account=account,
                  choices=choices, here=here, max_mb=current_app.config.get(
                      "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES) // (1024 * 1024), **ctx)


def _submitted_mapping(info):
    """The mapping chosen on the preview page, or None to match columns by name."""
    if request.form.get("mapped") != "1" or not info or not info.get("header"):
        return None
    out = {}
    for i in range(len(info["header"])):
        key = request.form.get(f"map-{i}", "")
        if key:
            out[i] = key
    return out


def _handle(kind, account):
    account_id = account.id if account else None
    form = ImportForm()
    if request.method == "GET":
        token = request.args.get("token", "")
        info = store.meta(token, current_user.id, kind, account_id) if token else None
        if token and info is None:
            return _page(kind, account, 404, error=_("This upload is no longer here. Choose the file again."))
        if info:
            form.token.data = token
        return _page(kind, account, info=info, token=token, form=form)
    if not form.validate():
        return _page(kind, account, 400, error=_("The form expired. Choose the file again."))
    upload = request.files.get("file")
    if upload and upload.filename:
        try:
            token, size = store.save(upload.stream, upload.filename, current_user.id, kind, account_id,
                                     limit=current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
        except ValueError:
            return _page(kind, account, 413, error=_("The file is too large to import."))
        if not size:
            store.discard(token)
            return _page(kind, account, 422, error=_("The file is empty."))
        action, mapping = "preview", None
    else:
        token = form.token.data or ""
        info = store.meta(token, current_user.id, kind, account_id)
        if info is None:
            return _page(kind, account, 422, error=_("Choose a file to import."))
        if info.get("status") == "applied":
            return _page(kind, account, 409, info=info, token=token, form=form,
                         error=_("This file has already been imported."))
        if info.get("status") in ("queued", "running"):
            return _page(kind, account, 409, info=info, token=token, form=form,
                         error=_("This file is still being read."))
        action = "apply" if request.form.get("apply") == "1" else "preview"
        mapping = _submitted_mapping(info)
    info = service.start(token, action, mapping, current_user.id)
    if info["status"] == "applied":
        counts = info["result"]["counts"]
        flash(_("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                created=counts["create"], updated=counts["update"], unchanged=counts["unchanged"]))
        store.discard(token)
        target = url_for("stakeholders.index", account_id=account.id) if account else url_for("accounts.index")
        return redirect_to(target)
    if info["status"] in ("queued", "running"):
        return redirect_to(_here(kind, account, token))
    form.token.data = token
    result = info.get("result") or {}
    status = 200 if not result.get("problems") and not result.get("counts", {}).get("refuse") else 422
    if info["status"] == "failed":
        status = 422
    return _page(kind, account, status, info=info, token=token, form=form)


def _here(kind, account, token):
    if account:
        return url_for("imports.contacts", account_id=account.id, token=token)
    return url_for("imports.accounts", token=token)


@bp.route("/accounts/<int:account_id>/stakeholders/import", methods=["GET", "POST"])
@account_view()
def contacts(account):
    """Import contacts into the account from .xlsx or CSV."""
    return _handle("contacts", account)


@bp.route("/accounts/import", methods=["GET", "POST"])
@login_required
def accounts():
    """Import accounts from .xlsx or CSV: update those you work on, create new ones."""
    return _handle("accounts", None)


@bp.route("/import/progress")
@login_required
def progress():
    """The progress bar of a large file's import (htmx polls it until it is finished)."""
    token = request.args.get("token", "")
    if not token:
        abort(400)
    info = store.meta(token, current_user.id)
    if info is None:
        abort(400)
    if info["status"] not in ("queued", "running"):
        account = None
        if info.get("account_id"):
            from app.access import load_account
            account = load_account(info["account_id"], "write")
        if info["status"] == "applied":
            counts = info["result"]["counts"]
            flash(_("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                    created=counts["create"], updated=counts["update"], unchanged=counts["unchanged"]))
            store.discard(token)
            return redirect_to(url_for("stakeholders.index", account_id=account.id) if account
                               else url_for("accounts.index"))
        return redirect_to(_here(info["kind"], account, token))
    g.setdefault("account_level", None)
    return render("imports/_progress.html", info=info, token=token)
