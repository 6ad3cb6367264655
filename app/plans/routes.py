"""The plan page; the business and position sections and the SWOT, edited in place."""
from flask import request, url_for
from flask_login import current_user

from app.access import account_view
from app.auth.forms import EmptyForm
from app.concurrency import StaleEdit
from app.htmx import redirect_to, render
from app.plans import bp, services
from app.plans import objectives as obj_services
from app.plans.forms import BusinessForm, ObjectiveForm, OpportunityForm, PositionForm, SwotItemForm
from app.plans.models import SwotItem
from app.plans.views import after_save, answer, form_answer, in_plan, owner_choices, plan_or_404, refuse
from app.timeutil import utcnow
from app.translate import gettext as _

SECTION_FORMS = {"business": BusinessForm, "position": PositionForm}
SECTION = "<any(business,position):section>"


def page_context(account, plan):
    """Everything the plan page shows, in a fixed number of queries."""
    ctx = {"account": account, "plan": plan, "years": services.plan_years(account.id),
           "empty_form": EmptyForm(), "printed": utcnow()}
    if plan is None:
        return ctx
    new_objective = ObjectiveForm(formdata=None)
    new_objective.owner_id.choices = owner_choices(account.id)
    ctx.update(new_objective=new_objective, owners=new_objective.owner_id.choices,
               new_opportunity=OpportunityForm(formdata=None),
               opportunities=obj_services.opportunities_of(account.id, plan.year),
               pipeline=obj_services.pipeline(account.id, plan.year))
    return ctx


@bp.route("/accounts/<int:account_id>/plan", methods=["GET", "POST"])
@account_view()
def index(account):
    """The account's open plan; POST starts the first one."""
    if request.method == "POST":
        if EmptyForm().validate_on_submit():
            try:
                services.start_plan(current_user, account)
            except services.PlanError as e:
                return refuse(str(e), 422)
        return redirect_to(url_for("plans.index", account_id=account.id))
    return render("plans/page.html", **page_context(account, services.load_plan(account.id)))


@bp.route("/accounts/<int:account_id>/plans/<int:plan_id>")
@account_view()
def show(account, plan_id):
    """Any plan of the account; closed ones read-only."""
    return render("plans/page.html", **page_context(account, plan_or_404(account, plan_id)))


@bp.route("/accounts/<int:account_id>/plans/<int:plan_id>/next", methods=["POST"])
@account_view(write="manage")
def next_plan(account, plan_id):
    """Start next year's plan from this one (KAM): the old one is kept read-only."""
    plan = plan_or_404(account, plan_id)
    if EmptyForm().validate_on_submit():
        try:
            services_next = obj_services.start_next_plan(current_user, plan)
        except services.PlanError as e:
            return refuse(str(e), 422)
        return redirect_to(url_for("plans.show", account_id=account.id, plan_id=services_next.id))
    return refuse(_("The form was missing its security token. Reload the page and try again."), 400)


# --- Business and position: text that turns into a form ----------------------------

@bp.route(f"/accounts/<int:account_id>/plans/<int:plan_id>/{SECTION}", methods=["GET", "POST"])
@account_view()
def section(account, plan_id, section):
    """GET: the section as text (cancel). POST: save it, version-checked."""
    plan = plan_or_404(account, plan_id)
    if request.method == "GET":
        return answer(f"plans/_{section}.html", account=account, plan=plan)
    form = SECTION_FORMS[section]()
    conflict, error = None, None
    if form.validate_on_submit():
        try:
            services.update_section(current_user, plan, section, form.values(), form.version.data)
        except StaleEdit as e:
            conflict = e
        except services.PlanError as e:
            error = str(e)
        else:
            plan = services.load_plan(account.id, plan.id)
            return after_save(f"plans/_{section}.html", f"plan-{section}", _("Plan section saved."),
                              account=account, plan=plan)
    return _section_form(account, plan, section, form, conflict, error)


@bp.route(f"/accounts/<int:account_id>/plans/<int:plan_id>/{SECTION}/edit")
@account_view(read="write")
def edit_section(account, plan_id, section):
    """The section's form, holding the version it was read at."""
    plan = plan_or_404(account, plan_id)
    if not plan.is_open:
        return refuse(str(services.CLOSED))
    obj = getattr(plan, section)
    form = SECTION_FORMS[section](obj=obj)
    form.version.data = obj.version
    return _section_form(account, plan, section, form)


