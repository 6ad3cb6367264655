"""What the portfolio, the matrix and the account section read: a fixed number of queries each."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, func
from sqlalchemy.orm import joinedload

from app.accounts.models import Account
from app.accounts.services import visible_accounts
from app.auth.models import User
from app.extensions import db
from app.paging import counted_page
from app.selection import scoring
from app.selection.models import Criterion, Score, SelectionDecision, StageChange
from app.selection.services import list_criteria, review_due_days
from app.sqlin import among
from app.team.models import WRITE_ROLES, Membership
from app.timeutil import utcnow

MATRIX_PAGE_SIZE = 50
PORTFOLIO_PAGE_SIZE = 50


@dataclass
class PortfolioRow:
    """One ranked account of the portfolio."""

    account: Account
    total: float | None
    scored: int
    last_decided_at: datetime | None
    due: bool
    rank: int | None = None


@dataclass
class MatrixRow:
    """One account of the matrix: its scores by criterion id and its weighted total."""

    account: Account
    scores: dict = field(default_factory=dict)
    total: float | None = None
    missing: int = 0
    can_score: bool = False


class CellScore(NamedTuple):
    """What a matrix cell shows of a score: columns, not a Score and its User (a page has hundreds)."""

    account_id: int
    criterion_id: int
    value: int
    note: str
    scored_at: datetime | None
    scored_by_name: str | None


def cell_scores(*where):
    """The CellScores matching `where`, with the scorer's name (one query)."""
    return [CellScore(*r) for r in db.session.execute(
        db.select(Score.account_id, Score.criterion_id, Score.value, Score.note, Score.scored_at, User.name)
        .outerjoin(User, User.id == Score.scored_by_id).where(*where))]


def _totals(user=None):
    """Per account: sum of weight x score and the count over active criteria (SQL aggregate).

    With a user, only the accounts they may see are summed, not the whole workspace.
    """
    stmt = (db.select(Score.account_id.label("account_id"),
                      func.sum(Score.value * Criterion.weight).label("points"),
                      func.count(Score.id).label("scored"))
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Criterion.active.is_(True), Criterion.weight > 0))
    if user is not None and not user.is_admin:
        stmt = stmt.where(Score.account_id.in_(visible_accounts(user).with_only_columns(Account.id)))
    return stmt.group_by(Score.account_id).subquery()


def _last_decisions():
    return (db.select(SelectionDecision.account_id.label("account_id"),
                      func.max(SelectionDecision.decided_at).label("last_at"))
            .group_by(SelectionDecision.account_id).subquery())


def _mine(stmt, user):
    return stmt.where(Account.id.in_(db.select(Membership.account_id).where(
        Membership.user_id == user.id, Membership.left_on.is_(None))))


def portfolio(user, tier="", mine=False):
    """All visible live accounts ranked by weighted score (best first, unscored last).

    Returns (rows, criteria, due_days): one query for the criteria, one for the
    setting, one for the ranked accounts with their totals and last decision.
    """
    criteria = list_criteria()
    weights = scoring.active_weights(criteria)
    total_weight = sum(weights.values())
    due_days = review_due_days()
    totals, last = _totals(user), _last_decisions()
    stmt = (visible_accounts(user).where(Account.archived_at.is_(None))
            .add_columns(totals.c.points, totals.c.scored, last.c.last_at)
            .outerjoin(totals, totals.c.account_id == Account.id)
            .outerjoin(last, last.c.account_id == Account.id)
            .order_by(func.coalesce(totals.c.points, -1).desc(), Account.name, Account.id))
    if tier:
        stmt = stmt.where(Account.tier == tier)
    if mine:
        stmt = _mine(stmt, user)
    cutoff = utcnow() - timedelta(days=due_days)
    rows, rank, prev = [], 0, object()
    for i, (account, points, scored, last_at) in enumerate(db.session.execute(stmt), start=1):
        total = scoring.total_from_points(points, total_weight)
        if total != prev:  # ties share a rank (1, 2, 2, 4)
            rank, prev = i, total
        rows.append(PortfolioRow(account, total, scored or 0, last_at,
                                 due=last_at is None or last_at < cutoff,
                                 rank=rank if total is not None else None))
    return rows, criteria, due_days


