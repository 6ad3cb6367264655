"""GET /search?q=: the full results page, or the header's dropdown for htmx."""
from flask import request
from flask_login import current_user, login_required

from app.htmx import is_htmx, render
from app.search import bp, services
from app.search.present import HELPERS


@bp.route("/search")
@login_required
def page():
    """Results grouped by kind; htmx asks for the short dropdown version."""
    q = request.args.get("q", "")[:200]
    kind = request.args.get("kind") if request.args.get("kind") in services.KINDS else None
    dropdown = is_htmx()
    per_kind = services.DROPDOWN_PER_KIND if dropdown else services.KIND_PAGE if kind else services.PAGE_PER_KIND
    results = services.search(current_user, q, per_kind=per_kind, kind=None if dropdown else kind)
    return render("search/page.html", "search/_dropdown.html", results=results, kind=kind,
                  per_kind=per_kind, limit=services.CANDIDATES, **HELPERS)
