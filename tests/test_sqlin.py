"""`column IN ids`: one array on PostgreSQL past a few ids, a list of parameters otherwise (app/sqlin.py)."""
import pytest
from sqlalchemy import event

from app.accounts.models import Account
from app.extensions import db
from app.health import services as health
from app.sqlin import FEW_IDS, among, as_array, in_ids
from tests.factories import make_account


@pytest.fixture
def accounts(app):
    with app.test_request_context():
        yield [make_account(name=f"数组 Array {i}") for i in range(FEW_IDS + 4)]


def _forms():
    return [False, True] if db.engine.dialect.name == "postgresql" else [False]


@pytest.mark.parametrize("pick", [[], [0], [1, 3], list(range(FEW_IDS + 4))])
def test_every_form_selects_exactly_the_ids_given(accounts, pick):
    ids = [accounts[i].id for i in pick] + [10_000_000]  # an id no account has
    want = sorted(accounts[i].id for i in pick)
    for array in _forms():
        bound = db.select(Account.id).where(in_ids(Account.id, "ids", array)).order_by(Account.id)
        assert db.session.scalars(bound, {"ids": ids}).all() == want, array
    inline = db.select(Account.id).where(among(Account.id, ids)).order_by(Account.id)
    assert db.session.scalars(inline).all() == want
    assert db.session.scalars(db.select(Account.id).where(among(Account.id, []))).all() == []


def test_an_array_only_on_postgresql_and_past_a_few_ids(app):
    postgres = db.engine.dialect.name == "postgresql"
    assert not as_array(1) and not as_array(FEW_IDS)
    assert as_array(FEW_IDS + 1) == postgres


def _unions(run):
    seen = []

    def note(_conn, _cursor, statement, params, _context, _many):
        if "UNION ALL" in statement:
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(seen) == 1
    return seen[0]


def test_the_health_union_is_one_statement_for_any_number_of_accounts_past_a_few(accounts):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no arrays and expands the list")
    some = _unions(lambda: health.health_for([a.id for a in accounts[:FEW_IDS + 1]]))
    more = _unions(lambda: health.health_for([a.id for a in accounts]))
    assert some[0] == more[0], "a new number of accounts must not be a new statement"
    assert sorted(more[1]["ids"]) == sorted(a.id for a in accounts)  # one array parameter
    one = _unions(lambda: health.health_for([accounts[0].id]))
    assert "ids" not in one[1] and one[0] != some[0]  # one account: a parameter of its own
