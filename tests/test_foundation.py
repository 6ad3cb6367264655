"""Foundation contracts: config, migrations, CSRF, htmx, languages, demo data, errors."""
import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from app.i18n import missing
from config import Config, TestConfig
from tests import factories
from tests.conftest import make_config


def test_refuses_to_start_without_a_real_secret_key():
    cfg = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(cfg)
    assert create_app({**cfg, "SECRET_KEY": "a" * 40}) is not None
    assert create_app({**cfg, "DEBUG": True}) is not None


def test_config_from_environment():
    cfg = Config.from_env({"SECRET_KEY": "s" * 40, "DATABASE_URL": "postgresql://u@h/db",
                           "DEFAULT_LANGUAGE": "zh", "HTTPS": "1"})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert cfg["BABEL_DEFAULT_LOCALE"] == "zh"
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert TestConfig.SESSION_COOKIE_HTTPONLY and TestConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_session_cookie_is_httponly_and_samesite(client):
    factories.make_user(email="kim@example.com")
    resp = client.post("/login", data={"email": "kim@example.com", "password": factories.PASSWORD})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_migrations_match_the_models(database_url, tmp_path):
    """`flask db upgrade` builds exactly the schema the models describe (nothing pending)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    if database_url.startswith("postgresql"):
        base, _, _ = database_url.rpartition("/")
        url = f"{base}/kam_migration_check"
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS kam_migration_check"))
            conn.execute(text("CREATE DATABASE kam_migration_check"))
        admin.dispose()
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(make_config(url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            from app.search.schema import include_name  # the FTS table / trigram indexes: by hand
            diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}),
                                    db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


# RFC 8058 one-click unsubscribe: mail clients POST without a session or token; a signed
# token in the URL is the proof (tests/notify/test_mail.py checks a bad token changes nothing).
CSRF_EXEMPT = {"notify.unsubscribe"}


def test_only_the_listed_routes_skip_csrf(app):
    exempt = {rule.endpoint for rule in app.url_map.iter_rules()
              if f"{app.view_functions[rule.endpoint].__module__}.{app.view_functions[rule.endpoint].__name__}"
              in csrf_exempt_views()}
    assert exempt == CSRF_EXEMPT


def csrf_exempt_views():
    from app.extensions import csrf

    return csrf._exempt_views


def test_writes_without_csrf_token_are_refused(app, world):
    """Every write route answers 400 without the token, for a plain post and for htmx."""
    from tests.route_params import build
    from tests.test_access import _url

    build(world)
    c = app.test_client().login(world.users["admin"])
    c.csrf = False
    refused = 0
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}
        if not methods or rule.endpoint == "static":
            continue
        if rule.endpoint in CSRF_EXEMPT:
            continue
        url = _url(app, rule.endpoint, world, world.account)
        for method in methods:
            for headers in ({}, {"HX-Request": "true"}):
                resp = c.open(url, method=method, data={"name": "x"}, headers=headers)
                assert resp.status_code == 400, (method, rule.rule, resp.status)
                refused += 1
    assert refused >= 10


def test_the_token_a_page_shows_is_the_one_its_forms_post(app, world):
    """Templates' csrf_token() answers from the request's token once made (app/templating.py): the
    header, the language switch and every row form of a list carry the one token, and it is
    accepted; a page in a later request carries a token that works too."""
    import re

    from app.actions.models import ActionItem

    for i in range(3):
        db.session.add(ActionItem(account_id=world.account.id, title=f"Row {i}", owner_id=world.users["kam"].id))
    db.session.commit()
    c = app.test_client().login(world.users["kam"])
    c.csrf = False
    for _ in range(2):
        body = c.get("/me/actions").get_data(as_text=True)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', body))
        tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', body))
        assert len(tokens) == 1 and body.count(next(iter(tokens))) >= 5
        resp = c.post("/language", data={"language": "en", "next": "/me/actions", "csrf_token": tokens.pop()})
        assert resp.status_code == 302
    assert c.post("/language", data={"language": "en", "csrf_token": "forged"}).status_code == 400


def test_every_ui_string_has_chinese():
    assert missing() == []


def test_language_follows_browser_then_user_choice(app):
    user = factories.make_user(email="kim@example.com")
    c = app.test_client().login(user)
    assert "我的客户" in c.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert "My accounts" in c.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    c.post("/language", data={"language": "zh", "next": "/accounts"})
    text = c.get("/accounts", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "新建客户" in text  # the user's choice beats the browser


def test_money_and_dates_follow_language(app, world):
    c = app.test_client().login(world.users["kam"])
    en = c.get(f"/accounts/{world.account.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    zh = c.get(f"/accounts/{world.account.id}", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "CN¥1,000,000" in en and "¥1,000,000" in zh
    assert "年" in zh  # Chinese date format on the team table


def test_error_pages_in_both_languages(app, world):
    c = app.test_client().login(world.users["outsider"])
    resp = c.get(f"/accounts/{world.account.id}", headers={"Accept-Language": "zh"})
    assert resp.status_code == 404 and "未找到" in resp.get_data(as_text=True)
    resp = c.get("/no-such-page")
    assert resp.status_code == 404 and "Not found" in resp.get_data(as_text=True)


def test_500_is_friendly(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    resp = app.test_client().get("/boom")
    assert resp.status_code == 500 and "Something went wrong" in resp.get_data(as_text=True)


def test_demo_data_is_believable_and_idempotent(app, runner):
    from app.accounts.models import Account
    from app.auth.models import User
    from app.team.models import Membership

    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    counts = [db.session.scalar(db.select(db.func.count(m.id))) for m in (User, Account, Membership)]
    assert counts[0] >= 7 and counts[1] >= 8
    again = runner.invoke(args=["demo-data"])
    assert "nothing changed" in again.output
    assert [db.session.scalar(db.select(db.func.count(m.id))) for m in (User, Account, Membership)] == counts
    loner = db.session.scalar(db.select(User).where(User.email == "liu.yang@example.com"))
    assert not db.session.scalar(db.select(Membership.id).where(Membership.user_id == loner.id,
                                                                 Membership.left_on.is_(None)))
