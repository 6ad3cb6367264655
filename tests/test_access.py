"""The access contract: every route, every write method, every role.

Account-scoped views declare their levels through `account_view`; admin pages
through `admin_required`. This walks `app.url_map` and checks each role gets
exactly what the design promises: admins everything, team members their
account, observers read only, outsiders 404, anonymous users the log-in page.
"""
import pytest

from app import create_app
from tests.conftest import ROLES, make_config
from tests.route_params import GLOBAL_PARAMS, PARAMS, build

PUBLIC = {"static", "auth.login_page", "auth.logout", "main.manifest", "main.service_worker", "main.offline",
          "notify.unsubscribe", "profile.feed"}  # the feed and the unsubscribe link: their token is the key
LEVEL_OF_ROLE = {"kam": "manage", "member": "write", "sponsor": "write", "observer": "read"}
LEVELS = ("read", "write", "manage")


def _cases():
    app = create_app(make_config("sqlite://"))
    cases = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                cases.append(pytest.param(rule.rule, rule.endpoint, method, role,
                                          id=f"{method} {rule.rule} as {role}"))
    return cases


def _url(app, endpoint, world, account):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for arg in rule.arguments:
        if arg == "account_id":
            values[arg] = account.id
        else:
            assert arg in PARAMS, f"tests/route_params.py needs a provider for <{arg}> ({rule.rule})"
            values[arg] = PARAMS[arg](world, account)
            assert values[arg] is not None, f"no object for <{arg}>: add a BUILDER"
    from flask import url_for
    with app.test_request_context():
        return url_for(endpoint, **values)


def expected(view, endpoint, method, role):
    """'in' (any answer but 403/404/5xx), 403, 404 or 'login'."""
    if endpoint in PUBLIC:
        return "in"
    if role == "anonymous":
        return "login"
    if getattr(view, "admin_only", False):
        return "in" if role == "admin" else 403
    levels = getattr(view, "account_access", None)
    if levels is None:
        return "in"
    if role == "admin":
        return "in"
    if role == "outsider":
        return 404
    need = levels["read"] if method == "GET" else levels["write"]
    return "in" if LEVELS.index(LEVEL_OF_ROLE[role]) >= LEVELS.index(need) else 403


def test_every_account_route_uses_the_access_check(app):
    """A rule with <account_id> whose view skips `account_view` would leak."""
    for rule in app.url_map.iter_rules():
        if "account_id" in rule.arguments:
            view = app.view_functions[rule.endpoint]
            assert hasattr(view, "account_access"), f"{rule.rule} does not use account_view"


@pytest.mark.parametrize(("rule", "endpoint", "method", "role"), _cases())
def test_route_access(app, world, as_role, rule, endpoint, method, role):
    build(world)
    url = _url(app, endpoint, world, world.account)
    client = as_role(role)
    resp = client.open(url, method=method, data={})
    want = expected(app.view_functions[endpoint], endpoint, method, role)
    if want == "login":
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], resp.status
    elif want == "in":
        assert resp.status_code < 500 and resp.status_code not in (403, 404, 405), resp.status
    else:
        assert resp.status_code == want, resp.status


def _object_rules():
    app = create_app(make_config("sqlite://"))
    return [pytest.param(r.endpoint, m, id=f"{m} {r.rule}")
            for r in app.url_map.iter_rules()
            if "account_id" in r.arguments and set(r.arguments) - {"account_id"} - GLOBAL_PARAMS
            for m in sorted((r.methods or set()) - {"HEAD", "OPTIONS"})]


@pytest.mark.parametrize(("endpoint", "method"), _object_rules())
def test_objects_of_another_account_are_404(app, world, as_role, endpoint, method):
    """Account B's object through account A's URL: 404, even for A's KAM and for admins."""
    build(world)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    from flask import url_for
    values = {"account_id": world.account.id}
    for arg in rule.arguments - {"account_id"}:
        values[arg] = PARAMS[arg](world, world.other if arg not in GLOBAL_PARAMS else world.account)
    with app.test_request_context():
        url = url_for(endpoint, **values)
    for role in ("kam", "admin"):
        resp = as_role(role).open(url, method=method, data={})
        assert resp.status_code == 404, (role, resp.status)


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_accounts_the_role_may_open(app, world, as_role, role):
    """/search (page and dropdown) links only into accounts the role can open; B's twin stays hidden."""
    import re

    build(world)  # both accounts have a contact 王建国 and an objective "Win the MES tender"
    client = as_role(role)
    a, b = world.account.id, world.other.id
    may_open = {"admin": {a, b}, "outsider": {b}, "anonymous": set()}.get(role, {a})
    for q in ("王建国", "wangjianguo", "MES tender"):
        for headers in ({}, {"HX-Request": "true"}):
            resp = client.get(f"/search?q={q}", headers=headers)
            if role == "anonymous":
                where = resp.headers.get("HX-Redirect" if headers else "Location", "")
                assert resp.status_code == (401 if headers else 302) and "/login" in where
                continue
            assert resp.status_code == 200
            html = resp.get_data(as_text=True)
            body = html.split('id="search-dropdown"', 1)[-1] if not headers else html
            linked = {int(x) for x in re.findall(r'href="/accounts/(\d+)/', body)}
            assert linked == may_open, (q, headers, linked)
