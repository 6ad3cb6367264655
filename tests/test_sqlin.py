"""`column IN ids` as one array on PostgreSQL, an expanded list elsewhere (app/sqlin.py)."""
import pytest
from sqlalchemy import event

from app.accounts.models import Account
from app.extensions import db
from app.health import services as health
from app.sqlin import among, in_ids
from tests.factories import make_account


@pytest.fixture
def accounts(app):
    with app.test_request_context():
        yield [make_account(name=f"数组 Array {i}") for i in range(4)]


@pytest.mark.parametrize("pick", [[], [0], [1, 3], [0, 1, 2, 3]])
def test_both_forms_select_exactly_the_ids_given(accounts, pick):
    ids = [accounts[i].id for i in pick] + [10_000_000]  # an id no account has
    dialect = db.engine.dialect.name
    bound = db.select(Account.id).where(in_ids(Account.id, "ids", dialect)).order_by(Account.id)
    assert db.session.scalars(bound, {"ids": ids}).all() == sorted(a.id for a in (accounts[i] for i in pick))
    inline = db.select(Account.id).where(among(Account.id, ids)).order_by(Account.id)
    assert db.session.scalars(inline).all() == sorted(a.id for a in (accounts[i] for i in pick))
    assert db.session.scalars(db.select(Account.id).where(among(Account.id, []))).all() == []


def _statements(run):
    seen = []

    def note(_conn, _cursor, statement, params, _context, _many):
        seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return seen


def test_the_health_union_is_one_short_statement_for_any_number_of_accounts_on_postgresql(accounts):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no arrays and expands the list")
    one = _statements(lambda: health.health_for([accounts[0].id]))
    four = _statements(lambda: health.health_for([a.id for a in accounts]))
    union_one = [s for s in one if "UNION ALL" in s[0]]
    union_four = [s for s in four if "UNION ALL" in s[0]]
    assert len(union_one) == len(union_four) == 1
    assert union_one[0][0] == union_four[0][0], "a new number of accounts must not be a new statement"
    assert sorted(union_four[0][1]["ids"]) == sorted(a.id for a in accounts)  # one array parameter
