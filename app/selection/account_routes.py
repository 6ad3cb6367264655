"""On an account: its scores, selection decisions and relationship-stage history."""
from flask import flash, make_response, redirect, url_for
from flask_login import current_user

from app.access import account_view
from app.accounts.sections import register_section
from app.concurrency import StaleEdit
from app.htmx import is_htmx, render
from app.selection import bp, queries, services
from app.selection.forms import DecisionForm, StageForm
from app.translate import gettext as _
from app.vocab import STAGES


def selection_context(account, decision_form=None, stage_form=None, error=None, conflict=None, opened=None):
    """Everything `selection/_section.html` needs (five queries)."""
    ctx = queries.account_selection(account)
    if decision_form is None:
        decision_form = DecisionForm(formdata=None, tier_after=account.tier)
        decision_form.tier_before.data = account.tier
    if stage_form is None:
        later = [s for s in STAGES.values if STAGES.rank(s) > STAGES.rank(account.relationship_stage)]
        stage_form = StageForm(formdata=None, stage_after=later[0] if later else account.relationship_stage)
        stage_form.stage_before.data = account.relationship_stage
    ctx.update(account=account, decision_form=decision_form, stage_form=stage_form, error=error,
               conflict=conflict, opened=opened)
    return ctx


register_section("selection", 15, "selection/_section.html", selection_context)


def _answer(account, status, **kwargs):
    return render("selection/account.html", "selection/_section.html", status=status, account=account,
                  ctx=selection_context(account, **kwargs))


def _done(account, message):
    """After a decision or stage move the page header (tier, stage) changed too: reload the page.

    htmx gets HX-Refresh (an HX-Redirect to the same URL plus a #fragment would only scroll).
    """
    flash(message)
    if is_htmx():
        resp = make_response("", 204)
        resp.headers["HX-Refresh"] = "true"
        return resp
    return redirect(url_for("accounts.overview", account_id=account.id) + "#section-selection")


@bp.route("/accounts/<int:account_id>/selection")
@account_view()
def account_selection(account):
    """The account's selection record on a page of its own (and the section's fragment)."""
    return _answer(account, 200)


@bp.route("/accounts/<int:account_id>/selection/decisions", methods=["POST"])
@account_view(write="manage")
def decide(account):
    """Record a promote / keep / demote decision; the tier moves with it (KAM or admin)."""
    form = DecisionForm()
    error = conflict = None
    if form.validate():
        try:
            d = services.record_decision(current_user, account, form.decision.data, form.tier_after.data,
                                         form.rationale.data, tier_before=form.tier_before.data or None)
        except services.SelectionError as e:
            error = str(e)
        except StaleEdit as e:
            conflict = e
            form.tier_before.data = account.tier  # saving again now decides from the new tier
        else:
            return _done(account, _("Decision recorded: %(decision)s, tier %(tier)s.",
                                     decision=d.decision_label, tier=d.tier_after_label))
    return _answer(account, 409 if conflict else 422, decision_form=form, error=error, conflict=conflict,
                   opened="decision")


@bp.route("/accounts/<int:account_id>/selection/stage", methods=["POST"])
@account_view()
def change_stage(account):
    """Move the relationship stage with a reason; the history keeps every move."""
    form = StageForm()
    error = conflict = None
    if form.validate():
        try:
            s = services.change_stage(current_user, account, form.stage_after.data, form.reason.data,
                                      stage_before=form.stage_before.data or None)
        except services.SelectionError as e:
            error = str(e)
        except StaleEdit as e:
            conflict = e
            form.stage_before.data = account.relationship_stage
        else:
            return _done(account, _("Relationship stage changed to %(stage)s.", stage=s.after_label))
    return _answer(account, 409 if conflict else 422, stage_form=form, error=error, conflict=conflict,
                   opened="stage")
