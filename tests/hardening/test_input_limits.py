"""Input the database can't hold answers 4xx, never 500: NUL bytes, over-long text, huge bodies.

Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL): PostgreSQL refuses NUL in text and
over-long values in varchar(n) columns, SQLite would store both; either way the answer must be
the same friendly 4xx, with what was typed kept where a form is shown again.
"""
import io

import pytest
from flask_wtf import FlaskForm

from app.extensions import db
from app.textlimits import ColumnLength, column_lengths, is_text_field
from tests.route_params import PARAMS, build

NUL = "a\x00b"


# --- NUL bytes ---------------------------------------------------------------------------------

NUL_REQUESTS = [
    ("GET", "/accounts?q=a%00b", None),
    ("GET", "/accounts?tier=%00", None),
    ("GET", "/complaints?status=%00", None),
    ("GET", "/portfolio/matrix?q=%00", None),
    ("GET", "/accounts?a%00b=1", None),
    ("POST", "/accounts/new", {"name": NUL}),
    ("POST", "/accounts/new", {"name": "Fine", "industry": "x\x00"}),
    ("POST", "/accounts/new", {"name\x00": "Fine"}),
    ("POST", "/admin/users", {"email": "n@example.com", "name": NUL, "password": "long-enough-1"}),
    ("POST", "/portfolio/criteria", {"name_en": NUL, "name_zh": "中", "weight": "10"}),
]


@pytest.mark.parametrize(("method", "url", "data"), NUL_REQUESTS, ids=[f"{m} {u} {d}" for m, u, d in NUL_REQUESTS])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nul_byte_anywhere_is_a_friendly_400(app, world, method, url, data, lang):
    admin = world.users["admin"]
    admin.language = lang
    db.session.commit()
    before = _rows()
    resp = app.test_client().login(admin).open(url, method=method, data=data)
    assert resp.status_code == 400, resp.status
    text = resp.get_data(as_text=True)
    assert ("invisible NUL character" in text) if lang == "en" else ("NUL" in text and "无法保存" in text)
    assert _rows() == before


def test_nul_in_an_uploaded_file_name_is_400(app, world):
    build(world)
    url = f"/accounts/{world.account.id}/stakeholders/import"
    resp = app.test_client().login(world.users["kam"]).post(
        url, data={"file": (io.BytesIO(b"name\nWang\n"), "contacts\x00.csv")}, content_type="multipart/form-data")
    assert resp.status_code == 400


def test_nul_in_an_htmx_request_is_a_short_message(app, world):
    resp = app.test_client().login(world.users["admin"]).get("/accounts?q=%00", headers={"HX-Request": "true"})
    assert resp.status_code == 400 and b"<html" not in resp.data and b"NUL" in resp.data


def _rows():
    db.session.expire_all()
    return {t.name: db.session.execute(db.select(db.func.count()).select_from(t)).scalar()
            for t in db.metadata.sorted_tables}


# --- body size ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_body_over_the_limit_is_a_friendly_413(app, world, lang):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    admin = world.users["admin"]
    admin.language = lang
    db.session.commit()
    resp = app.test_client().login(admin).post("/accounts/new", data={"name": "x" * (100 * 1024)})
    assert resp.status_code == 413
    text = resp.get_data(as_text=True)
    assert ("larger than the workspace takes" in text) if lang == "en" else ("太大" in text)
    assert "0.1 MB" in text or "0.06 MB" in text


def test_the_import_takes_a_larger_body(app, world):
    build(world)
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024, IMPORT_MAX_BYTES=1024 * 1024)
    url = f"/accounts/{world.account.id}/stakeholders/import"
    csv = ("name,title\n" + "Wang Wei,Engineer\n" * 5000).encode()  # ~90 KB: over the normal limit
    resp = app.test_client().login(world.users["kam"]).post(
        url, data={"file": (io.BytesIO(csv), "contacts.csv")}, content_type="multipart/form-data")
    assert resp.status_code != 413
    assert app.test_client().login(world.users["kam"]).post(
        f"/accounts/{world.account.id}/stakeholders/departments", data={"name": "x" * 100_000}).status_code == 413


