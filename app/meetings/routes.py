"""Meetings log and cadences: list, log or schedule, edit, action items, .ics download."""
from flask import abort, flash, make_response, request, url_for
from flask_babel import get_timezone, to_user_timezone
from flask_login import current_user

from app.access import account_view, child_or_404
from app.accounts.sections import register_section
from app.actions.services import ActionError
from app.complaints.services import active_contacts, local_to_utc
from app.concurrency import StaleEdit
from app.extensions import db
from app.htmx import is_htmx, redirect_to, render
from app.meetings import bp, ics, invites, services
from app.meetings.forms import CadenceEditForm, CadenceForm, MeetingActionForm, MeetingForm
from app.meetings.models import MEETING_KINDS, ExecutiveCadence, Meeting
from app.stakeholders.gaps import is_decision_maker
from app.stakeholders.models import Contact
from app.team.services import current_people
from app.team.services import current_users as team_users
from app.timeutil import today, utcnow
from app.translate import gettext as _
from app.vocab import SENIORITY


def cadence_choices(account_id):
    """(executive choices, contact choices) of the cadence form, from column reads: the team by
    name, then the active contacts, decision-makers first, each by name (two queries, no objects:
    the meetings page hydrated a user and a contact a choice only to write these labels)."""
    team = current_people(account_id)
    contacts = db.session.execute(
        db.select(Contact.id, Contact.name, Contact.title, Contact.buying_role, Contact.seniority)
        .where(Contact.account_id == account_id, Contact.status == "active").order_by(Contact.name)).all()
    contacts.sort(key=lambda c: (not is_decision_maker(c), c.name))
    return ([(0, "—")] + [(u.id, f"{u.name} · {u.title or SENIORITY.label(u.seniority)}") for u in team],
            [(0, "—")] + [(c.id, f"{c.name} · {c.title}" if c.title else c.name) for c in contacts])


def cadence_context(account, form=None, error=None):
    """Everything `meetings/_cadences.html` needs."""
    form = form or CadenceForm(formdata=None)
    form.executive_id.choices, form.contact_id.choices = cadence_choices(account.id)
    return {"account": account, "cadences": services.cadences_with_status(account.id),
            "cadence_form": form, "cadence_error": error, "edit_form": CadenceEditForm(formdata=None),
            "today": today()}


@bp.route("/accounts/<int:account_id>/meetings")
@account_view()
def index(account):
    """Cadences (who meets whom, what is overdue) and the meetings log."""
    kind = request.args.get("kind", "")
    meetings = services.list_meetings(account.id, kind)
    actions = services.actions_by_meeting([m.id for m in meetings])
    return render("meetings/index.html", "meetings/_list.html", meetings=meetings, actions=actions,
                  kind=kind, kinds=MEETING_KINDS, **cadence_context(account))


def _cadences_answer(account, status=200, **kw):
    return render("meetings/cadences_page.html", "meetings/_cadences.html", status=status,
                  **cadence_context(account, **kw))


@bp.route("/accounts/<int:account_id>/cadences", methods=["POST"])
@account_view()
def add_cadence(account):
    """Agree a cadence between one of our executives and one of their decision-makers."""
    form = CadenceForm()
    cadence_context(account, form)  # sets the choices the form validates against
    error = None
    if form.validate():
        try:
            services.create_cadence(current_user, account, executive_id=form.executive_id.data,
                                    contact_id=form.contact_id.data, every_days=form.every_days.data)
        except services.MeetingError as e:
            error = str(e)
        else:
            return _after_cadence(account)
    return _cadences_answer(account, status=422, form=form, error=error)


def _after_cadence(account):
    if is_htmx():
        return _cadences_answer(account)
    flash(_("Saved."))
    return redirect_to(url_for("meetings.index", account_id=account.id))


@bp.route("/accounts/<int:account_id>/cadences/<int:cadence_id>", methods=["POST"])
@account_view()
def edit_cadence(account, cadence_id):
    """Change how often a pair meets."""
    cad = child_or_404(ExecutiveCadence, cadence_id, account)
    form = CadenceEditForm()
    error = _("Meet every 7 to 730 days.")
    if form.validate():
        try:
            services.update_cadence(current_user, cad, form.every_days.data, form.version.data)
        except StaleEdit:
            error = _("Someone else changed this cadence meanwhile; here is their version.")
            return _cadences_answer(account, status=409, error=error)
        except services.MeetingError as e:
            error = str(e)
        else:
            return _after_cadence(account)
    return _cadences_answer(account, status=422, error=error)


@bp.route("/accounts/<int:account_id>/cadences/<int:cadence_id>/delete", methods=["POST"])
@account_view()
def delete_cadence(account, cadence_id):
    """Stop a cadence; past meetings stay in the log."""
    services.delete_cadence(current_user, child_or_404(ExecutiveCadence, cadence_id, account))
    return _after_cadence(account)


def _meeting_form(account, form):
    people = team_users(account.id)
    form.our_attendees.choices = [(u.id, u.name) for u in people]
    form.their_attendees.choices = [(c.id, f"{c.name} · {c.title}" if c.title else c.name)
                                    for c in active_contacts(account.id)]
    return form


