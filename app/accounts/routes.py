"""Account list, create, edit, archive and overview."""
from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from app.access import account_view
from app.accounts import bp, services
from app.accounts.forms import AccountEditForm, AccountForm, SearchForm
from app.accounts.sections import SECTIONS, ordered, register_section
from app.auth.forms import EmptyForm
from app.concurrency import StaleEdit
from app.htmx import redirect_to, render
from app.translate import gettext as _
from app.translate import lazy_gettext as _l


@bp.route("/accounts")
@login_required
def index():
    """Accounts the user can see, with active search and a tier filter."""
    form = SearchForm(request.args)
    form.validate()
    page = request.args.get("page", 1, type=int) or 1
    archived = request.args.get("archived") == "1"
    mine = request.args.get("mine") == "1"
    accounts, total = services.search_accounts(
        current_user, q=form.q.data or "", tier=form.tier.data or "",
        archived=archived, mine=mine, page=page)
    kams = services.kams_by_account([a.id for a in accounts])
    return render("accounts/index.html", "accounts/_list.html", form=form, accounts=accounts,
                  total=total, page=page, page_size=services.PAGE_SIZE, kams=kams,
                  archived=archived, mine=mine)


@bp.route("/accounts/new", methods=["GET", "POST"])
@login_required
def new():
    """Create an account; the creator becomes its KAM."""
    form = AccountForm()
    if form.validate_on_submit():
        account = services.create_account(current_user, form.values())
        flash(_("Account %(name)s created. You are its key-account manager.", name=account.name))
        return redirect_to(url_for("accounts.overview", account_id=account.id))
    return render("accounts/form_page.html", status=422 if form.errors else 200, form=form,
                  account=None)


@bp.route("/accounts/<int:account_id>")
@account_view()
def overview(account):
    """The account overview: key facts, team, and every section features add."""
    from app.audit.services import account_timeline
    from app.team.routes import team_context

    return render("accounts/overview.html", account=account, sections=ordered(),
                  team=team_context(account), events=account_timeline(account.id, limit=15),
                  archive_form=EmptyForm())


@bp.route("/accounts/<int:account_id>/sections/<key>")
@account_view()
def section(account, key):
    """One overview section, loaded in place by the overview page."""
    sec = SECTIONS.get(key)
    if sec is None:
        abort(404)
    return render("accounts/section_page.html", "accounts/_section.html", account=account,
                  section=sec, ctx=sec.context(account))


@bp.route("/accounts/<int:account_id>/edit", methods=["GET", "POST"])
@account_view()
def edit(account):
    """Edit the account's facts; a save based on an old version is refused, input kept."""
    form = AccountEditForm(obj=account)
    if request.method == "GET":
        form.version.data = account.version
    conflict = None
    if form.validate_on_submit():
        try:
            services.update_account(current_user, account, form.values(), form.version.data)
        except StaleEdit as e:
            conflict = e
            form.version.data = account.version  # saving again now overwrites, knowingly
        else:
            flash(_("Saved."))
            return redirect_to(url_for("accounts.overview", account_id=account.id))
    status = 409 if conflict else (422 if form.errors else 200)
    return render("accounts/form_page.html", status=status, form=form, account=account,
                  conflict=conflict)


@bp.route("/accounts/<int:account_id>/archive", methods=["POST"])
@account_view(write="manage")
def archive(account):
    """Archive or restore the account (KAM or admin)."""
    if EmptyForm().validate_on_submit():
        archived = account.archived_at is None
        services.set_archived(current_user, account, archived)
        flash(_("Account archived.") if archived else _("Account restored."))
    return redirect_to(url_for("accounts.overview", account_id=account.id))


def _placeholder(title, empty):
    return lambda account: {"title": title, "empty": empty}


# Sections later features fill; each replaces its placeholder by registering the same key.
for _key, _order, _title, _empty in (
    ("plan", 20, _l("Account plan"), _l("No account plan yet.")),
    ("stakeholders", 30, _l("Stakeholders"), _l("No contacts mapped yet.")),
    ("complaints", 40, _l("Complaints"), _l("No complaints logged.")),
    ("meetings", 50, _l("Executive meetings"), _l("No meetings logged yet.")),
    ("reviews", 60, _l("Quarterly reviews"), _l("No quarterly reviews yet.")),
):
    register_section(_key, _order, "accounts/_placeholder.html", _placeholder(_title, _empty))
