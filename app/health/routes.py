"""Health on the overview, the sponsor's check-in page, the admin's weights, the snapshot button."""
from flask import flash, request, url_for
from flask_login import current_user, login_required

from app.access import account_view, admin_required, can
from app.accounts.sections import register_section
from app.auth.services import register_user_flag
from app.concurrency import StaleEdit, theirs
from app.health import bp, services, sponsor
from app.health.forms import EmptyForm, NoteForm, WeightsForm
from app.htmx import is_htmx, redirect_to, render
from app.templating import fragment
from app.translate import gettext as _


def section_context(account):
    """The overview section: score, reasons worst first, trend (four queries)."""
    health = services.health_for([account.id])[account.id]
    trend = services.trend_for([account.id])[account.id]
    return {"health": health, "trend": trend, "direction": services.direction(trend, health.score),
            "can_snapshot": can("manage"), "snapshot_form": EmptyForm(formdata=None),
            "quarter": services.quarter_of_today()}


register_section("health", 5, "health/_section.html", section_context)
# The numbers the health macros state in their tooltips.
bp.add_app_template_global(services.MIN_KNOWN, "min_known")
bp.add_app_template_global(services.MOVE, "move")


register_user_flag("sponsor", sponsor.sponsors_anything)


@bp.app_context_processor
def sponsor_nav():
    """`show_sponsor_link()` for the top nav: a flag loaded with the user, no query of its own."""
    def show_sponsor_link():
        return current_user.is_authenticated and sponsor.has_sponsor_accounts(current_user)
    return {"show_sponsor_link": show_sponsor_link}


@bp.app_template_global()
def spark_points(trend, h):
    """The sparkline's polyline points ("x,y x,y ...") for a trend and the score now, or "" when
    there are fewer than two: one string a row, built here rather than by two round filters a
    point in the template (a list page draws one a row)."""
    scores = [p.score for p in trend] + ([h.score] if h.enough else [])
    if len(scores) < 2:
        return ""
    step = 60 / (len(scores) - 1)
    return " ".join(f"{round(i * step + 2, 1)},{round(16 - s * 14 / 100, 1)}" for i, s in enumerate(scores)) + " "


def health_key(h, trend, direction):
    """What the health macros show of a Health, its trend and direction (a fragment key's part:
    the score, the parts known and counted, the weakest part, the trend's points)."""
    weakest = h.weakest
    return (h.score, h.known, h.counted, weakest and (weakest.key, weakest.score),
            tuple((p.quarter, p.score, p.late) for p in trend), direction)


@bp.app_template_global()
def sponsor_row(account, h, trend, direction, needs_count, href):
    """One row of the sponsor page's summary (health/_summary_row.html), rendered once a process
    for the same values and language (templating.fragment): a sponsor of 40 accounts sees the
    same rows request after request, and each row's four health macros were a fifth of the page."""
    key = (account.id, account.name, href, needs_count, health_key(h, trend, direction))
    return fragment("health/_summary_row.html", "row", key, account, h, trend, direction, needs_count, href)


@bp.app_template_global()
def health_why(h):
    """A sponsor card's "why it scored" block (health/_why.html), rendered once a process for the
    same Health source (its counts and weights, parts.build) and language: the ten cards' parts
    and sentences were a tenth of the page, and they change only when the counts do."""
    return fragment("health/_why.html", "why", h.source, h)


@bp.app_template_global()
def health_of(account_ids):
    """{account_id: (Health, trend direction, trend)} for a list page."""
    return services.summaries(account_ids)


CARDS_PER_PAGE = 10  # account cards on one sponsor page; the summary table lists every account
NEEDS_SHOWN = 5  # "needs you" lines on a card; the rest are counted, with a link to the account


