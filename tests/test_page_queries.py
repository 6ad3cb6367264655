"""Every page the benchmark measures runs the same, small number of queries as the data grows.

The same synthetic workspace as `python -m bench` (bench/data.py), at two small sizes so the
test stays fast: the measured KAM's accounts triple, and every account gets more contacts,
objectives, complaints and meetings. A page that starts querying per row fails here, with
its statements printed, long before anybody runs the benchmark.
"""
import re

import pytest

from app.auth.models import User
from app.extensions import db
from bench import data
from bench.__main__ import TARGET_QUERIES
from bench.pages import PAGES
from tests.querycount import count_queries

SMALL = dict(accounts=6, users=8, contacts=6, departments=3, objectives=2, actions=2,
             opportunities=2, complaints=3, meetings=3)
BIGGER = dict(accounts=18, users=14, contacts=14, departments=5, objectives=4, actions=3,
              opportunities=4, complaints=7, meetings=6)


def _measure(app, scale):
    """{page: (status, queries, statements)} for the bench user over a fresh workspace."""
    ctx = data.build(scale, reset=False)
    client = app.test_client()
    client.login(db.session.get(User, ctx.ids["users"][1]))
    out = {}
    for name, url_of in PAGES.items():
        url = url_of(ctx)
        client.get(url)  # warm-up: lazy snapshots, the home page's "last seen"
        with count_queries() as q:
            resp = client.get(url)
        out[name] = (resp.status_code, q.count, q.statements)
    return out


def _empty():
    from tests.snapshot import empty_tables

    db.session.remove()
    empty_tables()


@pytest.fixture
def both_scales(app):
    small = _measure(app, SMALL)
    _empty()
    bigger = _measure(app, BIGGER)
    return small, bigger


def _show(statements):
    return "\n".join(re.sub(r"\s+", " ", s)[:160] for s in statements)


def test_every_measured_page_runs_a_fixed_small_number_of_queries(both_scales):
    small, bigger = both_scales
    assert set(small) == set(PAGES)
    for name in PAGES:
        status, few, few_sql = small[name]
        status_big, many, many_sql = bigger[name]
        assert status == status_big == 200, (name, status, status_big)
        assert few == many, f"{name}: {few} queries, then {many} with more data\n{_show(many_sql)}"
        assert many <= TARGET_QUERIES, f"{name}: {many} queries (target {TARGET_QUERIES})\n{_show(many_sql)}"
