"""Account review views: preview, live PDF, priorities in place, finalise, the archive, stored copies."""
from datetime import timedelta

from flask import flash, make_response, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.access import account_view, child_or_404
from app.accounts.sections import register_section
from app.auth.forms import EmptyForm
from app.concurrency import StaleEdit
from app.extensions import db
from app.htmx import redirect_to, render
from app.reviews import bp, quarters, services
from app.reviews.data import MAIN, RELATIONS, STORY, gather, priority_rows
from app.reviews.forms import ChoosePrioritiesForm, CommentaryForm, FinaliseForm, NewPriorityForm
from app.reviews.models import FinalReview
from app.reviews.names import content_disposition, review_filename
from app.reviews.pdf import PAPERS, build_review
from app.templating import date_
from app.translate import gettext as _
from app.vocab import TIERS


def _quarter():
    """The quarter asked for, else the current one."""
    q = request.args.get("quarter", "")
    return q if quarters.parse(q) else quarters.current()


def _paper():
    p = request.args.get("paper", "a4")
    return p if p in PAPERS else "a4"


def _commentary_form(account, quarter, note=None, formdata=None):
    """The commentary form, filled from the stored note unless a submission is given."""
    form = CommentaryForm(formdata=formdata)
    if formdata is None:
        form.commentary.data = note.commentary if note else ""
        form.version.data = note.version if note else ""
    form.quarter.data = quarter
    return form


def _priority_ctx(account, quarter, choose=None, new=None, error=None, forms=True, rows=None):
    """Next quarter's priorities (actions with owner and due date) and, with `forms`, the two
    ways to add one (the preview loads those in place, so its own request stays small)."""
    nxt = quarters.shift(quarter, 1)
    ctx = {"account": account, "quarter": quarter, "next_quarter": nxt, "priority_error": error,
           "priority_rows": rows if rows is not None else priority_rows(account.id, nxt), "drop_form": EmptyForm(formdata=None),
           "priority_limit": services.PRIORITY_LIMIT, "add_forms": forms,
           "priorities_url": url_for("reviews.priorities", account_id=account.id, quarter=quarter)}
    if not forms:
        return ctx
    choose = choose or ChoosePrioritiesForm(formdata=None)
    choose.action_ids.choices = [(i, _action_label(t, o, d)) for i, t, o, d in
                                 services.priority_candidates(account.id, nxt)]
    choose.quarter.data = quarter
    new = _with_choices(new or NewPriorityForm(formdata=None, due_on=quarters.bounds(nxt)[1]), account)
    new.quarter.data = quarter
    return ctx | {"choose_form": choose, "new_priority_form": new}


def _with_choices(form, account):
    """The new-priority form's owners (the team) and objectives (of the open plans)."""
    from app.plans.models import Objective, Plan
    from app.plans.views import owner_choices

    form.owner_id.choices = owner_choices(account.id)
    form.objective_id.choices = [(0, "—")] + [(i, t) for i, t in db.session.execute(
        db.select(Objective.id, Objective.title).join(Plan, Plan.id == Objective.plan_id)
        .where(Objective.account_id == account.id, Plan.closed_at.is_(None))
        .order_by(Objective.horizon, Objective.position, Objective.id))]
    return form


def _action_label(title, owner, due):
    """"Title · Owner · due 31 Mar 2027" for the chooser."""
    bits = [title, owner or _("no owner")]
    if due:
        bits.append(_("due %(date)s", date=date_(due, "medium")))
    return " · ".join(bits)


def _preview_ctx(account, quarter, paper):
    """Everything the preview page shows."""
    note = services.note_for(account.id, quarter)
    finals = services.archive(account.id, quarter)
    r = gather(account, quarter, current_user, note=note, parts=(MAIN,))
    return {"account": account, "quarter": quarter, "r": r,
            "relations_url": url_for("reviews.relations", account_id=account.id, quarter=quarter),
            "story_url": url_for("reviews.story", account_id=account.id, quarter=quarter),
            "paper": paper, "quarter_choices": quarters.recent(8), "finals": finals,
            "form": _commentary_form(account, quarter, note), "note": note,
            **_priority_ctx(account, quarter, forms=False, rows=r["priority_actions"]),
            "finalise_form": FinaliseForm(quarter=quarter, paper=paper), "ended": quarters.ended(quarter)}


@bp.route("/accounts/<int:account_id>/reviews/preview")
@account_view()
def preview(account):
    """The review as a web page, from the same data as the PDF."""
    return render("reviews/preview.html", **_preview_ctx(account, _quarter(), _paper()))


