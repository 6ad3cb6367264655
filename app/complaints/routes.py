"""The complaint log: list with filters, log a complaint, its steps, escalation; the breach list."""
from flask import flash, request, url_for
from flask_babel import get_timezone, to_user_timezone
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.access import account_view, child_or_404
from app.accounts.sections import register_section
from app.complaints import bp, services
from app.complaints.forms import (
    ComplaintEditForm,
    ComplaintForm,
    EscalateForm,
    FilterForm,
    ReopenForm,
    StepForm,
)
from app.complaints.models import STATUSES, Complaint
from app.concurrency import StaleEdit, save_form
from app.htmx import is_htmx, redirect_to, render
from app.timeutil import utcnow
from app.translate import gettext as _


def local(dt):
    """A naive UTC time as naive wall-clock time in the user's zone (for datetime-local inputs)."""
    return to_user_timezone(dt).replace(tzinfo=None) if dt else None


def to_utc(dt):
    return services.local_to_utc(dt, get_timezone())


@bp.route("/accounts/<int:account_id>/complaints")
@account_view()
def index(account):
    """The account's complaint log, filtered by status, severity and breach."""
    form = FilterForm(request.args)
    form.validate()
    rows = services.complaint_list(account.id, form.status.data or "", form.severity.data or "",
                                    form.breach.data or "")
    return render("complaints/index.html", "complaints/_list.html", account=account, form=form,
                  complaints=rows, now=utcnow())


def _people_choices(form, account, no_owner, complaint=None):
    """"Raised by" and owner choices: active contacts and the current team, plus the complaint's
    own contact and owner if they have since left, so saving does not silently drop them."""
    contacts = services.active_contacts(account.id)
    owners = list(services.team_users(account.id))
    if complaint is not None:
        if complaint.contact_id and complaint.contact_id not in {x.id for x in contacts}:
            contacts.append(complaint.contact)
        if complaint.owner_id and complaint.owner_id not in {u.id for u in owners}:
            owners.append(complaint.owner)
    form.contact_id.choices = [(0, _("Not recorded"))] + [
        (x.id, f"{x.name} · {x.title}" if x.title else x.name) for x in contacts]
    form.owner_id.choices = [(0, no_owner)] + [(u.id, u.name) for u in owners]


def _complaint_form(account, form=None):
    form = form or ComplaintForm()
    channels = services.channels_of(account.id)
    form.channel_id.choices = [(0, "—")] + [(c.id, c.kind_label) for c in channels]
    _people_choices(form, account, _("The channel's owner"))
    return form, channels


@bp.route("/accounts/<int:account_id>/complaints/new", methods=["GET", "POST"])
@account_view()
def new(account):
    """Log a complaint; the time received is typed in the user's time zone."""
    form, channels = _complaint_form(account)
    if request.method == "GET":
        form.received_at.data = local(utcnow()).replace(second=0, microsecond=0)
    error = None
    if form.validate_on_submit():
        try:
            c = services.log_complaint(
                current_user, account, channel_id=form.channel_id.data, subject=form.subject.data,
                received_at=to_utc(form.received_at.data), severity=form.severity.data,
                category=form.category.data, description=form.description.data,
                contact_id=form.contact_id.data or None, owner_id=form.owner_id.data or None)
        except services.ComplaintError as e:
            error = str(e)
        else:
            flash(_("Complaint logged."))
            return redirect_to(url_for("complaints.show", account_id=account.id, complaint_id=c.id))
    status = 422 if (form.errors or error) else 200
    return render("complaints/new.html", status=status, account=account, form=form,
                  channels=channels, error=error)


@bp.route("/accounts/<int:account_id>/complaints/<int:complaint_id>/edit", methods=["GET", "POST"])
@account_view(read="write")
def edit(account, complaint_id):
    """Correct what was logged; a save on an old version is refused (409), input kept."""
    c = child_or_404(Complaint, complaint_id, account)
    c = services.load_complaint(c.id)
    form = ComplaintEditForm(obj=c) if request.method == "GET" else ComplaintEditForm()
    if request.method == "GET":
        form.contact_id.data, form.owner_id.data, form.version.data = c.contact_id or 0, c.owner_id or 0, c.version
    _people_choices(form, account, _("Nobody yet"), complaint=c)
    saved, conflict, error = False, None, None
    if request.method == "POST" and form.validate():
        saved, conflict, error = save_form(form, c, lambda: services.update_complaint(
            current_user, c, form.values(), form.version.data), services.ComplaintError)
    if saved:
        flash(_("Saved."))
        return redirect_to(url_for("complaints.show", account_id=account.id, complaint_id=c.id))
    status = 409 if conflict else (422 if (form.errors or error) else 200)
    return render("complaints/edit.html", status=status, account=account, c=c, form=form,
                  conflict=conflict, error=error)


