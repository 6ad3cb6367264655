"""The portfolio, the scoring matrix and its in-place score cells."""
from flask import abort, request, url_for
from flask_login import current_user, login_required

from app.access import account_view, can
from app.concurrency import StaleEdit
from app.extensions import db
from app.health.services import summaries as health_of
from app.htmx import is_htmx, redirect_to, render
from app.selection import bp, cells, charts, queries, services
from app.selection.forms import PortfolioFilterForm, ScoreForm
from app.selection.models import Criterion

bp.add_app_template_global(cells.row_cells, "row_cells")


@bp.route("/portfolio")
@login_required
def portfolio():
    """Accounts ranked by weighted score, the 2x2 and the Pareto curve, and who is due for review."""
    form = PortfolioFilterForm(request.args)
    form.validate()
    mine, due_only = request.args.get("mine") == "1", request.args.get("due") == "1"
    rows, criteria, due_days = queries.portfolio(current_user, tier=form.tier.data or "", mine=mine)
    quad = charts.quadrant(rows, charts.position_of([r.account.id for r in rows]))
    pareto = charts.pareto_chart(rows)
    due_count = sum(1 for r in rows if r.due)
    table = [r for r in rows if r.due] if due_only else rows
    health = health_of([r.account.id for r in table])
    if form.sort.data == "health":  # weakest first; not enough data to score in its own group last
        table = sorted(table, key=lambda r: (health[r.account.id][0].sort_key(), r.account.name))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    size = queries.PORTFOLIO_PAGE_SIZE
    page_rows = table[(page - 1) * size: page * size]
    kams = _kams([r.account.id for r in page_rows])
    return render("selection/portfolio.html", "selection/_portfolio.html", form=form, rows=page_rows,
                  total=len(table), page=page, page_size=size, kams=kams, quad=quad, pareto=pareto,
                  health=health, by_health=form.sort.data == "health",
                  criteria=[c for c in criteria if c.active], warning=services.active_count_warning(criteria),
                  due_days=due_days, due_count=due_count, mine=mine, due_only=due_only,
                  scored_count=sum(1 for r in rows if r.total is not None), all_count=len(rows))


def _kams(account_ids):
    from app.accounts.services import kams_by_account
    return kams_by_account(account_ids)


@bp.route("/portfolio/matrix")
@login_required
def matrix():
    """Score every visible account on every active criterion without leaving the page."""
    q = (request.args.get("q") or "").strip()[:100]
    mine = request.args.get("mine") == "1"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, criteria, total = queries.matrix(current_user, q=q, mine=mine, page=page)
    return render("selection/matrix.html", "selection/_matrix.html", rows=rows, criteria=criteria,
                  total=total, page=page, page_size=queries.MATRIX_PAGE_SIZE, q=q, mine=mine,
                  warning=services.active_count_warning(criteria) if len(criteria) < 3 else None)


def _criterion(criterion_id):
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None:
        abort(404)
    return criterion


def _cell_context(account, criterion, form=None, error=None, conflict=None):
    """What the cell templates need: the row (for the total) and, when editing, the form."""
    row, criteria = queries.matrix_row(account, user_can_score=can("write"))
    score = row.scores.get(criterion.id) or services.find_score(account.id, criterion.id)
    if form is None:
        form = ScoreForm(formdata=None, obj=score)
        form.version.data = score.version if score else 0
    return {"row": row, "criteria": criteria, "c": criterion, "form": form, "error": error,
            "conflict": conflict, "editing": criterion.id, "score": score}


@bp.route("/accounts/<int:account_id>/selection/scores/<int:criterion_id>/edit")
@account_view(read="write")
def edit_cell(account, criterion_id):
    """The cell as a small form (click a cell, type, save)."""
    criterion = _criterion(criterion_id)
    ctx = _cell_context(account, criterion)
    if not criterion.active:
        ctx["editing"] = None
    return render("selection/cell_page.html", "selection/_cell_form.html", account=account, **ctx)


@bp.route("/accounts/<int:account_id>/selection/scores/<int:criterion_id>", methods=["GET", "POST"])
@account_view()
def cell(account, criterion_id):
    """GET: the cell as shown (Cancel). POST: save the score, answer the fresh row."""
    criterion = _criterion(criterion_id)
    if request.method == "GET":
        ctx = _cell_context(account, criterion)
        ctx["editing"] = None
        return render("selection/cell_page.html", "selection/_cell.html", account=account, **ctx)
    form = ScoreForm()
    error = conflict = None
    if form.validate():
        try:
            services.set_score(current_user, account, criterion, form.value.data, form.note.data,
                               version=form.version.data or "0")
        except services.SelectionError as e:
            error = str(e)
        except StaleEdit as e:
            conflict = e
        else:
            if not is_htmx():
                return redirect_to(url_for("selection.matrix", _anchor=f"row-{account.id}"))
            ctx = _cell_context(account, criterion)
            ctx["editing"] = None
            return render("selection/cell_page.html", "selection/_matrix_row.html", account=account,
                          saved=criterion.id, **ctx)
    ctx = _cell_context(account, criterion, form=form, error=error, conflict=conflict)
    if not criterion.active:  # its column has gone: say so on the row
        ctx.update(editing=None, row_error=error)
    if conflict:  # saving again now knowingly replaces their score
        form.version.data = ctx["score"].version if ctx["score"] else 0
    return render("selection/cell_page.html", "selection/_matrix_row.html", status=409 if conflict else 422,
                  account=account, **ctx)


from app.selection import account_routes, admin  # noqa: E402,F401