@bp.route("/accounts/<int:account_id>/reviews/relations")
@account_view()
def relations(account):
    """The review's stakeholder, complaint and meeting part, loaded in place by the preview."""
    quarter = _quarter()
    return render("reviews/relations_page.html", "reviews/_relations.html", account=account, quarter=quarter,
                  r=gather(account, quarter, current_user, parts=(RELATIONS,)))


@bp.route("/accounts/<int:account_id>/reviews/story")
@account_view()
def story(account):
    """The review's story part (commentary, what changed, sponsor notes), loaded in place by the preview."""
    quarter = _quarter()
    return render("reviews/story_page.html", "reviews/_story.html", account=account, quarter=quarter,
                  r=gather(account, quarter, current_user, parts=(STORY,)))


@bp.route("/accounts/<int:account_id>/reviews/review.pdf")
@account_view()
def pdf(account):
    """The live review as a PDF download (A4 or Letter, ?lang= to pick the language)."""
    quarter = _quarter()
    _data, body = build_review(account, current_user, quarter, _paper(), request.args.get("lang"))
    return _pdf_response(body, review_filename(account.name, quarter))


def _pdf_response(body, name):
    resp = make_response(body)
    resp.headers["Content-Type"] = "application/pdf"
    resp.headers["Content-Disposition"] = content_disposition(name)
    return resp


@bp.route("/accounts/<int:account_id>/reviews/commentary", methods=["POST"])
@account_view()
def save_commentary(account):
    """Save the KAM's commentary in place; 409 with their version when a teammate saved first."""
    form = CommentaryForm()
    quarter = form.quarter.data if quarters.parse(form.quarter.data or "") else None
    conflict, error, status = None, None, 200
    if quarter is None:
        error, status = _("Choose a quarter such as 2026-Q3."), 422
    elif not form.validate():
        status = 422
    else:
        try:
            note = services.save_note(current_user, account, quarter, form.commentary.data or "",
                                      form.version.data or None)
            if not request.headers.get("HX-Request"):
                flash(_("Saved."))
                return redirect_to(url_for("reviews.preview", account_id=account.id, quarter=quarter))
            form = _commentary_form(account, quarter, note)
            form.saved = True
        except StaleEdit as exc:
            conflict, status = exc, 409
            form.version.data = exc.obj.version
        except services.ReviewError as exc:
            error, status = str(exc), 422
    note = services.note_for(account.id, quarter) if quarter else None
    return render("reviews/commentary_page.html", "reviews/_commentary.html", status=status, account=account,
                  form=form, quarter=quarter or quarters.current(), conflict=conflict, error=error, note=note)


def _priorities_answer(account, quarter, message=None, status=200, **forms):
    """htmx: the priorities region again; a plain post: back to the preview (no re-post on reload)."""
    if status < 400 and not request.headers.get("HX-Request"):
        flash(message)
        return redirect_to(url_for("reviews.preview", account_id=account.id, quarter=quarter) + "#review-priorities")
    page = _priority_ctx(account, quarter, **forms)
    page["priority_saved"] = message
    return render("reviews/priorities_page.html", "reviews/_priority_actions.html", status=status, **page)


@bp.route("/accounts/<int:account_id>/reviews/priorities")
@account_view()
def priorities(account):
    """Next quarter's priorities with the forms to choose or add one (loaded in place by the preview)."""
    return render("reviews/priorities_page.html", "reviews/_priority_actions.html",
                  **_priority_ctx(account, _quarter()))


def _posted_quarter():
    q = request.form.get("quarter", "")
    return q if quarters.parse(q) else None


@bp.route("/accounts/<int:account_id>/reviews/priorities", methods=["POST"])
@account_view()
def choose_priorities(account):
    """Make open actions of the plan next quarter's priorities."""
    quarter = _posted_quarter()
    if quarter is None:
        return _priorities_answer(account, quarters.current(), status=422,
                                  error=_("Choose a quarter such as 2026-Q3."))
    form = ChoosePrioritiesForm()
    form.action_ids.choices = [(row[0], "") for row in services.priority_candidates(
        account.id, quarters.shift(quarter, 1))]
    if not form.validate():
        return _priorities_answer(account, quarter, status=422, choose=form)
    try:
        items = services.choose_priorities(current_user, account, quarters.shift(quarter, 1), form.action_ids.data)
    except services.ReviewError as e:
        return _priorities_answer(account, quarter, status=422, choose=form, error=str(e))
    return _priorities_answer(account, quarter, ngettext("%(num)d priority added.", "%(num)d priorities added.",
                                                         len(items)))


