"""The bell's page (notifications, mark read), each person's choices, one-click unsubscribe."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, get_timezone
from flask_login import current_user, login_required

from app.auth.services import register_user_flag
from app.concurrency import StaleEdit
from app.extensions import csrf
from app.htmx import is_htmx, redirect_to, render
from app.notify import bp, kinds, services
from app.notify.forms import EmptyForm, PreferencesForm
from app.notify.mail import language_of
from app.translate import gettext as _

register_user_flag("unread", services.unread_count_sql, cast=int)


@bp.app_context_processor
def bell():
    """`unread_notifications()` for the header: loaded with the user, no query of its own."""
    def unread_notifications():
        return services.unread_count(current_user) if current_user.is_authenticated else 0
    return {"unread_notifications": unread_notifications}


def _rows(notifications):
    """(notification, title, lines) rendered in the reader's language and time zone."""
    tz, lang = get_timezone(), str(get_locale())
    return [(n, kinds.title(n.kind, n.params), kinds.lines(n.kind, n.params, tz, lang)) for n in notifications]


@bp.route("/notifications")
@login_required
def index():
    """The person's notifications, newest first, thirty a page (keyset paging on the id)."""
    before = request.args.get("before", type=int)
    rows, next_before = services.list_notifications(current_user, before)
    return render("notify/index.html", "notify/_list.html", rows=_rows(rows), next_before=next_before,
                  before=before, form=EmptyForm(formdata=None))


def _gone():
    """Someone else's, or about an account the person has left: say so, show nothing of it."""
    flash(_("That notification is no longer available."))
    return redirect_to(url_for("notify.index"))


@bp.route("/notifications/<int:notification_id>")
@login_required
def open_(notification_id):
    """Go to what the notification is about, and count it as read."""
    n = services.visible_notification(current_user, notification_id)
    if n is None:
        return _gone()
    services.mark_read(current_user, n)
    return redirect(n.url if n.url.startswith("/") and not n.url.startswith("//") else url_for("notify.index"))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id):
    """Mark one notification read; htmx gets the row back."""
    n = services.visible_notification(current_user, notification_id)
    if n is None:
        return _gone()
    if not EmptyForm().validate():
        abort(400)
    services.mark_read(current_user, n)
    if is_htmx():
        return render_template("notify/_row.html", row=_rows([n])[0], form=EmptyForm(formdata=None))
    return redirect_to(url_for("notify.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification read."""
    if not EmptyForm().validate():
        abort(400)
    services.mark_all_read(current_user)
    flash(_("All notifications marked read."))
    return redirect_to(url_for("notify.index"))


@bp.route("/me/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    """Which events reach the person, and how; the weekly digest on or off."""
    if request.method == "GET":
        form = PreferencesForm(data=services.preferences(current_user))
        form.version.data = services.preferences_version(current_user)
        return render("notify/preferences.html", form=form)
    form = PreferencesForm()
    if not form.validate():
        return render("notify/preferences.html", status=422, form=form)
    try:
        services.save_preferences(current_user, current_user, form.choices(), form.digest.data,
                                  version=form.version.data)
    except StaleEdit as e:
        form.version.data = e.obj.version  # saving again replaces theirs knowingly
        return render("notify/preferences.html", status=409, form=form, conflict=e,
                      theirs=_their_choices(form, e.obj.choices))
    flash(_("Your notification choices are saved."))
    return redirect_to(url_for("notify.preferences"))


def _their_choices(form, stored):
    """[(label, their choice)] where the other tab's save differs from what the person chose."""
    out = []
    for name, value in stored.items():
        if name not in form or (form[name].data == value) or (name == services.DIGEST and bool(form[name].data) == value):
            continue
        field = form[name]
        label = dict(field.choices).get(value, value) if hasattr(field, "choices") else (_("Yes") if value else _("No"))
        out.append((field.label.text, label))
    return out


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client POSTs with no session and no CSRF token; the signed token is the proof
def unsubscribe(token):
    """GET: a confirmation page with a button. POST (the button, or a mail client's one-click):
    stop that kind of e-mail. Works without logging in."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        return make_response(render_template("notify/unsubscribe.html", invalid=True), 404)
    user, kind = found
    if request.method == "POST":
        services.unsubscribe(user, kind)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return make_response("unsubscribed\n", 200, {"Content-Type": "text/plain; charset=utf-8"})
    with force_locale(language_of(user)):  # the page speaks the recipient's language
        label = _("the weekly digest") if kind == services.DIGEST else kinds.KINDS[kind]
        return render_template("notify/unsubscribe.html", done=request.method == "POST", label=label,
                               token=token)