def test_the_default_limit_is_a_few_mb():
    from config import Config
    assert 1 <= Config.MAX_CONTENT_LENGTH / 1024 / 1024 <= 10
    assert Config.IMPORT_MAX_BYTES > Config.MAX_CONTENT_LENGTH
    cfg = Config.from_env({"MAX_CONTENT_LENGTH_MB": "2", "IMPORT_MAX_MB": "20"})
    assert cfg["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024 and cfg["IMPORT_MAX_BYTES"] == 20 * 1024 * 1024


# --- text lengths come from the columns --------------------------------------------------------

NOT_STORED = {"SearchForm", "LoginForm", "PasswordForm", "FilterForm", "PortfolioFilterForm", "ImportForm",
              "ExportForm", "FinaliseForm"}


def _forms():
    stack, out = list(FlaskForm.__subclasses__()), []
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        if form.__module__.startswith("app."):
            out.append(form)
    return sorted(out, key=lambda f: (f.__module__, f.__name__))


def _text_fields(form):
    return [(name, getattr(form, name)) for name in dir(form)
            if hasattr(getattr(form, name, None), "field_class") and is_text_field(getattr(form, name))]


def test_every_stored_text_field_takes_its_limit_from_the_column(app):
    """A form with text fields says where they are stored (@limits_from), and each field's
    limit is its String column's length, stated, without a browser maxlength."""
    checked = 0
    for form in _forms():
        fields = _text_fields(form)
        if not fields or form.__name__ in NOT_STORED:
            continue
        models = getattr(form, "column_models", None)
        assert models, f"{form.__module__}.{form.__name__} has text fields but no @limits_from(Model)"
        lengths = column_lengths(*models)
        for name, unbound in fields:
            limits = [v for v in unbound.kwargs.get("validators") or [] if isinstance(v, ColumnLength)]
            assert len(limits) == 1, f"{form.__name__}.{name}: no ColumnLength"
            if name in lengths:
                assert limits[0].max == lengths[name], f"{form.__name__}.{name}: {limits[0].max} != column {lengths[name]}"
                checked += 1
    assert checked >= 40, checked


OVERLONG = [  # (route, page fields, field, column length)
    ("accounts.new", {}, "name", 200),
    ("accounts.edit", {}, "industry", 120),
    ("stakeholders.index", {}, "title", 120),
    ("stakeholders.contact", {}, "phone", 60),
    ("stakeholders.department", {}, "name", 120),
    ("stakeholders.leave", {}, "left_to", 200),
    ("auth.users", {"email": "new@example.com", "password": "long-enough-1"}, "title", 120),
    ("selection.criteria", {"name_zh": "中", "weight": "10"}, "name_en", 120),
    ("complaints.edit_channel", {}, "hours", 120),
    ("plans.swot_item", {}, "text", 500),
]


@pytest.mark.parametrize(("endpoint", "extra", "name", "limit"), OVERLONG, ids=[o[0] + "." + o[2] for o in OVERLONG])
def test_an_overlong_value_is_a_field_error_that_keeps_the_text(app, world, endpoint, extra, name, limit):
    from flask import url_for

    from tests.hardening.test_edit_forms import form_posting_to
    build(world)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {a: (world.account.id if a == "account_id" else PARAMS[a](world, world.account)) for a in rule.arguments}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    client = app.test_client().login(world.users["admin"])
    page = {"stakeholders.leave": url.rsplit("/leave", 1)[0], "plans.swot_item": url + "/edit"}.get(endpoint, url)
    fields = form_posting_to(client.get(page).get_data(as_text=True), url, page)
    typed = "长" * (limit - 3) + "end" + "x"  # one character over, wide characters too
    before = _rows()
    resp = client.post(url, data={**fields, **extra, name: typed})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422, (resp.status, text[:500])
    assert f"At most {limit} characters; this has {limit + 1}" in text
    assert typed in text, "the typed text is not kept"
    assert f'maxlength="{limit}"' not in text or f'data-maxlength="{limit}"' in text
    assert _rows() == before


def test_exactly_the_limit_is_stored_whole(app, world):
    from tests.hardening.test_edit_forms import form_posting_to
    client = app.test_client().login(world.users["admin"])
    fields = form_posting_to(client.get("/accounts/new").get_data(as_text=True), "/accounts/new", "/accounts/new")
    resp = client.post("/accounts/new", data={**fields, "name": "名" * 200})
    assert resp.status_code in (302, 303), resp.status
    from app.accounts.models import Account
    assert db.session.scalar(db.select(Account.name).where(Account.name.like("名%"))) == "名" * 200
