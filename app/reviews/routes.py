"""Account review views: preview, live PDF, priorities in place, finalise, the archive, stored copies."""
from datetime import timedelta

from flask import flash, make_response, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access import account_view, child_or_404
from app.accounts.sections import register_section
from app.concurrency import StaleEdit
from app.htmx import redirect_to, render
from app.reviews import bp, quarters, services
from app.reviews.data import MAIN, RELATIONS, STORY, gather
from app.reviews.forms import FinaliseForm, PrioritiesForm
from app.reviews.models import FinalReview
from app.reviews.names import content_disposition, review_filename
from app.reviews.pdf import PAPERS, build_review
from app.vocab import TIERS


def _quarter():
    """The quarter asked for, else the current one."""
    q = request.args.get("quarter", "")
    return q if quarters.parse(q) else quarters.current()


def _paper():
    p = request.args.get("paper", "a4")
    return p if p in PAPERS else "a4"


def _priorities_form(account, quarter, note=None, formdata=None):
    """The priorities form, filled from the stored note unless a submission is given."""
    form = PrioritiesForm(formdata=formdata)
    if formdata is None:
        form.priorities.data = note.priorities if note else ""
        form.commentary.data = note.commentary if note else ""
        form.version.data = note.version if note else ""
    form.quarter.data = quarter
    return form


def _preview_ctx(account, quarter, paper):
    """Everything the preview page shows."""
    note = services.note_for(account.id, quarter)
    finals = services.archive(account.id, quarter)
    return {"account": account, "quarter": quarter,
            "r": gather(account, quarter, current_user, note=note, parts=(MAIN,)),
            "relations_url": url_for("reviews.relations", account_id=account.id, quarter=quarter),
            "story_url": url_for("reviews.story", account_id=account.id, quarter=quarter),
            "paper": paper, "quarter_choices": quarters.recent(8), "finals": finals,
            "form": _priorities_form(account, quarter, note), "note": note,
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


@bp.route("/accounts/<int:account_id>/reviews/priorities", methods=["POST"])
@account_view()
def save_priorities(account):
    """Save next quarter's priorities in place; 409 with their version when a teammate saved first."""
    form = PrioritiesForm()
    quarter = form.quarter.data if quarters.parse(form.quarter.data or "") else None
    conflict, error, status = None, None, 200
    if quarter is None:
        error, status = _("Choose a quarter such as 2026-Q3."), 422
    elif not form.validate():
        status = 422
    else:
        try:
            note = services.save_priorities(current_user, account, quarter, form.priorities.data,
                                            form.version.data or None, commentary=form.commentary.data or "")
            if not request.headers.get("HX-Request"):
                flash(_("Saved."))
                return redirect_to(url_for("reviews.preview", account_id=account.id, quarter=quarter))
            form = _priorities_form(account, quarter, note)
            form.saved = True
        except StaleEdit as exc:
            conflict, status = exc, 409
            form.version.data = exc.obj.version
        except services.ReviewError as exc:
            error, status = str(exc), 422
    note = services.note_for(account.id, quarter) if quarter else None
    return render("reviews/priorities_page.html", "reviews/_priorities.html", status=status, account=account,
                  form=form, quarter=quarter or quarters.current(), conflict=conflict, error=error, note=note)


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
            quarter=quarter, day=format_date(quarters.bounds(quarter)[1] + timedelta(days=1), "medium")))
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
