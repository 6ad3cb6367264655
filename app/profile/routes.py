"""/me (name, language, time zone, password, calendar feed), the workspace zone, and the feed itself."""
import hashlib

from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import refresh
from flask_login import current_user, login_required

from app.access import admin_required
from app.auth.forms import EmptyForm
from app.concurrency import StaleEdit, save_form
from app.htmx import redirect_to
from app.meetings import ics as meeting_ics
from app.profile import bp, calendar, services
from app.profile.forms import ProfileForm, WorkspaceZoneForm
from app.timezones import config_default, workspace_default, zone_of
from app.translate import gettext as _


def feed_links(user):
    """(https link, webcal link) of the user's feed, or (None, None) before it is turned on."""
    if not user.calendar_token:
        return None, None
    url = url_for("profile.feed", feed_token=user.calendar_token, _external=True)
    rest = url.split("://", 1)[1]
    return "https://" + rest, "webcal://" + rest


def _workspace_zone(user):
    """The zone someone without their own follows (read with the session user when possible)."""
    if hasattr(user, "workspace_tz"):
        return user.workspace_tz or config_default()
    return workspace_default()


def _page(form, status=200, conflict=None, error=None):
    me = current_user._get_current_object()
    https, webcal = feed_links(me)
    return make_response(render_template(
        "profile/me.html", form=form, conflict=conflict, error=error, me=me, zone=zone_of(me),
        workspace_zone=_workspace_zone(me), feed_https=https, feed_webcal=webcal,
        token_form=EmptyForm()), status)


@bp.route("/me", methods=["GET", "POST"])
@login_required
def me():
    """The user's own page: name, language, time zone; links to password and notifications; the feed."""
    me = current_user._get_current_object()
    workspace_zone = _workspace_zone(me)
    if request.method == "GET":
        form = ProfileForm(obj=me, formdata=None)
        form.language.data = me.language or ""
        form.timezone.data = me.timezone or ""
        form.read_version(me)
    else:
        form = ProfileForm()
    form.set_zone_choices(workspace_zone)
    if not form.validate_on_submit():
        return _page(form, 422 if request.method == "POST" else 200)
    saved, conflict, error = save_form(form, me, lambda: services.update_profile(
        me, name=form.name.data, language=form.language.data or None, timezone=form.timezone.data or None,
        version=form.version.data), refusals=(services.ProfileError,))
    if conflict:
        return _page(form, 409, conflict=conflict)
    if error:
        return _page(form, 422, error=error)
    refresh()  # the new language and zone apply to this answer already
    flash(_("Saved."))
    return redirect_to(url_for("profile.me"))


@bp.route("/me/calendar", methods=["POST"])
@login_required
def reset_feed():
    """Turn the calendar feed on, or give it a new secret address (the old one stops at once)."""
    if EmptyForm().validate_on_submit():
        had = bool(current_user.calendar_token)
        services.reset_calendar_token(current_user._get_current_object())
        flash(_("Your calendar feed has a new address. Subscribe again with it; the old one no longer works.")
              if had else _("Your calendar feed is on."))
    return redirect_to(url_for("profile.me") + "#calendar")


@bp.route("/calendar/<feed_token>.ics")
def feed(feed_token):
    """The personal calendar feed; the secret token is the key (no session), ETag for cheap polling."""
    user = services.user_by_calendar_token(feed_token)
    if user is None:
        abort(404)
    body = calendar.build_feed(user, meeting_ics.uid_host())
    etag = hashlib.sha256(body).hexdigest()[:32]
    resp = make_response(body)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = 'inline; filename="key-accounts.ics"'
    resp.headers["Cache-Control"] = "private, max-age=300"
    resp.headers["X-Robots-Tag"] = "noindex"
    resp.set_etag(etag)
    return resp.make_conditional(request)


@bp.route("/admin/workspace", methods=["GET", "POST"])
@admin_required
def workspace():
    """The workspace default time zone (for everyone who has not chosen one)."""
    form = WorkspaceZoneForm().set_zone_choices(config_default())
    row = services.workspace_zone_row()
    if request.method == "GET":
        form.timezone.data = row.value if row is not None else ""
        form.read_version(row if row is not None else services.UnsavedZone())
    status, conflict = 200, None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.set_workspace_timezone(current_user, form.timezone.data, version=form.version.data)
            except StaleEdit as e:
                conflict = e
                stored = e.obj if e.obj is not None else services.workspace_zone_row()
                form.version.data = stored.version
                conflict.theirs = [(form.timezone.label.text, stored.value or _("The server setting TIMEZONE (%(tz)s)",
                                                                                 tz=config_default()))]
                status = 409
            except services.ProfileError as e:
                form.timezone.errors.append(str(e))
                status = 422
            else:
                flash(_("Saved."))
                return redirect_to(url_for("profile.workspace"))
        else:
            status = 422
    return render_template("profile/workspace.html", form=form, fallback=config_default(),
                           conflict=conflict), status