def _save_meeting(account, form, meeting=None):
    """Validate and save; returns (meeting or None, error, conflict)."""
    if not form.validate_on_submit():
        return None, None, None
    data = form.values()
    data["starts_at"] = local_to_utc(form.starts_at.data, get_timezone())
    try:
        if meeting is None:
            meeting = services.create_meeting(current_user, account, data, form.our_attendees.data,
                                              form.their_attendees.data)
        else:
            services.update_meeting(current_user, meeting, data, form.our_attendees.data,
                                    form.their_attendees.data, form.version.data)
    except StaleEdit as e:
        form.version.data = meeting.version
        return None, None, e
    except services.MeetingError as e:
        return None, str(e), None
    if form.send_invites.data and meeting.status in INVITE_METHOD:
        invites.send_invitations(meeting.id, current_user.id, INVITE_METHOD[meeting.status])
    return meeting, None, None


# A scheduled meeting's attendees can be invited (iTIP REQUEST); a cancelled one's told (CANCEL).
INVITE_METHOD = {"scheduled": "REQUEST", "cancelled": "CANCEL"}


@bp.route("/accounts/<int:account_id>/meetings/new", methods=["GET", "POST"])
@account_view()
def new(account):
    """Log a meeting that happened, or schedule one."""
    form = _meeting_form(account, MeetingForm())
    if request.method == "GET":
        form.starts_at.data = to_user_timezone(utcnow()).replace(tzinfo=None, second=0, microsecond=0)
        form.our_attendees.data = [current_user.id]
    meeting, error, _conflict = _save_meeting(account, form)
    if meeting:
        flash(_("Meeting saved. Add the action items agreed."))
        return redirect_to(url_for("meetings.show", account_id=account.id, meeting_id=meeting.id))
    status = 422 if (form.errors or error) else 200
    return render("meetings/form_page.html", status=status, account=account, form=form,
                  meeting=None, error=error)


@bp.route("/accounts/<int:account_id>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@account_view()
def edit(account, meeting_id):
    """Edit a meeting (e.g. after it was held: summary, decisions, satisfaction)."""
    m = services.load_meeting(child_or_404(Meeting, meeting_id, account).id)
    form = _meeting_form(account, MeetingForm(obj=m) if request.method == "GET" else MeetingForm())
    if request.method == "GET":
        form.version.data = m.version
        form.starts_at.data = to_user_timezone(m.starts_at).replace(tzinfo=None)
        form.our_attendees.data = [u.id for u in m.our_attendees]
        form.their_attendees.data = [c.id for c in m.their_attendees]
    saved, error, conflict = _save_meeting(account, form, m)
    if saved:
        flash(_("Saved."))
        return redirect_to(url_for("meetings.show", account_id=account.id, meeting_id=m.id))
    status = 409 if conflict else (422 if (form.errors or error) else 200)
    return render("meetings/form_page.html", status=status, account=account, form=form, meeting=m,
                  error=error, conflict=conflict)


def _show(account, meeting_id, form=None, error=None, status=200):
    m = services.load_meeting(meeting_id)
    form = form or MeetingActionForm(formdata=None)
    form.owner_id.choices = [(0, "—")] + [(u.id, u.name) for u in team_users(account.id)]
    actions = services.actions_by_meeting([m.id]).get(m.id, [])
    return render("meetings/show.html", "meetings/_actions.html", status=status, account=account,
                  m=m, actions=actions, action_form=form, error=error)


@bp.route("/accounts/<int:account_id>/meetings/<int:meeting_id>")
@account_view()
def show(account, meeting_id):
    """One meeting: who, agenda, summary, decisions, satisfaction, action items."""
    return _show(account, child_or_404(Meeting, meeting_id, account).id)


@bp.route("/accounts/<int:account_id>/meetings/<int:meeting_id>/actions", methods=["POST"])
@account_view()
def add_action(account, meeting_id):
    """Add an action item agreed at the meeting (it joins the owner's "My actions")."""
    m = child_or_404(Meeting, meeting_id, account)
    form = MeetingActionForm()
    form.owner_id.choices = [(0, "—")] + [(u.id, u.name) for u in team_users(account.id)]
    if not form.validate():
        return _show(account, m.id, form=form, status=422)
    try:
        services.add_action(current_user, m, account, title=form.title.data,
                            owner_id=form.owner_id.data or None, due_on=form.due_on.data)
    except ActionError as e:
        return _show(account, m.id, form=form, error=str(e), status=422)
    if is_htmx():
        return _show(account, m.id)
    flash(_("Saved."))
    return redirect_to(url_for("meetings.show", account_id=account.id, meeting_id=m.id))


@bp.route("/accounts/<int:account_id>/meetings/<int:meeting_id>/meeting.ics")
@account_view()
def download_ics(account, meeting_id):
    """The meeting as a calendar file (Outlook, phone calendars); a held meeting has none (410)."""
    m = services.load_meeting(child_or_404(Meeting, meeting_id, account).id, organizer=True)
    if m.status == "held":
        abort(410)
    link = url_for("meetings.show", account_id=account.id, meeting_id=m.id, _external=True)
    body = ics.meeting_ics(m, account, ics.uid_host(),
                           description="\n\n".join(x for x in (m.agenda, link) if x))
    resp = make_response(body)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="meeting-{m.id}.ics"'
    return resp


def section_context(account):
    """The overview's meetings section (a fixed number of queries)."""
    return services.overview(account.id)


register_section("meetings", 50, "meetings/_section.html", section_context)
