"""Objectives with their actions, and opportunities: added, shown and edited in place."""
from flask import abort, request, url_for
from flask_login import current_user

from app.access import account_view, child_or_404
from app.actions.models import ActionItem
from app.actions.services import load_action
from app.concurrency import StaleEdit
from app.htmx import is_htmx, redirect_to, saved
from app.plans import bp, services
from app.plans import objectives as svc
from app.plans.forms import ActionForm, ObjectiveForm, OpportunityForm
from app.plans.models import Objective, Opportunity
from app.plans.views import after_save, answer, form_answer, in_plan, owner_choices, plan_or_404, refuse
from app.timeutil import today
from app.translate import gettext as _

BASE = "/accounts/<int:account_id>/plans/<int:plan_id>"


def _objective_ctx(account, plan, objective_id, **extra):
    """An objective as the page shows it, with a blank add-action form."""
    plan = services.load_plan(account.id, plan.id)
    objective = next((o for o in plan.objectives if o.id == objective_id), None)
    if objective is None:
        abort(404)
    return dict(account=account, plan=plan, o=objective, owners=owner_choices(account.id), **extra)


@bp.route(f"{BASE}/objectives", methods=["POST"])
@account_view()
def add_objective(account, plan_id):
    """Add an objective; answers the objectives region with it in place."""
    plan = plan_or_404(account, plan_id)
    form = ObjectiveForm()
    form.owner_id.choices = owner_choices(account.id)
    error = None
    if form.validate_on_submit():
        try:
            svc.add_objective(current_user, plan, form.values())
        except services.PlanError as e:
            error = str(e)
        else:
            form = ObjectiveForm(formdata=None)
            form.owner_id.choices = owner_choices(account.id)
            saved(_("Objective added."))
    plan = services.load_plan(account.id, plan.id)
    status = 422 if (form.errors or error) else 200
    if status == 200 and request.headers.get("HX-Request") != "true":
        return redirect_to(url_for("plans.index", account_id=account.id) + "#plan-objectives")
    return answer("plans/_objectives.html", status=status, account=account, plan=plan,
                  new_objective=form, owners=form.owner_id.choices, error=error)


@bp.route(f"{BASE}/objectives/<int:objective_id>", methods=["GET", "POST"])
@account_view()
def objective(account, plan_id, objective_id):
    """GET: the objective as text. POST: save it, version-checked."""
    plan = plan_or_404(account, plan_id)
    obj = in_plan(Objective, objective_id, account, plan)
    if request.method == "GET":
        return answer("plans/_objective.html", **_objective_ctx(account, plan, obj.id))
    form = ObjectiveForm()
    form.owner_id.choices = owner_choices(account.id)
    conflict = error = None
    if form.validate_on_submit():
        try:
            changes = svc.update_objective(current_user, plan, obj, form.values(), form.version.data)
        except StaleEdit as e:
            conflict = e
        except services.PlanError as e:
            error = str(e)
        else:
            if "horizon" in changes and is_htmx():
                return _moved_horizon(account, plan)
            return after_save("plans/_objective.html", f"objective-{obj.id}", _("Objective saved."),
                              **_objective_ctx(account, plan, obj.id))
    return _objective_form(account, plan, obj, form, conflict, error)


def _moved_horizon(account, plan):
    """An objective that changed horizon moves to its group: answer the whole objectives region."""
    form = ObjectiveForm(formdata=None)
    form.owner_id.choices = owner_choices(account.id)
    resp = answer("plans/_objectives.html", account=account, plan=services.load_plan(account.id, plan.id),
                  new_objective=form, owners=form.owner_id.choices)
    resp.headers["HX-Retarget"] = "#plan-objectives"
    resp.headers["HX-Reswap"] = "outerHTML"
    return resp


@bp.route(f"{BASE}/objectives/<int:objective_id>/edit")
@account_view(read="write")
def edit_objective(account, plan_id, objective_id):
    """The objective's form."""
    plan = plan_or_404(account, plan_id)
    obj = in_plan(Objective, objective_id, account, plan)
    if not plan.is_open:
        return refuse(str(services.CLOSED))
    form = ObjectiveForm(obj=obj)
    form.owner_id.choices = owner_choices(account.id)
    form.owner_id.data = obj.owner_id or 0
    form.version.data = obj.version
    return _objective_form(account, plan, obj, form)


def _objective_form(account, plan, obj, form, conflict=None, error=None):
    """The objective's form in place of its card."""
    return form_answer("plans/_objective_form.html", obj, form, conflict, error, account=account, plan=plan, o=obj)


@bp.route(f"{BASE}/objectives/<int:objective_id>/actions", methods=["POST"])
@account_view()
def add_action(account, plan_id, objective_id):
    """Add an action under an objective; answers the objective with it."""
    plan = plan_or_404(account, plan_id)
    obj = in_plan(Objective, objective_id, account, plan)
    form = ActionForm()
    form.owner_id.choices = owner_choices(account.id)
    error = None
    if form.validate_on_submit():
        v = form.values()
        try:
            svc.add_objective_action(current_user, plan, obj, v["title"], v["owner_id"], v["due_on"])
        except services.PlanError as e:
            error = str(e)
        else:
            return after_save("plans/_objective.html", f"objective-{obj.id}", _("Action added."),
                              **_objective_ctx(account, plan, obj.id))
    if error is None:
        error = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    return answer("plans/_objective.html", status=422,
                  **_objective_ctx(account, plan, obj.id, error=error, typed=form))


