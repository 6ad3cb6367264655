"""Log-in throttling and security headers."""
from tests import factories


def attempt(client, email, password="wrong-password", addr="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def test_failures_for_one_email_from_one_address_are_refused_with_when_to_try_again(client):
    factories.make_user(email="kim@example.com")
    for _ in range(5):
        assert attempt(client, "kim@example.com").status_code == 422
    refused = attempt(client, "kim@example.com", password=factories.PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed log-ins for this e-mail. Try again in 1 minute." in refused.get_data(as_text=True)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert 'value="kim@example.com"' in refused.get_data(as_text=True)  # what was typed is kept


def test_other_peoples_failures_never_refuse_a_correct_password(client):
    """Behind one proxy everyone has one address: typos there must not lock out a colleague."""
    factories.make_user(email="kim@example.com")
    factories.make_user(email="ann@example.com")
    for i in range(40):  # many people mistyping from the office's one address
        attempt(client, f"typo{i}@example.com")
        attempt(client, "kim@example.com")
    assert attempt(client, "kim@example.com").status_code == 429
    assert attempt(client, "ann@example.com", password=factories.PASSWORD).status_code == 302
    client.post("/logout")
    # Someone elsewhere hammering Kim's e-mail does not lock Kim out either.
    assert attempt(client, "kim@example.com", password=factories.PASSWORD, addr="10.9.9.9").status_code == 302


def test_unknown_email_and_wrong_password_are_throttled_alike(client):
    factories.make_user(email="kim@example.com")
    for _ in range(5):
        attempt(client, "nobody@example.com", addr="10.0.1.1")
        attempt(client, "kim@example.com", addr="10.0.2.1")
    assert attempt(client, "nobody@example.com", addr="10.0.1.1").status_code == 429
    assert attempt(client, "kim@example.com", addr="10.0.2.1").status_code == 429
    assert attempt(client, "Kim@Example.com ", addr="10.0.2.1").status_code == 429  # same e-mail


def test_the_hourly_limit_holds_after_the_minute_passes(app, client, monkeypatch):
    import time as clock

    factories.make_user(email="kim@example.com")
    now = [clock.time()]
    monkeypatch.setattr("limits.storage.memory.time.time", lambda: now[0])
    monkeypatch.setattr("app.security.time.time", lambda: now[0])
    for _ in range(4):
        for _ in range(5):
            assert attempt(client, "kim@example.com").status_code == 422
        assert attempt(client, "kim@example.com").status_code == 429
        now[0] += 61
    refused = attempt(client, "kim@example.com", password=factories.PASSWORD)
    assert refused.status_code == 429 and "minutes." in refused.get_data(as_text=True)


def test_without_proxy_hops_a_forwarded_for_header_is_not_believed(client):
    factories.make_user(email="kim@example.com")
    for i in range(5):
        client.post("/login", data={"email": "kim@example.com", "password": "wrong"},
                    headers={"X-Forwarded-For": f"198.51.100.{i}"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    spoofed = client.post("/login", data={"email": "kim@example.com", "password": "wrong"},
                          headers={"X-Forwarded-For": "198.51.100.77"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert spoofed.status_code == 429


def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(app):
    from app import create_app
    from tests.conftest import CsrfClient, make_config

    app = create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_FIX_HOPS=1))
    app.test_client_class = CsrfClient
    with app.app_context():
        factories.make_user(email="kim@example.com")
        client = app.test_client()

        def via_proxy(client_addr, password="wrong"):
            return client.post("/login", data={"email": "kim@example.com", "password": password},
                               headers={"X-Forwarded-For": client_addr}, environ_base={"REMOTE_ADDR": "10.0.0.1"})

        for _ in range(5):
            assert via_proxy("203.0.113.5").status_code == 422
        assert via_proxy("203.0.113.5").status_code == 429
        assert via_proxy("203.0.113.6", password=factories.PASSWORD).status_code == 302


def test_proxy_hops_setting_is_read_from_the_environment():
    import pytest

    from config import Config

    assert Config.from_env({})["PROXY_FIX_HOPS"] == 0
    assert Config.from_env({"PROXY_FIX_HOPS": "2"})["PROXY_FIX_HOPS"] == 2
    for bad in ("yes", "-1", "99"):
        with pytest.raises(RuntimeError, match="PROXY_FIX_HOPS"):
            Config.from_env({"PROXY_FIX_HOPS": bad})


def test_an_unknown_email_fails_as_slowly_as_a_known_one(app):
    """Timing must not tell an attacker who has an account (real password hashes here)."""
    import statistics
    import time as clock

    from app.auth import services

    kim = factories.make_user(email="kim@example.com")
    kim.set_password(factories.PASSWORD)  # the app's own hashing, not the suite's cheap one
    gone = factories.make_user(email="gone@example.com", active=False)
    gone.set_password(factories.PASSWORD)
    from app.extensions import db
    db.session.commit()

    def timed(email, password="wrong-password"):
        t = clock.perf_counter()
        assert services.authenticate(email, password) is None
        return clock.perf_counter() - t

    services.authenticate("warm@example.com", "x")  # the dummy hash is made once, at first use
    # Interleaved rounds: a change in the machine's load (the suite runs on two workers) hits
    # all three alike instead of one of them.
    rounds = [(timed("kim@example.com"), timed("nobody@example.com"), timed("gone@example.com", factories.PASSWORD))
              for _ in range(7)]
    known, unknown, inactive = (statistics.median(r[i] for r in rounds) for i in range(3))
    assert unknown > 0.5 * known and inactive > 0.5 * known, (known, unknown, inactive)


def test_successful_logins_do_not_count(client):
    factories.make_user(email="kim@example.com")
    for _ in range(8):
        assert attempt(client, "kim@example.com", password=factories.PASSWORD).status_code == 302
        client.post("/logout")


def test_security_headers(client):
    resp = client.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in resp.headers


def test_hsts_over_https(client):
    resp = client.get("/login", base_url="https://localhost")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_limiter_adds_no_work_to_requests_it_does_not_limit(app, client):
    """No route carries a Flask-Limiter limit (log-ins are counted by hand, the tests above), so
    its per-request check and its response headers are not hooked in (issue 22); a marked route
    would keep them."""
    from app.security import _drop_idle_limiter_hooks, limiter

    assert limiter.enabled and not limiter._marked_for_limiting
    hooked = list(app.before_request_funcs[None]) + list(app.after_request_funcs[None])
    assert all(getattr(f, "__self__", None) is not limiter and getattr(f, "args", ())[:1] != (limiter,) for f in hooked)
    assert client.get("/login").status_code == 200

    class Fake:
        before_request_funcs = {None: [limiter._check_request_limit]}
        after_request_funcs = {None: []}

    limiter._marked_for_limiting.add("some.view")
    try:
        _drop_idle_limiter_hooks(Fake)
    finally:
        limiter._marked_for_limiting.discard("some.view")
    assert Fake.before_request_funcs[None] == [limiter._check_request_limit]
    _drop_idle_limiter_hooks(Fake)
    assert Fake.before_request_funcs[None] == []
