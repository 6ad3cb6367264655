"""The team page and its in-place edits; "My accounts"."""
from flask import render_template, request, url_for
from flask_login import current_user, login_required

from app.access import account_view, child_or_404
from app.accounts.sections import register_section
from app.auth.forms import EmptyForm
from app.concurrency import RowConflict, StaleEdit, theirs
from app.htmx import is_htmx, redirect_to, render, saved
from app.search.text import MAX_QUERY
from app.team import bp, services
from app.team.forms import MemberForm, RoleForm
from app.team.models import Membership
from app.translate import gettext as _
from app.vocab import SENIORITY


def person_choices(account_id, q="", keep=None):
    """The add form's person choices (at most services.CANDIDATES_SHOWN, "—" first) and whether
    more people than that match."""
    rows, more = services.candidates(account_id, q=q, keep=keep)
    return [(0, "—")] + [(u.id, f"{u.name} · {u.title or SENIORITY.label(u.seniority)}") for u in rows], more


def _query():
    return (request.args.get("q") or "").strip()[:MAX_QUERY]


def team_context(account, form=None, error=None, conflict=None, q=""):
    """Everything `team/_team.html` needs."""
    current, past = services.team_of(account.id)
    if form is None:
        form = MemberForm(formdata=None)
    # A posted form's person stays listed (and chosen) even past the first ones shown.
    form.user_id.choices, more = person_choices(account.id, q=q, keep=form.user_id.data)
    return {"account": account, "current": current, "past": past, "form": form,
            "error": error, "leave_form": EmptyForm(), "conflict": conflict,
            "picker": {"q": q, "more": more}}


register_section("team", 10, "team/_team.html", team_context)


@bp.route("/accounts/<int:account_id>/team", methods=["GET", "POST"])
@account_view(write="manage")
def index(account):
    """The team; POST adds a member in place (KAM or admin)."""
    if request.method == "GET":
        return render("team/page.html", "team/_team.html", **team_context(account, q=_query()))
    form = MemberForm()
    ctx = team_context(account, form)  # sets the choices the form validates against
    if form.validate():
        try:
            services.add_member(current_user, account, form.user_id.data, form.role.data,
                                form.function.data, form.joined_on.data)
        except services.TeamError as e:
            ctx["error"] = str(e)
        else:
            return _after_change(account, _("Team member added."))
    return render("team/page.html", "team/_team.html", status=422, **ctx)


@bp.route("/accounts/<int:account_id>/team/people")
@account_view(read="manage", write="manage")
def people(account):
    """The add form's person options for what was typed in its find box (htmx swaps them in);
    opened as a page, the team page finding the same."""
    q = _query()
    if not is_htmx():
        return redirect_to(url_for("team.index", account_id=account.id, q=q or None))
    choices, more = person_choices(account.id, q=q)
    one = choices[1][0] if q and len(choices) == 2 else None  # the only match: chosen already
    return render_template("team/_people_options.html", choices=choices, more=more, q=q, selected=one)


def _after_change(account, message=None):
    """htmx gets the fresh team fragment; a plain form post is redirected (no re-post on reload)."""
    saved(message or _("Team saved."))
    if is_htmx():
        return render("team/page.html", "team/_team.html", **team_context(account))
    return redirect_to(url_for("team.index", account_id=account.id))


@bp.route("/accounts/<int:account_id>/team/<int:membership_id>", methods=["POST"])
@account_view(write="manage")
def change(account, membership_id):
    """Change a member's role or function."""
    m = child_or_404(Membership, membership_id, account)
    form = RoleForm()
    error = _("Choose a valid role and function.")
    if form.validate():
        try:
            services.change_member(current_user, m, form.role.data, form.function.data, form.version.data)
        except services.TeamError as e:
            error = str(e)
        except StaleEdit as e:
            conflict = RowConflict(e, m.id, form.read_version(m), theirs(form, m))
            return render("team/page.html", "team/_team.html", status=409,
                          **team_context(account, conflict=conflict))
        else:
            return _after_change(account, _("Role saved for %(name)s.", name=m.user.name))
    return render("team/page.html", "team/_team.html", status=422,
                  **team_context(account, error=error))


@bp.route("/accounts/<int:account_id>/team/<int:membership_id>/leave", methods=["POST"])
@account_view(write="manage")
def leave(account, membership_id):
    """Take a member off the team; they stay in its history."""
    m = child_or_404(Membership, membership_id, account)
    try:
        services.leave(current_user, m)
    except services.TeamError as e:
        return render("team/page.html", "team/_team.html", status=422,
                      **team_context(account, error=str(e)))
    return _after_change(account, _("%(name)s left the team.", name=m.user.name))


@bp.route("/me/accounts")
@login_required
def mine():
    """The accounts whose teams I am on, with my role."""
    return render("team/mine.html", memberships=services.my_memberships(current_user))
