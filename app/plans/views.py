"""Helpers the plan views share: loading, answering fragments, conflicts."""
from flask import abort, render_template, url_for

from app.access import child_or_404
from app.audit.labels import value_label
from app.htmx import is_htmx, redirect_to, render, saved
from app.plans import objectives as obj_services
from app.plans import services
from app.plans.models import Plan
from app.translate import gettext as _


def plan_or_404(account, plan_id):
    """The account's plan, loaded whole (its sections are what every fragment shows)."""
    child_or_404(Plan, plan_id, account)
    return services.load_plan(account.id, plan_id)


def in_plan(model, obj_id, account, plan):
    """An object of this account that also belongs to this plan, else 404."""
    obj = child_or_404(model, obj_id, account)
    if getattr(obj, "plan_id", plan.id) != plan.id:
        abort(404)
    return obj


def answer(fragment, status=200, **ctx):
    """The fragment for htmx; without JavaScript, the same fragment inside a small page."""
    return render("plans/part_page.html", fragment, status=status, part=fragment, **ctx)


def after_save(fragment, anchor, message=None, **ctx):
    """htmx gets the fresh fragment; a plain form post goes back to the plan (no re-post).

    Either way the person is told it saved (app.htmx.saved), the same way as everywhere.
    """
    saved(message or _("Saved."))
    if is_htmx():
        return answer(fragment, **ctx)
    return redirect_to(url_for("plans.index", account_id=ctx["account"].id) + "#" + anchor)


def refuse(message, status=409):
    """A short refusal (closed plan, not allowed here) in the shape htmx or a browser expects."""
    tpl = "errors/_message.html" if is_htmx() else "errors/error.html"
    return render_template(tpl, code=status, title=_("Not saved"), message=message), status


def owner_choices(account_id):
    """The team as owner choices, with "nobody yet" first."""
    return [(0, "—")] + [(uid, name) for uid, name in obj_services.team_users(account_id)]


def conflict_fields(form, obj):
    """[(label, their value)] for every field where what they saved differs from what you typed."""
    theirs = []
    for name in form.FIELDS:
        mine, cur = form[name].data, getattr(obj, name)
        if str(mine if mine not in (None, 0) or name != "owner_id" else "") != str(cur if cur is not None else ""):
            shown = cur
            if name == "owner_id":
                shown = getattr(obj, "owner", None) and obj.owner.name
            theirs.append((form[name].label.text, value_label(name, shown, type(obj).__name__) if name != "text" else cur))
    return theirs


def form_answer(fragment, obj, form, conflict=None, error=None, **ctx):
    """An edit form: 200, 422 with its errors, or 409 with their version beside your input."""
    theirs = conflict_fields(form, obj) if conflict else None
    if conflict:
        form.version.data = obj.version  # saving again now replaces theirs, knowingly
    status = 409 if conflict else 422 if (form.errors or error) else 200
    return answer(fragment, status=status, form=form, conflict=conflict, theirs=theirs, error=error, **ctx)
