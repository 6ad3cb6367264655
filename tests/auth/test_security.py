"""Log-in throttling and security headers."""
from tests import factories


def attempt(client, email, password="wrong-password", addr="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def test_repeated_failures_for_one_email_are_refused_even_from_many_addresses(client):
    factories.make_user(email="kim@example.com")
    for i in range(5):
        assert attempt(client, "kim@example.com", addr=f"10.0.0.{i}").status_code == 422
    refused = attempt(client, "kim@example.com", password=factories.PASSWORD, addr="10.0.0.99")
    assert refused.status_code == 429
    assert b"Too many failed log-ins" in refused.data
    # Another person's log-in is not affected.
    factories.make_user(email="ann@example.com")
    assert attempt(client, "ann@example.com", password=factories.PASSWORD, addr="10.0.0.50").status_code == 302


def test_repeated_failures_from_one_address_are_refused(client):
    for i in range(5):
        assert attempt(client, f"guess{i}@example.com").status_code == 422
    assert attempt(client, "another@example.com").status_code == 429


def test_unknown_email_and_wrong_password_are_throttled_alike(client):
    factories.make_user(email="kim@example.com")
    for _ in range(5):
        attempt(client, "nobody@example.com", addr="10.0.1.1")
        attempt(client, "kim@example.com", addr="10.0.2.1")
    assert attempt(client, "nobody@example.com", addr="10.0.1.9").status_code == 429
    assert attempt(client, "kim@example.com", addr="10.0.2.9").status_code == 429


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
