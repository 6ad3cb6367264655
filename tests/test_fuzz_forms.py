"""Property-based: random and malformed values at every write route never give a 500,
and a refused request (4xx) leaves the database as it was.

Field names come from every FlaskForm in the app, so new forms join automatically.
"""
import datetime as dt

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.extensions import db
from tests.conftest import World, make_config
from tests.route_params import PARAMS, build

HOSTILE = ["<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --", "\x00", "𠜎𠜱𠝹", "-1", "0", "1e309",
           "NaN", "9" * 40, "", " ", "2026-02-30", "9999-12-31", "0001-01-01", "abc", "true", "[]"]


def _all_form_fields():
    names = set()
    stack = list(FlaskForm.__subclasses__())
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        for attr in dir(form):
            field = getattr(form, attr, None)
            if hasattr(field, "field_class"):
                names.add(attr)
    return sorted(names - {"csrf_token"})


values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.text(min_size=5000, max_size=6000),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)


def _write_rules():
    app = create_app(make_config("sqlite://"))
    return sorted({(r.endpoint, m) for r in app.url_map.iter_rules() if r.endpoint != "static"
                   for m in (r.methods or set()) - {"GET", "HEAD", "OPTIONS"}
                   if r.endpoint not in ("auth.logout", "auth.login_page")})


def _counts():
    """Every row of every table (the world is small): a refused request must change none."""
    return {t.name: [tuple(r) for r in db.session.execute(db.select(t).order_by(*t.primary_key.columns))]
            for t in db.metadata.sorted_tables}


@pytest.mark.parametrize(("endpoint", "method"), _write_rules())
def test_random_input_never_500_and_refusals_change_nothing(app, endpoint, method):
    world = World()
    build(world)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    from flask import url_for
    args = {a: (world.account.id if a == "account_id" else PARAMS[a](world, world.account))
            for a in rule.arguments}
    with app.test_request_context():
        url = url_for(endpoint, **args)
    client = app.test_client().login(world.users["admin"])
    fields = _all_form_fields()

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.dictionaries(st.sampled_from(fields), values, max_size=12),
           htmx=st.booleans())
    def check(data, htmx):
        db.session.expire_all()
        before = _counts()
        resp = client.open(url, method=method, data=data, headers={"HX-Request": "true"} if htmx else {})
        assert resp.status_code < 500, (endpoint, data, resp.status)
        if 400 <= resp.status_code < 500:
            db.session.expire_all()
            assert _counts() == before, (endpoint, data, resp.status)

    check()
