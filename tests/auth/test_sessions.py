"""Sessions: renewed at log-in, and ended for good at log-out (a replayed cookie is refused).

Flask keeps the session in a signed cookie, so clearing it on log-out alone would let a copy
of the old cookie (stolen, or left in a shared browser's cache) keep working. Log-out therefore
bumps the user's session_version, which every session carries in its user id.
"""
from app.auth.models import User
from app.extensions import db
from tests import factories

COOKIE = "session"


def _cookie(client, name=COOKIE):
    c = client.get_cookie(name)
    return c.value if c else None


def _login(client, email):
    return client.post("/login", data={"email": email, "password": factories.PASSWORD})


def test_login_renews_the_session(app, client):
    factories.make_user(email="kim@example.com")
    client.get("/login")
    before = client.csrf_token()  # puts a CSRF token in the pre-login session
    with client.session_transaction() as sess:
        sess["planted"] = "by-an-attacker"
        old_token = sess["csrf_token"]
    pre_login_cookie = _cookie(client)
    assert _login(client, "kim@example.com").status_code == 302
    with client.session_transaction() as sess:
        assert "planted" not in sess, "values set before log-in must not survive it"
        assert sess.get("csrf_token") != old_token
        assert "_user_id" in sess
    assert _cookie(client) != pre_login_cookie
    # The pre-login cookie does not carry the log-in.
    fixated = app.test_client()
    fixated.set_cookie(COOKIE, pre_login_cookie)
    assert fixated.get("/").status_code == 302
    assert before  # (the token existed before log-in)


def test_logout_clears_the_cookie_and_a_replayed_cookie_does_not_work(app, client):
    factories.make_user(email="kim@example.com")
    assert _login(client, "kim@example.com").status_code == 302
    stolen = _cookie(client)
    assert client.get("/").status_code == 200

    resp = client.post("/logout")
    assert resp.status_code == 302
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    assert client.get("/").status_code == 302

    replay = app.test_client()
    replay.set_cookie(COOKIE, stolen)
    resp = replay.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert replay.get("/accounts").status_code == 302


def test_remember_me_cookie_is_also_dead_after_logout(app, client):
    factories.make_user(email="kim@example.com")
    client.post("/login", data={"email": "kim@example.com", "password": factories.PASSWORD,
                                "remember": "y"})
    remember = _cookie(client, "remember_token")
    assert remember
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert replay.get("/").status_code == 302


def test_logging_in_again_after_logout_works(app, client):
    user = factories.make_user(email="kim@example.com")
    _login(client, "kim@example.com")
    client.post("/logout")
    assert _login(client, "kim@example.com").status_code == 302
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == 2