def matrix(user, q="", mine=False, page=1):
    """One page of the scoring matrix (accounts by name) and what it needs to render.

    Four queries whatever the page size (five for an admin: app/paging.py): criteria, accounts
    with their count, scores, writable ids.
    """
    criteria = [c for c in list_criteria() if c.active]
    weights = scoring.active_weights(criteria)
    stmt = visible_accounts(user).where(Account.archived_at.is_(None))
    if mine:
        stmt = _mine(stmt, user)
    if q:
        stmt = stmt.where(func.lower(Account.name).like(f"%{q.strip().lower()}%"))
    # A member's accounts are few: their count rides on the page (app/paging.py).
    counted, total = counted_page(stmt.order_by(Account.name, Account.id), MATRIX_PAGE_SIZE,
                                  (max(page, 1) - 1) * MATRIX_PAGE_SIZE, few=not user.is_admin)
    accounts = [r[0] for r in counted]
    ids = [a.id for a in accounts]
    rows = {a.id: MatrixRow(a) for a in accounts}
    if ids and criteria:
        for s in cell_scores(among(Score.account_id, ids), Score.criterion_id.in_([c.id for c in criteria])):
            rows[s.account_id].scores[s.criterion_id] = s
    for a_id in writable_ids(user, ids):
        rows[a_id].can_score = True
    for row in rows.values():
        values = {c: s.value for c, s in row.scores.items()}
        row.total = scoring.weighted_total(values, weights)
        row.missing = len(scoring.missing(values, weights))
    return [rows[i] for i in ids], criteria, total


def writable_ids(user, account_ids):
    """The ids among `account_ids` the user may score (admins: all), in one query."""
    if user.is_admin:
        return list(account_ids)
    if not account_ids:
        return []
    return db.session.scalars(db.select(Membership.account_id).where(
        Membership.user_id == user.id, Membership.left_on.is_(None),
        Membership.role.in_(WRITE_ROLES), among(Membership.account_id, account_ids))).all()


def matrix_row(account, user_can_score=True):
    """The matrix row of one account (after a cell is saved): criteria and scores, two queries."""
    criteria = [c for c in list_criteria() if c.active]
    weights = scoring.active_weights(criteria)
    row = MatrixRow(account, can_score=user_can_score)
    for s in db.session.scalars(db.select(Score).options(joinedload(Score.scored_by)).where(
            Score.account_id == account.id)):  # objects: the edited cell's form reads its version
        if s.criterion_id in weights:
            row.scores[s.criterion_id] = s
    values = {c: s.value for c, s in row.scores.items()}
    row.total = scoring.weighted_total(values, weights)
    row.missing = len(scoring.missing(values, weights))
    return row, criteria


def account_total(account_id):
    """The account's weighted selection total 0-100, or None if unscored (one query)."""
    counted = (Criterion.active.is_(True), Criterion.weight > 0)
    points = (db.select(func.sum(Score.value * Criterion.weight)).join(Criterion, Criterion.id == Score.criterion_id)
              .where(Score.account_id == account_id, *counted).scalar_subquery())
    total_weight = db.select(func.sum(Criterion.weight)).where(*counted).scalar_subquery()
    points, total_weight = db.session.execute(db.select(points, total_weight)).one()
    return scoring.total_from_points(points, total_weight or 0)


@cache
def _account_selection_stmts(history):
    """account_selection's selects (scores, decisions, stage changes) on parameter account_id,
    built once a process: building and hashing them with their joined users cost more than
    running them (issue 22)."""
    account_id = bindparam("account_id")
    return (db.select(Score).options(joinedload(Score.scored_by)).where(Score.account_id == account_id),
            db.select(SelectionDecision).options(joinedload(SelectionDecision.decided_by))
            .where(SelectionDecision.account_id == account_id)
            .order_by(SelectionDecision.decided_at.desc(), SelectionDecision.id.desc()).limit(history),
            db.select(StageChange).options(joinedload(StageChange.changed_by))
            .where(StageChange.account_id == account_id)
            .order_by(StageChange.changed_at.desc(), StageChange.id.desc()).limit(history))


def account_selection(account, history=10):
    """The account's scores (inactive ones kept, not counted), decisions and stage history."""
    criteria = list_criteria()
    weights = scoring.active_weights(criteria)
    by_account = {"account_id": account.id}
    scores_stmt, decisions_stmt, stages_stmt = _account_selection_stmts(history)
    scores = {s.criterion_id: s for s in db.session.scalars(scores_stmt, by_account)}
    decisions = db.session.scalars(decisions_stmt, by_account).all()
    stages = db.session.scalars(stages_stmt, by_account).all()
    due_days = review_due_days()
    last_at = decisions[0].decided_at if decisions else None
    values = {c: s.value for c, s in scores.items()}
    return {
        "criteria": [c for c in criteria if c.active or c.id in scores],
        "scores": scores, "weights": weights,
        "total": scoring.weighted_total(values, weights),
        "missing": len(scoring.missing(values, weights)),
        "decisions": decisions, "stages": stages, "due_days": due_days,
        "due": last_at is None or last_at < utcnow() - timedelta(days=due_days),
    }
