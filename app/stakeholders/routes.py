"""The stakeholder map: fast in-place adding, departments, a contact's page, leaving."""
from flask import abort, flash, request, url_for
from flask_login import current_user

from app.access import account_view, child_or_404
from app.auth.forms import EmptyForm
from app.concurrency import StaleEdit, theirs
from app.htmx import is_htmx, redirect_to, render
from app.stakeholders import bp, services, views
from app.stakeholders.forms import (
    ContactForm,
    DepartmentEditForm,
    DepartmentForm,
    InteractionForm,
    LeaveForm,
    QuickContactForm,
)
from app.stakeholders.models import INTERACTION_KINDS, Contact, Department
from app.timeutil import today
from app.translate import gettext as _


def map_context(account, form=None, dept_form=None, error=None):
    """Everything `stakeholders/_map.html` needs, in the map's fixed queries."""
    smap = services.load_map(account.id)
    if form is None:
        form = QuickContactForm(formdata=None)
        form.department_id.data = request.args.get("department", type=int)
    form.department_id.choices = views.department_choices(smap.departments)
    form.reports_to_id.choices = views.contact_choices(smap.contacts)
    if dept_form is None:
        dept_form = DepartmentForm(formdata=None)
    dept_form.parent_id.choices = views.department_choices(smap.departments)
    groups = {d.id: [] for d in smap.departments}
    loose = []
    for c in smap.active_contacts:
        groups[c.department_id].append(c) if c.department_id in groups else loose.append(c)
    return {"account": account, "smap": smap, "form": form, "dept_form": dept_form, "error": error,
            "groups": groups, "loose": loose, "left": [c for c in smap.contacts if c.status == "left"],
            "owners": views.owners_by_contact(smap), "gaps": views.gap_items(smap, account.id),
            "names": {c.id: c.name for c in smap.contacts}}


@bp.route("/accounts/<int:account_id>/stakeholders", methods=["GET", "POST"])
@account_view()
def index(account):
    """The map: gaps, contacts grouped by department; POST adds a contact in place."""
    if request.method == "GET":
        return render("stakeholders/page.html", "stakeholders/_map.html", **map_context(account))
    form = QuickContactForm()
    ctx = map_context(account, form=form)  # sets the choices the form validates against
    if form.validate():
        try:
            contact = services.create_contact(current_user, account, form.values())
        except services.StakeholderError as e:
            ctx["error"] = str(e)
        else:
            if not is_htmx():
                flash(_("%(name)s added.", name=contact.name))
                return redirect_to(url_for("stakeholders.index", account_id=account.id))
            # Keep the department (mapping goes one department at a time); clear the rest.
            fresh = QuickContactForm(formdata=None)
            fresh.department_id.data = contact.department_id
            fresh.name.render_kw = {"autofocus": True}  # htmx focuses it after the swap
            ctx = map_context(account, form=fresh)
            ctx["just_added"] = contact
            return render("stakeholders/page.html", "stakeholders/_map.html", **ctx)
    return render("stakeholders/page.html", "stakeholders/_map.html", status=422, **ctx)


@bp.route("/accounts/<int:account_id>/stakeholders/departments", methods=["POST"])
@account_view()
def add_department(account):
    """Add a department in place."""
    form = DepartmentForm()
    ctx = map_context(account, dept_form=form)
    if form.validate():
        try:
            services.create_department(current_user, account, form.values())
        except services.StakeholderError as e:
            ctx["error"] = str(e)
        else:
            if not is_htmx():
                return redirect_to(url_for("stakeholders.index", account_id=account.id))
            return render("stakeholders/page.html", "stakeholders/_map.html", **map_context(account))
    return render("stakeholders/page.html", "stakeholders/_map.html", status=422, **ctx)


@bp.route("/accounts/<int:account_id>/stakeholders/departments/<int:department_id>",
          methods=["GET", "POST"])
@account_view()
def department(account, department_id):
    """Edit a department."""
    dept = _live_department(account, department_id)
    form = DepartmentEditForm(obj=dept)
    if request.method == "GET":
        form.read_version(dept)
    smap = services.load_map(account.id)
    form.parent_id.choices = views.department_choices(smap.departments, exclude=dept.id)
    error = conflict = None
    if request.method == "POST" and form.validate():
        try:
            services.update_department(current_user, dept, form.values(), form.version.data)
        except services.StakeholderError as e:
            error = str(e)
        except StaleEdit as e:
            conflict = e
            form.read_version(dept)  # saving again now overwrites, knowingly
        else:
            flash(_("Saved."))
            return redirect_to(url_for("stakeholders.index", account_id=account.id, _anchor=f"dept-{dept.id}"))
    status = 409 if conflict else (422 if request.method == "POST" else 200)
    return render("stakeholders/department.html", status=status, account=account, dept=dept,
                  form=form, error=error, remove_form=EmptyForm(formdata=None), conflict=conflict,
                  theirs=theirs(form, dept) if conflict else (),
                  members=[c for c in smap.contacts if c.department_id == dept.id],
                  children=[d for d in smap.departments if d.parent_id == dept.id],
                  parent=next((d for d in smap.departments if d.id == dept.parent_id), None),
                  pairings=[p for p in smap.pairings if p.department_id == dept.id])


