"""Coverage matrix and pairings, interactions, CSV export and import (the org chart: routes_org)."""
from flask import flash, make_response, request, url_for
from flask_login import current_user

from app.access import account_view, child_or_404
from app.concurrency import RowConflict, StaleEdit, theirs
from app.htmx import is_htmx, redirect_to, render, saved
from app.stakeholders import bp, coverage, csvio, services, views
from app.stakeholders.forms import InteractionForm, LevelForm, PairingForm
from app.stakeholders.models import Coverage
from app.timeutil import today
from app.translate import gettext as _


def coverage_context(account, form=None, error=None, conflict=None):
    """The matrix, the pairings list, the pairing form and the gaps."""
    smap = services.load_map(account.id)
    people, rows, contacts = coverage.coverage_matrix(smap)
    if form is None:
        form = PairingForm(formdata=None)
        form.target.data = request.args.get("target")
    form.user_id.choices = [("", "—")] + [
        (m.user.id, f"{m.user.name} · {m.user.seniority_label}") for m in
        sorted(smap.team, key=lambda m: (-m.user.is_director_or_above, m.user.name))]
    # Grouped choices validate as one list; the template adds the empty "—" option.
    form.target.choices = {
        _("Departments"): [(f"d{d.id}", d.name) for d in smap.departments],
        _("Contacts"): [(f"c{c.id}", f"{c.name} · {c.title}" if c.title else c.name)
                        for c in smap.active_contacts],
    }
    return {"account": account, "smap": smap, "people": people, "rows": rows, "contacts": contacts,
            "depts": {d.id: d for d in smap.departments}, "form": form, "error": error,
            "level_form": LevelForm(formdata=None), "conflict": conflict, "flagged": lambda p: coverage.flagged(p, contacts),
            "team_ids": smap.team_user_ids, "gaps": views.gap_items(smap, account.id)}


@bp.route("/accounts/<int:account_id>/stakeholders/coverage", methods=["GET", "POST"], endpoint="coverage")
@account_view()
def coverage_page(account):
    """The coverage matrix; POST pairs one of ours with a department or a contact."""
    if request.method == "GET":
        return render("stakeholders/coverage.html", "stakeholders/_coverage.html",
                      **coverage_context(account))
    form = PairingForm()
    ctx = coverage_context(account, form=form)
    if form.validate():
        dept_id, contact_id = form.target_ids()
        try:
            coverage.add_pairing(current_user, account, user_id=form.user_id.data, department_id=dept_id,
                                 contact_id=contact_id, current_level=form.current_level.data,
                                 target_level=form.target_level.data)
        except services.StakeholderError as e:
            ctx["error"] = str(e)
        else:
            return _after_pairing(account, _("Pairing made."))
    return render("stakeholders/coverage.html", "stakeholders/_coverage.html", status=422, **ctx)


def _after_pairing(account, message=None):
    saved(message or _("Pairing saved."))
    if is_htmx():
        return render("stakeholders/coverage.html", "stakeholders/_coverage.html",
                      **coverage_context(account))
    return redirect_to(url_for("stakeholders.coverage", account_id=account.id))


@bp.route("/accounts/<int:account_id>/stakeholders/coverage/<int:coverage_id>", methods=["POST"])
@account_view()
def pairing(account, coverage_id):
    """Change a pairing's current or target level in place."""
    item = child_or_404(Coverage, coverage_id, account)
    form = LevelForm()
    if form.validate() and item.ended_on is None:
        try:
            coverage.update_pairing(current_user, item, form.current_level.data, form.target_level.data,
                                    form.version.data)
        except StaleEdit as e:
            # Their levels in the notice; the row keeps the person's choice at the new version.
            conflict = RowConflict(e, item.id, form.read_version(item), theirs(form, item))
            return render("stakeholders/coverage.html", "stakeholders/_coverage.html", status=409,
                          **coverage_context(account, conflict=conflict))
        return _after_pairing(account)
    return render("stakeholders/coverage.html", "stakeholders/_coverage.html", status=422,
                  **coverage_context(account, error=_("Choose relationship levels from the list.")))


@bp.route("/accounts/<int:account_id>/stakeholders/coverage/<int:coverage_id>/end", methods=["POST"])
@account_view()
def end_pairing(account, coverage_id):
    """End a pairing; it stays in the contact's history."""
    coverage.end_pairing(current_user, child_or_404(Coverage, coverage_id, account))
    return _after_pairing(account)


def interactions_context(account, form=None, error=None):
    smap = services.load_map(account.id)
    if form is None:
        form = InteractionForm(formdata=None, kind="call", occurred_on=today())
        wanted = request.args.get("contact", type=int)
        form.contact_ids.data = [wanted] if wanted else []
    form.contact_ids.choices = [(c.id, f"{c.name} · {c.title}" if c.title else c.name)
                                for c in smap.active_contacts]
    return {"account": account, "form": form, "error": error,
            "items": services.recent_interactions(account.id), "gaps": views.gap_items(smap, account.id)}


@bp.route("/accounts/<int:account_id>/stakeholders/touches", methods=["GET", "POST"])
@account_view()
def interactions(account):
    """Recent touches; POST logs one (from here or from a contact's page)."""
    if request.method == "GET":
        return render("stakeholders/interactions.html", "stakeholders/_interactions.html",
                      **interactions_context(account))
    form = InteractionForm()
    ctx = interactions_context(account, form=form)
    back = request.form.get("back_to_contact", type=int)
    if back not in {cid for cid, _ in form.contact_ids.choices}:
        back = None  # only back to a contact of this account, never to an id typed into the form
    if form.validate():
        try:
            services.log_interaction(current_user, account, kind=form.kind.data,
                                     occurred_on=form.occurred_on.data, contact_ids=form.contact_ids.data,
                                     note=form.note.data)
        except services.StakeholderError as e:
            ctx["error"] = str(e)
        else:
            if back and not is_htmx():
                return redirect_to(url_for("stakeholders.contact", account_id=account.id, contact_id=back))
            if is_htmx():
                return render("stakeholders/interactions.html", "stakeholders/_interactions.html",
                              **interactions_context(account))
            flash(_("Touch logged."))
            return redirect_to(url_for("stakeholders.interactions", account_id=account.id))
    return render("stakeholders/interactions.html", "stakeholders/_interactions.html", status=422, **ctx)


@bp.route("/accounts/<int:account_id>/stakeholders/contacts.csv")
@account_view()
def export(account):
    """Every contact as CSV, UTF-8 with BOM so Excel keeps Chinese intact."""
    resp = make_response(csvio.export_csv(services.load_map(account.id)))
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f"attachment; filename=contacts-{account.id}-{today()}.csv"
    return resp
