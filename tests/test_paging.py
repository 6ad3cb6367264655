"""One page and the whole list's count: in one statement for a few rows, apart for many (app/paging.py)."""
import pytest

from app.accounts.models import Account
from app.extensions import db
from app.paging import counted_page
from tests.factories import make_account
from tests.querycount import count_queries


@pytest.fixture
def accounts(app):
    with app.test_request_context():
        yield [make_account(name=f"分页 Page {i:02d}") for i in range(7)]


@pytest.mark.parametrize("few", [True, False])
def test_both_ways_give_the_same_pages_and_count(accounts, few):
    stmt = db.select(Account.id, Account.name).where(Account.name.like("%Page%")).order_by(Account.name)
    want = [(a.id, a.name) for a in accounts]
    pages = []
    for offset in (0, 3, 6, 9):
        with count_queries() as q:
            rows, total = counted_page(stmt, 3, offset, few=few)
        pages.append([tuple(r) for r in rows])
        assert total == 7
        # A window answers both at once; a page past the end (or the many-rows way) counts apart.
        assert q.count == (1 if few and offset < 7 else 2)
    assert pages == [want[0:3], want[3:6], want[6:], []]


def test_an_empty_list_is_one_statement(accounts):
    stmt = db.select(Account.id).where(Account.name == "no such account").order_by(Account.id)
    with count_queries() as q:
        assert counted_page(stmt, 3, 0, few=True) == ([], 0)
    assert q.count == 1