def sponsor_context(user, page=1):
    """Everything the sponsor page shows, in a fixed number of queries.

    The summary ranks every account; the cards below it, the weakest first, are paged.
    """
    accounts, missing = sponsor.sponsored_accounts(user)
    ids = sorted(a.id for a in accounts)
    if missing and services.take_missing_snapshots(missing):  # once a quarter: its commit expired them
        accounts = sponsor.accounts(ids)
    cadences = {}
    health = services.health_for(ids, cadences=cadences)
    trends, directions = services.trends_and_directions(ids, health)
    # Weakest first; accounts without enough data to score in their own group after them.
    accounts = sorted(accounts, key=lambda a: (health[a.id].sort_key(), a.name))
    pages = max((len(accounts) - 1) // CARDS_PER_PAGE + 1, 1)
    page = min(max(page, 1), pages)
    cards = accounts[(page - 1) * CARDS_PER_PAGE:page * CARDS_PER_PAGE]
    owned = sponsor.owned_decision_makers(user, ids)
    return {"accounts": accounts, "cards": cards, "page": page, "page_size": CARDS_PER_PAGE,
            "card_page": {a.id: i // CARDS_PER_PAGE + 1 for i, a in enumerate(accounts)},
            "health": health, "trends": trends, "needs_shown": NEEDS_SHOWN,
            "directions": directions, "unscored": sum(1 for i in ids if not health[i].enough),
            "needs": sponsor.needs_you(user, ids, owned=owned, detail=[a.id for a in cards], cadences=cadences),
            "reach": owned,
            "upcoming": sponsor.upcoming_meetings(ids),
            "notes": sponsor.latest_notes([a.id for a in cards]), "names": {a.id: a.name for a in accounts},
            "not_met_days": sponsor.NOT_MET_DAYS}


@bp.route("/sponsor")
@login_required
def page():
    """The sponsor's check-in: my accounts worst first, what needs me and why."""
    return render("health/sponsor.html", **sponsor_context(current_user, request.args.get("page", 1, type=int)),
                  form=NoteForm(formdata=None))


@bp.route("/accounts/<int:account_id>/health/notes", methods=["POST"])
@account_view()
def add_note(account):
    """Write a check-in note in place; it lands on the account's timeline."""
    form = NoteForm()
    status, error = 200, None
    if form.validate():
        try:
            sponsor.add_note(current_user, account, form.body.data)
        except sponsor.NoteError as e:
            status, error = 422, str(e)
        else:
            if not is_htmx():
                flash(_("Your note is on the account's timeline."))
                return redirect_to(url_for("health.page", _anchor=f"acc-{account.id}"))
            form = NoteForm(formdata=None)
    else:
        status = 422
    return render("health/note_page.html", "health/_notes.html", status=status, account=account,
                  form=form, error=error, saved=status == 200,
                  notes=sponsor.latest_notes([account.id])[account.id])


@bp.route("/accounts/<int:account_id>/health/snapshot", methods=["POST"])
@account_view(write="manage")
def snapshot(account):
    """Take this quarter's snapshot now (KAMs and admins), e.g. before a review."""
    services.take_snapshots([account.id], services.quarter_of_today(), actor=current_user)
    if is_htmx():
        return render("health/_section_page.html", "health/_section.html", account=account,
                      ctx=section_context(account))
    flash(_("Health snapshot taken."))
    return redirect_to(url_for("accounts.overview", account_id=account.id))


@bp.route("/admin/health", methods=["GET", "POST"])
@admin_required
def weights():
    """The admin sets how much each part weighs in the score."""
    if request.method == "POST":
        form = WeightsForm()
        if form.validate():
            try:
                services.set_weights(current_user, form.values(), form.version.data)
            except StaleEdit as e:  # their weights beside the admin's kept input
                return render("health/weights.html", status=409, form=form.read_version(e.obj),
                              conflict=e, theirs=theirs(form, e.obj))
            flash(_("Health weights saved."))
            return redirect_to(url_for("health.weights"))
        return render("health/weights.html", status=422, form=form)
    current = services.weight_set()
    return render("health/weights.html",
                  form=WeightsForm(formdata=None, data=current.weights).read_version(current))