def _detail(account, complaint_id, status=200, **forms):
    """Render the complaint page (or its region for htmx) with fresh or kept forms."""
    c = services.load_complaint(complaint_id)
    step = forms.get("step") or StepForm(formdata=None, version=c.version, resolution=c.resolution,
                                         root_cause=c.root_cause, prevention=c.prevention)
    esc = forms.get("escalate") or EscalateForm(formdata=None, version=c.version)
    higher = [ch for ch in services.channels_of(account.id) if ch.rank > c.channel.rank]
    esc.channel_id.choices = [(0, "—")] + [(ch.id, ch.kind_label) for ch in higher]
    reopen = forms.get("reopen") or ReopenForm(formdata=None, version=c.version)
    for f in (step, esc, reopen):
        f.version.data = c.version
    nxt = [s for s in STATUSES.values if STATUSES.rank(s) > STATUSES.rank(c.status)]
    return render("complaints/show.html", "complaints/_detail.html", status=status, account=account,
                  c=c, step_form=step, escalate_form=esc, reopen_form=reopen, next_steps=nxt,
                  higher=higher, now=utcnow(), error=forms.get("error"),
                  conflict=forms.get("conflict"),
                  kept=next((forms[k] for k in ("step", "escalate", "reopen") if k in forms), None))


@bp.route("/accounts/<int:account_id>/complaints/<int:complaint_id>")
@account_view()
def show(account, complaint_id):
    """One complaint: facts, targets, path of channels, every step with its time."""
    child_or_404(Complaint, complaint_id, account)
    return _detail(account, complaint_id)


def _after(account, c, kind, form, call):
    """Run a change; answer the fresh region (htmx) or redirect, 422/409 with input kept."""
    if not form.validate():
        return _detail(account, c.id, status=422, **{kind: form})
    try:
        call()
    except StaleEdit as e:
        return _detail(account, c.id, status=409, conflict=e, **{kind: form})
    except services.ComplaintError as e:
        return _detail(account, c.id, status=422, error=str(e), **{kind: form})
    if is_htmx():
        return _detail(account, c.id)
    flash(_("Saved."))
    return redirect_to(url_for("complaints.show", account_id=account.id, complaint_id=c.id))


@bp.route("/accounts/<int:account_id>/complaints/<int:complaint_id>/step", methods=["POST"])
@account_view()
def step(account, complaint_id):
    """Acknowledge, start, resolve or close."""
    c = child_or_404(Complaint, complaint_id, account)
    form = StepForm()
    return _after(account, c, "step", form, lambda: services.transition(
        current_user, c, form.to_status.data, at=to_utc(form.at.data), note=form.note.data,
        resolution=form.resolution.data, root_cause=form.root_cause.data,
        prevention=form.prevention.data, version=form.version.data))


@bp.route("/accounts/<int:account_id>/complaints/<int:complaint_id>/escalate", methods=["POST"])
@account_view()
def escalate(account, complaint_id):
    """Hand the complaint to a higher channel."""
    c = child_or_404(Complaint, complaint_id, account)
    form = EscalateForm()
    form.channel_id.choices = [(0, "—")] + [(ch.id, ch.kind_label)
                                            for ch in services.channels_of(account.id)]
    return _after(account, c, "escalate", form, lambda: services.escalate(
        current_user, c, form.channel_id.data, form.note.data, version=form.version.data))


@bp.route("/accounts/<int:account_id>/complaints/<int:complaint_id>/reopen", methods=["POST"])
@account_view()
def reopen(account, complaint_id):
    """Reopen a resolved or closed complaint."""
    c = child_or_404(Complaint, complaint_id, account)
    form = ReopenForm()
    return _after(account, c, "reopen", form, lambda: services.reopen(
        current_user, c, form.note.data, version=form.version.data))


@bp.route("/complaints")
@login_required
def across():
    """Every complaint across my accounts, breached and unresolved by default."""
    args = request.args if request.args else MultiDict({"status": "unresolved", "breach": "breached"})
    form = FilterForm(args)
    form.validate()
    after = services.Cursor.parse(request.args.get("after"))
    before = None if after else services.Cursor.parse(request.args.get("before"))
    result = services.complaints_across(current_user, form.status.data or "", form.severity.data or "",
                                        form.breach.data or "", limit=ACROSS_PAGE, after=after, before=before)
    # The page number is only what the list says ("Page 3"); the cursors say where a page starts.
    page = max(request.args.get("page", 1, type=int) or 1, 2) if result.before else 1
    return render("complaints/across.html", "complaints/_across_list.html", form=form,
                  complaints=result.rows, total=result.total, page=page, page_size=ACROSS_PAGE,
                  before=result.before, after=result.after, now=utcnow(), count_cap=services.ACROSS_COUNT_CAP)


ACROSS_PAGE = 50


def section_context(account):
    """The overview's complaints section: worst open complaints first (fixed queries)."""
    rows, total = services.open_complaints(account.id)
    return {"complaints": rows, "open_count": total, "now": utcnow(),
            "channel_count": services.channel_count(account.id)}


register_section("complaints", 40, "complaints/_section.html", section_context)
