"""Complaint channels: list and add, edit (version-checked), and the printable card."""
from flask import flash, make_response, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from app.access import account_view, child_or_404
from app.complaints import bp, card, services
from app.complaints.forms import ChannelForm
from app.complaints.models import ComplaintChannel
from app.concurrency import save_form
from app.htmx import is_htmx, redirect_to, render
from app.timeutil import today
from app.translate import gettext as _


def _form(account, form=None, channel=None):
    form = form or ChannelForm(formdata=None, obj=channel)
    form.owner_id.choices = [(0, "—")] + [(u.id, u.name) for u in services.team_users(account.id)]
    return form


def channels_context(account, form=None, error=None):
    """Everything `complaints/_channels.html` needs."""
    return {"account": account, "channels": services.channels_of(account.id),
            "form": _form(account, form), "error": error}


@bp.route("/accounts/<int:account_id>/channels", methods=["GET", "POST"])
@account_view()
def channels(account):
    """The account's complaint channels; POST adds one in place."""
    if request.method == "GET":
        return render("complaints/channels.html", "complaints/_channels.html",
                      **channels_context(account))
    form = _form(account, ChannelForm())
    error = None
    if form.validate():
        try:
            services.create_channel(current_user, account, form.values())
        except services.ComplaintError as e:
            error = str(e)
        else:
            if is_htmx():
                return render("complaints/channels.html", "complaints/_channels.html",
                              **channels_context(account))
            flash(_("Saved."))
            return redirect_to(url_for("complaints.channels", account_id=account.id))
    return render("complaints/channels.html", "complaints/_channels.html", status=422,
                  **channels_context(account, form, error))


@bp.route("/accounts/<int:account_id>/channels/<int:channel_id>", methods=["GET", "POST"])
@account_view()
def edit_channel(account, channel_id):
    """Edit a channel; a save based on an old version answers 409 and keeps the input."""
    channel = child_or_404(ComplaintChannel, channel_id, account)
    form = _form(account, ChannelForm() if request.method == "POST" else None, channel)
    if request.method == "GET":
        form.version.data = channel.version
        form.owner_id.data = channel.owner_id or 0
    saved, conflict, error = False, None, None
    if request.method == "POST" and form.validate():
        saved, conflict, error = save_form(form, channel, lambda: services.update_channel(
            current_user, channel, form.values(), form.version.data), services.ComplaintError)
    if saved:
        flash(_("Saved."))
        return redirect_to(url_for("complaints.channels", account_id=account.id))
    status = 409 if conflict else (422 if (form.errors or error) else 200)
    return render("complaints/channel_edit.html", status=status, account=account, channel=channel,
                  form=form, conflict=conflict, error=error)


def _card_lang():
    lang = request.args.get("lang")
    return lang if lang in ("en", "zh") else None


@bp.route("/accounts/<int:account_id>/channels/card")
@account_view()
def card_page(account):
    """The "how to reach us" card, to print from the browser (?lang= picks the card's language)."""
    lang = _card_lang()
    ctx = {"account": account, "channels": services.channels_of(account.id), "today": today(),
           "lang": lang}
    if lang:
        with force_locale(lang):
            return render("complaints/card.html", **ctx)
    return render("complaints/card.html", **ctx)


@bp.route("/accounts/<int:account_id>/channels/card.pdf")
@account_view()
def card_pdf(account):
    """The same card as a one-page PDF."""
    lang = _card_lang()
    ctx = {"account": account, "channels": services.channels_of(account.id), "today": today()}
    if lang:
        with force_locale(lang):
            pdf = card.card_pdf(**ctx)
    else:
        pdf = card.card_pdf(**ctx)
    resp = make_response(pdf)
    resp.headers["Content-Type"] = "application/pdf"
    resp.headers["Content-Disposition"] = f'inline; filename="contact-card-{account.id}.pdf"'
    return resp