def _live_department(account, department_id):
    """A department of the account still on the map, else 404."""
    dept = child_or_404(Department, department_id, account)
    if dept.removed_on is not None:
        abort(404)
    return dept


@bp.route("/accounts/<int:account_id>/stakeholders/departments/<int:department_id>/remove",
          methods=["POST"])
@account_view()
def remove_department(account, department_id):
    """Take a closed or merged department off the map; its people and history stay."""
    dept = _live_department(account, department_id)  # CSRF is checked app-wide before this runs
    services.remove_department(current_user, dept)
    flash(_("%(name)s is off the map; its people stay and the timeline keeps its history.", name=dept.name))
    return redirect_to(url_for("stakeholders.index", account_id=account.id))


def contact_context(account, contact, form=None, leave_form=None, conflict=None, error=None):
    """The contact page: the edit form, owners, interactions and the leave form."""
    smap = services.load_map(account.id)
    if form is None:
        form = ContactForm(obj=contact, formdata=None)
        form.version.data = contact.version
    form.department_id.choices = views.department_choices(smap.departments)
    form.reports_to_id.choices = views.contact_choices(smap.contacts, exclude=contact.id)
    if contact.reports_to_id and contact.reports_to_id not in dict(form.reports_to_id.choices):
        # A manager who has left stays selectable, so saving does not silently cut the line.
        form.reports_to_id.choices.append((contact.reports_to_id, _("(left)")))
    touch = InteractionForm(formdata=None, kind="call", occurred_on=today(), contact_ids=[contact.id])
    touch.contact_ids.choices = [(contact.id, contact.name)]
    names = {c.id: c for c in smap.contacts}
    return {"account": account, "contact": contact, "form": form, "conflict": conflict, "error": error,
            "leave_form": leave_form or LeaveForm(formdata=None, left_on=today()),
            "manager": names.get(contact.reports_to_id),
            "reports": [c for c in smap.contacts if c.reports_to_id == contact.id],
            "pairings": services.contact_pairings(contact),
            "interactions": services.contact_interactions(contact),
            "touch_form": touch, "kinds": INTERACTION_KINDS}


@bp.route("/accounts/<int:account_id>/stakeholders/contacts/<int:contact_id>", methods=["GET", "POST"])
@account_view()
def contact(account, contact_id):
    """A contact's page; POST saves the full form (stale saves are refused, input kept)."""
    person = child_or_404(Contact, contact_id, account)
    if request.method == "GET":
        return render("stakeholders/contact.html", **contact_context(account, person))
    form = ContactForm()
    ctx = contact_context(account, person, form=form)
    if form.validate():
        try:
            services.update_contact(current_user, person, form.values(), form.version.data)
        except StaleEdit as e:
            form.version.data = person.version  # saving again now overwrites, knowingly
            ctx = contact_context(account, person, form=form, conflict=e)
            return render("stakeholders/contact.html", status=409, **ctx)
        except services.StakeholderError as e:
            ctx["error"] = str(e)
        else:
            flash(_("Saved."))
            return redirect_to(url_for("stakeholders.contact", account_id=account.id, contact_id=person.id))
    return render("stakeholders/contact.html", status=422, **ctx)


@bp.route("/accounts/<int:account_id>/stakeholders/contacts/<int:contact_id>/leave", methods=["POST"])
@account_view()
def leave(account, contact_id):
    """Mark a contact as left: pairings end, history stays, the page asks about the stage."""
    person = child_or_404(Contact, contact_id, account)
    form = LeaveForm()
    if form.validate():
        try:
            services.mark_left(current_user, person, form.left_on.data, form.left_to.data)
        except (services.StakeholderError, StaleEdit) as e:
            err = str(e) if isinstance(e, services.StakeholderError) else _("Someone else saved this contact; reload and try again.")
            return render("stakeholders/contact.html", status=422,
                          **contact_context(account, person, leave_form=form, error=err))
        flash(_("%(name)s is marked as left. Their pairings ended; their history stays.", name=person.name))
        return redirect_to(url_for("stakeholders.contact", account_id=account.id, contact_id=person.id))
    return render("stakeholders/contact.html", status=422,
                  **contact_context(account, person, leave_form=form))
