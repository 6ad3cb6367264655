"""Log in and out, passwords, deactivation, the admin's user pages, the CLI."""
from app.auth import services
from app.auth.models import User
from app.extensions import db
from tests import factories


def login_form(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def test_login_logout(client):
    factories.make_user("Kim", email="kim@example.com")
    resp = login_form(client, "KIM@example.com ", factories.PASSWORD)
    assert resp.status_code == 302
    assert client.get("/").status_code == 200
    resp = client.post("/logout")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/").status_code == 302


def test_wrong_password_same_message_as_unknown_email(client):
    factories.make_user(email="kim@example.com")
    bad_pw = login_form(client, "kim@example.com", "nope-nope")
    unknown = login_form(client, "nobody@example.com", "nope-nope")
    assert bad_pw.status_code == unknown.status_code == 422
    assert b"E-mail or password is not right." in bad_pw.data
    assert b"E-mail or password is not right." in unknown.data
    assert b'value="kim@example.com"' in bad_pw.data  # what was typed is kept


def test_next_parameter_only_follows_local_paths(client):
    factories.make_user(email="kim@example.com")
    resp = client.post("/login?next=https://evil.example/x",
                       data={"email": "kim@example.com", "password": factories.PASSWORD})
    assert resp.headers["Location"] == "/"
    client.post("/logout")
    resp = client.post("/login?next=/accounts",
                       data={"email": "kim@example.com", "password": factories.PASSWORD})
    assert resp.headers["Location"] == "/accounts"


def test_deactivated_user_cannot_log_in_and_existing_session_stops(app, client):
    admin = factories.make_user(is_admin=True)
    kim = factories.make_user(email="kim@example.com")
    kim_client = app.test_client()
    login_form(kim_client, "kim@example.com", factories.PASSWORD)
    assert kim_client.get("/").status_code == 200

    admin_client = app.test_client().login(admin)
    assert admin_client.post(f"/admin/users/{kim.id}/active").status_code == 302
    assert kim_client.get("/").status_code == 302  # the open session no longer works
    assert login_form(app.test_client(), "kim@example.com", factories.PASSWORD).status_code == 422

    admin_client.post(f"/admin/users/{kim.id}/active")  # reactivate
    assert login_form(app.test_client(), "kim@example.com", factories.PASSWORD).status_code == 302


def test_admin_cannot_deactivate_self(app):
    admin = factories.make_user(is_admin=True)
    c = app.test_client().login(admin)
    c.post(f"/admin/users/{admin.id}/active")
    assert db.session.get(User, admin.id).active


def test_change_password_logs_out_other_sessions(app):
    kim = factories.make_user(email="kim@example.com")
    a, b = app.test_client(), app.test_client()
    login_form(a, "kim@example.com", factories.PASSWORD)
    login_form(b, "kim@example.com", factories.PASSWORD)
    bad = a.post("/me/password", data={"current": "wrong-one", "new": "new-password-1", "confirm": "new-password-1"})
    assert bad.status_code == 422 and b"The current password is not right." in bad.data
    mismatch = a.post("/me/password", data={"current": factories.PASSWORD, "new": "new-password-1", "confirm": "other"})
    assert mismatch.status_code == 422 and b"The two new passwords differ." in mismatch.data
    ok = a.post("/me/password", data={"current": factories.PASSWORD, "new": "new-password-1", "confirm": "new-password-1"})
    assert ok.status_code == 302
    assert a.get("/").status_code == 200  # this session carries on
    assert b.get("/").status_code == 302  # the other one is out
    db.session.expire_all()
    assert db.session.get(User, kim.id).check_password("new-password-1")


def test_admin_creates_user_with_validation(app, hx):
    admin = factories.make_user(is_admin=True)
    c = app.test_client().login(admin)
    data = {"email": "new@example.com", "name": "李娜 Li Na", "title": "Rep", "seniority": "staff",
            "language": "zh", "password": "long-enough-1"}
    assert c.post("/admin/users", data=data).status_code == 302
    user = services.get_by_email("new@example.com")
    assert user.name == "李娜 Li Na" and user.language == "zh" and user.check_password("long-enough-1")
    dup = c.post("/admin/users", data=data, headers=hx)
    assert dup.status_code == 422 and b"already exists" in dup.data
    assert b'id="new-user"' in dup.data and b"<html" not in dup.data  # the fragment, input kept
    assert "李娜 Li Na" in dup.get_data(as_text=True)
    short = c.post("/admin/users", data={**data, "email": "x@example.com", "password": "short"})
    assert short.status_code == 422 and b"Use 8 to 200 characters." in short.data


def test_admin_edits_user(app):
    admin = factories.make_user(is_admin=True)
    kim = factories.make_user("Kim")
    c = app.test_client().login(admin)
    resp = c.post(f"/admin/users/{kim.id}", data={"email": kim.email, "name": "Kim Park", "title": "VP",
                                                  "seniority": "vp", "language": ""})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, kim.id).seniority == "vp"
    bad = c.post(f"/admin/users/{kim.id}", data={"email": "not-an-email", "name": "", "seniority": "vp"})
    assert bad.status_code == 422 and b"Enter a valid e-mail address." in bad.data


def test_non_admin_gets_403_on_user_admin(app):
    c = app.test_client().login(factories.make_user())
    assert c.get("/admin/users").status_code == 403


def test_cli_create_user(runner):
    result = runner.invoke(args=["create-user", "cli@example.com", "--name", "CLI User",
                                 "--password", "cli-password-1", "--admin"])
    assert result.exit_code == 0, result.output
    user = services.get_by_email("cli@example.com")
    assert user.is_admin and user.check_password("cli-password-1")
    again = runner.invoke(args=["create-user", "cli@example.com", "--name", "X", "--password", "cli-password-1"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_htmx_request_with_expired_session_gets_hx_redirect(client, hx):
    resp = client.get("/accounts", headers=hx)
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"] == "/login"
