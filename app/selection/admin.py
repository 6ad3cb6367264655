"""Admins set the selection criteria, their weights, and when a review falls due."""
from flask import abort, flash, url_for
from flask_login import current_user

from app.access import admin_required
from app.concurrency import StaleEdit
from app.concurrency import theirs as their_values
from app.extensions import db
from app.htmx import is_htmx, redirect_to, render
from app.selection import bp, scoring, services
from app.selection.forms import CriterionEditForm, CriterionForm, SettingsForm, WeightForm
from app.selection.models import Criterion
from app.translate import gettext as _


def criteria_context(new_form=None, edit_form=None, edit_id=None, weight_form=None, settings_form=None,
                     conflict=None, theirs=()):
    """Everything `selection/_criteria.html` needs (two queries)."""
    criteria = services.list_criteria()
    if settings_form is None:
        row = services.review_settings()
        settings_form = SettingsForm(formdata=None, review_due_days=services.review_due_days(row))
        settings_form.read_version(row)
    return {"criteria": criteria, "shares": scoring.weight_shares(scoring.active_weights(criteria)),
            "warning": services.active_count_warning(criteria),
            "new_form": new_form or CriterionForm(formdata=None, weight=10, active=True),
            "edit_form": edit_form, "edit_id": edit_id, "weight_form": weight_form,
            "settings_form": settings_form, "conflict": conflict, "theirs": theirs,
            "edit_forms": {c.id: CriterionEditForm(formdata=None, obj=c, prefix=f"c{c.id}").read_version(c)
                           for c in criteria}}


def _answer(status=200, message=None, **kwargs):
    """htmx: the fresh region; a plain post: back to the page (or the page with its errors)."""
    if status == 200 and not is_htmx():
        if message:
            flash(message)
        return redirect_to(url_for("selection.criteria"))
    return render("selection/criteria.html", "selection/_criteria.html", status=status,
                  message=message, **criteria_context(**kwargs))


def _criterion(criterion_id):
    c = db.session.get(Criterion, criterion_id)
    if c is None:
        abort(404)
    return c


@bp.route("/portfolio/criteria", methods=["GET", "POST"])
@admin_required
def criteria():
    """The criteria list; POST adds a criterion."""
    form = CriterionForm()
    if not form.is_submitted():
        return render("selection/criteria.html", "selection/_criteria.html", **criteria_context())
    if form.validate():
        c = services.create_criterion(current_user, form.values())
        return _answer(message=_("Criterion %(name)s added.", name=c.name_en))
    return _answer(422, new_form=form)


@bp.route("/portfolio/criteria/<int:criterion_id>", methods=["POST"])
@admin_required
def edit_criterion(criterion_id):
    """Save a criterion's names, descriptions, weight and active flag."""
    c = _criterion(criterion_id)
    form = CriterionEditForm(prefix=f"c{c.id}")  # each row's form has its own field ids
    if form.validate():
        try:
            services.update_criterion(current_user, c, form.values(), form.version.data)
        except StaleEdit as e:
            return _answer(409, edit_form=form.read_version(c), edit_id=c.id, conflict=e,
                           theirs=their_values(form, c))
        return _answer(message=_("Saved."))
    return _answer(422, edit_form=form, edit_id=c.id)


@bp.route("/portfolio/criteria/<int:criterion_id>/weight", methods=["POST"])
@admin_required
def set_weight(criterion_id):
    """The quick weight / active change of one row; the ranking follows at once."""
    c = _criterion(criterion_id)
    form = WeightForm()
    if form.validate():
        try:
            services.update_criterion(current_user, c, {"weight": form.weight.data, "active": form.active.data},
                                      form.version.data)
        except StaleEdit as e:
            return _answer(409, edit_id=c.id, weight_form=form.read_version(c), conflict=e,
                           theirs=their_values(form, c))
        return _answer(message=_("Saved."))
    return _answer(422, edit_id=c.id, weight_form=form)


@bp.route("/portfolio/settings", methods=["POST"])
@admin_required
def settings():
    """Set after how many days without a decision an account is due for review."""
    form = SettingsForm()
    if form.validate():
        try:
            services.set_review_due_days(current_user, form.review_due_days.data, form.version.data)
        except StaleEdit as e:
            return _answer(409, settings_form=form.read_version(e.obj), conflict=e,
                           theirs=their_values(form, e.obj))
        return _answer(message=_("Saved."))
    return _answer(422, settings_form=form)