@bp.route("/accounts/<int:account_id>/reviews/priorities/new", methods=["POST"])
@account_view()
def new_priority(account):
    """Add a new action to the plan as one of next quarter's priorities."""
    quarter = _posted_quarter()
    if quarter is None:
        return _priorities_answer(account, quarters.current(), status=422,
                                  error=_("Choose a quarter such as 2026-Q3."))
    form = _with_choices(NewPriorityForm(), account)
    if not form.validate():
        return _priorities_answer(account, quarter, status=422, new=form)
    try:
        services.new_priority(current_user, account, quarters.shift(quarter, 1), title=form.title.data,
                              owner_id=form.owner_id.data or None, due_on=form.due_on.data,
                              objective_id=form.objective_id.data or None)
    except services.ReviewError as e:
        return _priorities_answer(account, quarter, status=422, new=form, error=str(e))
    return _priorities_answer(account, quarter, _("Priority added to the plan."))


@bp.route("/accounts/<int:account_id>/reviews/priorities/<int:action_id>/drop", methods=["POST"])
@account_view()
def drop_priority(account, action_id):
    """Take an action off next quarter's priorities (it stays in the plan)."""
    from app.actions.models import ActionItem

    item = child_or_404(ActionItem, action_id, account)
    quarter = _posted_quarter() or quarters.current()
    if not EmptyForm().validate():
        return _priorities_answer(account, quarter, status=400, error=_("The form expired: reload the page."))
    services.drop_priority(current_user, account, item)
    return _priorities_answer(account, quarter, _("Taken off the priorities; it stays in the plan."))


@bp.route("/accounts/<int:account_id>/reviews/finalise", methods=["POST"])
@account_view(write="manage")
def finalise(account):
    """Freeze the quarter's review as a new version in the archive."""
    form = FinaliseForm()
    if not form.validate() or not quarters.parse(form.quarter.data or ""):
        ctx = _preview_ctx(account, quarters.current(), "a4")
        return render("reviews/preview.html", status=422, error=_("Choose a quarter such as 2026-Q3."), **ctx)
    quarter = form.quarter.data.strip()
    if not quarters.ended(quarter) and not form.early.data:
        ctx = _preview_ctx(account, quarter, form.paper.data if form.paper.data in PAPERS else "a4")
        return render("reviews/preview.html", status=422, **ctx, error=_(
            "%(quarter)s has not ended yet. Tick the box to finalise it early, or wait until %(day)s.",
            quarter=quarter, day=date_(quarters.bounds(quarter)[1] + timedelta(days=1), "medium")))
    final = services.finalise(current_user, account, quarter, form.paper.data, form.lang.data or None)
    flash(_("Review %(quarter)s finalised as version %(n)d.", quarter=final.quarter, n=final.number))
    return redirect_to(url_for("reviews.archive", account_id=account.id))


@bp.route("/accounts/<int:account_id>/reviews")
@account_view()
def archive(account):
    """Every finalised review of the account, with who finalised it and when."""
    return render("reviews/archive.html", account=account, finals=services.archive(account.id),
                  current=quarters.current())


@bp.route("/accounts/<int:account_id>/reviews/<int:final_id>.pdf")
@account_view()
def stored(account, final_id):
    """A finalised review: exactly the bytes stored when it was finalised."""
    final = child_or_404(FinalReview, final_id, account)
    return _pdf_response(services.stored_pdf(final), review_filename(account.name, final.quarter, final.number))


def section_context(account):
    """The overview card: the latest finalised reviews (one query) and this quarter."""
    finals = services.archive(account.id, limit=3)
    return {"finals": finals, "quarter": quarters.current()}


register_section("reviews", 60, "reviews/_section.html", section_context)


@bp.route("/reviews")
@login_required
def index():
    """The quarter's reviews of every account the user sees: state, preview, PDF, history, the ZIP export."""
    from app.reviews import index as review_index
    from app.reviews.forms import ExportForm

    quarter = _quarter()
    tier = request.args.get("tier", "")
    tier = tier if tier in TIERS else ""
    rows = review_index.rows(current_user, quarter, tier)
    export_form = ExportForm(formdata=None)
    export_form.quarter.data = quarter if quarter in dict(export_form.quarter.choices) else None
    return render("reviews/index.html", rows=rows, quarter=quarter, tier=tier, tiers=TIERS.choices,
                  counts=review_index.counts(rows), states=review_index.STATES,
                  quarter_choices=quarters.recent(8), ended=quarters.ended(quarter), export_form=export_form)