def _action(account, plan, action_id):
    """An action of an objective of this plan, else 404."""
    item = child_or_404(ActionItem, action_id, account)
    if item.objective_id not in {o.id for o in plan.objectives}:
        abort(404)
    return load_action(item.id)


@bp.route(f"{BASE}/actions/<int:plan_action_id>", methods=["GET", "POST"])
@account_view()
def action(account, plan_id, plan_action_id):
    """GET: one action row. POST: save it (title, owner, due, status), version-checked."""
    plan = plan_or_404(account, plan_id)
    item = _action(account, plan, plan_action_id)
    if request.method == "GET":
        return answer("plans/_action.html", account=account, plan=plan, a=item, today=today())
    form = ActionForm()
    form.owner_id.choices = owner_choices(account.id)
    conflict = error = None
    if not plan.is_open:
        return refuse(str(services.CLOSED))
    if form.validate_on_submit():
        try:
            svc.edit_action(current_user, item, form.values(), form.version.data)
        except StaleEdit as e:
            conflict = e
        except services.PlanError as e:
            error = str(e)
        else:
            return after_save("plans/_action.html", f"objective-{item.objective_id}",
                              account=account, plan=plan, a=load_action(item.id), today=today())
    return _action_form(account, plan, item, form, conflict, error)


@bp.route(f"{BASE}/actions/<int:plan_action_id>/edit")
@account_view(read="write")
def edit_action(account, plan_id, plan_action_id):
    """One action as a form row."""
    plan = plan_or_404(account, plan_id)
    item = _action(account, plan, plan_action_id)
    if not plan.is_open:
        return refuse(str(services.CLOSED))
    form = ActionForm(obj=item)
    form.owner_id.choices = owner_choices(account.id)
    form.owner_id.data = item.owner_id or 0
    form.version.data = item.version
    return _action_form(account, plan, item, form)


def _action_form(account, plan, item, form, conflict=None, error=None):
    """An action's form row."""
    return form_answer("plans/_action_form.html", item, form, conflict, error, account=account, plan=plan, a=item)


# --- Opportunities ------------------------------------------------------------------

def _opportunities_ctx(account, plan, **extra):
    """The opportunities region: this year's list and the pipeline figures."""
    return dict(account=account, plan=plan, opportunities=svc.opportunities_of(account.id, plan.year),
                pipeline=svc.pipeline(account.id, plan.year), **extra)


@bp.route(f"{BASE}/opportunities", methods=["GET", "POST"])
@account_view()
def opportunities(account, plan_id):
    """GET: the pipeline region. POST: log an opportunity."""
    plan = plan_or_404(account, plan_id)
    form = OpportunityForm(formdata=None)
    error = None
    if request.method == "POST":
        form = OpportunityForm()
        if form.validate_on_submit():
            try:
                svc.add_opportunity(current_user, account, form.values())
            except services.PlanError as e:
                error = str(e)
            else:
                return after_save("plans/_opportunities.html", "plan-opportunities",
                                  **_opportunities_ctx(account, plan, new_opportunity=OpportunityForm(formdata=None)))
    status = 422 if (form.errors or error) else 200
    return answer("plans/_opportunities.html", status=status,
                  **_opportunities_ctx(account, plan, new_opportunity=form, error=error))


@bp.route(f"{BASE}/opportunities/<int:opportunity_id>", methods=["GET", "POST"])
@account_view()
def opportunity(account, plan_id, opportunity_id):
    """GET: one opportunity row. POST: save it, version-checked."""
    plan = plan_or_404(account, plan_id)
    opp = child_or_404(Opportunity, opportunity_id, account)
    if request.method == "GET":
        return answer("plans/_opportunity.html", account=account, plan=plan, opp=opp)
    form = OpportunityForm()
    conflict = error = None
    if form.validate_on_submit():
        try:
            svc.update_opportunity(current_user, opp, form.values(), form.version.data)
        except StaleEdit as e:
            conflict = e
        except services.PlanError as e:
            error = str(e)
        else:
            return after_save("plans/_opportunities.html", "plan-opportunities",
                              **_opportunities_ctx(account, plan, new_opportunity=OpportunityForm(formdata=None)))
    return _opportunity_form(account, plan, opp, form, conflict, error)


@bp.route(f"{BASE}/opportunities/<int:opportunity_id>/edit")
@account_view(read="write")
def edit_opportunity(account, plan_id, opportunity_id):
    """One opportunity as a form row."""
    plan = plan_or_404(account, plan_id)
    opp = child_or_404(Opportunity, opportunity_id, account)
    form = OpportunityForm(obj=opp)
    form.version.data = opp.version
    return _opportunity_form(account, plan, opp, form)


def _opportunity_form(account, plan, opp, form, conflict=None, error=None):
    """An opportunity's form row."""
    return form_answer("plans/_opportunity_form.html", opp, form, conflict, error, account=account, plan=plan, opp=opp)