def _section_form(account, plan, section, form, conflict=None, error=None):
    """The business or position form, as the fragment in place of the text."""
    return form_answer("plans/_section_form.html", getattr(plan, section), form, conflict, error,
                       account=account, plan=plan, section=section)


@bp.route("/accounts/<int:account_id>/plans/<int:plan_id>/history/"
          "<any(business,position,swot,objectives,opportunities):section>")
@account_view()
def history(account, plan_id, section):
    """A section's past versions from the audit record."""
    plan = plan_or_404(account, plan_id)
    events = services.section_history(plan, section)
    return answer("plans/_history.html", account=account, plan=plan, section=section, events=events,
                  names=services.owner_names(events))


# --- SWOT: four lists, lines added, edited, moved and removed in place ---------------

@bp.route("/accounts/<int:account_id>/plans/<int:plan_id>/swot", methods=["GET", "POST"])
@account_view()
def swot(account, plan_id):
    """GET: the four lists. POST: add a line to one of them."""
    plan = plan_or_404(account, plan_id)
    error, form = None, SwotItemForm(formdata=None)
    if request.method == "POST":
        form = SwotItemForm()
        if form.validate_on_submit():
            try:
                services.add_swot_item(current_user, plan, form.quadrant.data, form.text.data)
            except services.PlanError as e:
                error = str(e)
            else:
                plan = services.load_plan(account.id, plan.id)
                return after_save("plans/_swot.html", "plan-swot", account=account, plan=plan,
                                  focus=form.quadrant.data)
        else:
            error = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    return answer("plans/_swot.html", status=422 if error else 200, account=account, plan=plan,
                  error=error, error_quadrant=form.quadrant.data, typed=form.text.data)


@bp.route("/accounts/<int:account_id>/plans/<int:plan_id>/swot/<int:swot_id>", methods=["GET", "POST"])
@account_view()
def swot_item(account, plan_id, swot_id):
    """GET: one line as text. POST: save its new wording, version-checked."""
    plan = plan_or_404(account, plan_id)
    item = in_plan(SwotItem, swot_id, account, plan)
    if request.method == "GET":
        return answer("plans/_swot_item.html", account=account, plan=plan, item=item)
    form = SwotItemForm()
    conflict = error = None
    if form.validate_on_submit():
        try:
            services.update_swot_item(current_user, plan, item, form.text.data, form.version.data)
        except StaleEdit as e:
            conflict = e
        except services.PlanError as e:
            error = str(e)
        else:
            return after_save("plans/_swot_item.html", "plan-swot", account=account, plan=plan, item=item)
    return _swot_form(account, plan, item, form, conflict, error)


@bp.route("/accounts/<int:account_id>/plans/<int:plan_id>/swot/<int:swot_id>/edit")
@account_view(read="write")
def edit_swot_item(account, plan_id, swot_id):
    """One SWOT line as a form."""
    plan = plan_or_404(account, plan_id)
    item = in_plan(SwotItem, swot_id, account, plan)
    if not plan.is_open:
        return refuse(str(services.CLOSED))
    form = SwotItemForm(obj=item)
    form.version.data = item.version
    return _swot_form(account, plan, item, form)


def _swot_form(account, plan, item, form, conflict=None, error=None):
    """One SWOT line as a form."""
    return form_answer("plans/_swot_item_form.html", item, form, conflict, error,
                       account=account, plan=plan, item=item)


@bp.route("/accounts/<int:account_id>/plans/<int:plan_id>/swot/<int:swot_id>/<any(up,down,delete):op>",
          methods=["POST"])
@account_view()
def swot_op(account, plan_id, swot_id, op):
    """Move a line up or down its list, or remove it; answers the four lists."""
    plan = plan_or_404(account, plan_id)
    item = in_plan(SwotItem, swot_id, account, plan)
    error = None
    if EmptyForm().validate_on_submit():
        try:
            if op == "delete":
                services.delete_swot_item(current_user, plan, item)
            else:
                services.move_swot_item(current_user, plan, item, -1 if op == "up" else 1)
        except services.PlanError as e:
            error = str(e)
    plan = services.load_plan(account.id, plan.id)
    if error:
        return answer("plans/_swot.html", status=422, account=account, plan=plan, error=error)
    return after_save("plans/_swot.html", "plan-swot", account=account, plan=plan)


from app.plans import routes_items  # noqa: E402,F401
