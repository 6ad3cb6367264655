"""The virtual team: add in place, change role, leave (history kept), my accounts."""
from app.extensions import db
from app.team.models import Membership
from tests import factories


def test_kam_adds_member_in_place(app, world, hx):
    new = factories.make_user("王芳 Wang Fang")
    c = app.test_client().login(world.users["kam"])
    resp = c.post(f"/accounts/{world.account.id}/team", headers=hx,
                  data={"user_id": new.id, "role": "member", "function": "solutions"})
    assert resp.status_code == 200 and b"<html" not in resp.data
    assert "王芳 Wang Fang" in resp.get_data(as_text=True)
    m = db.session.scalar(db.select(Membership).where(Membership.user_id == new.id))
    assert (m.role, m.function, m.left_on) == ("member", "solutions", None)


def test_plain_post_redirects(app, world):
    new = factories.make_user()
    c = app.test_client().login(world.users["kam"])
    resp = c.post(f"/accounts/{world.account.id}/team", data={"user_id": new.id, "role": "member",
                                                               "function": "sales"})
    assert resp.status_code == 302


def test_adding_someone_twice_or_nobody_is_refused(app, world, hx):
    c = app.test_client().login(world.users["kam"])
    url = f"/accounts/{world.account.id}/team"
    twice = c.post(url, headers=hx, data={"user_id": world.users["member"].id, "role": "member", "function": "sales"})
    assert twice.status_code == 422  # not a candidate any more
    nobody = c.post(url, headers=hx, data={"user_id": "0", "role": "member", "function": "sales"})
    assert nobody.status_code == 422 and b"Choose a person." in nobody.data
    junk = c.post(url, headers=hx, data={"user_id": "abc", "role": "boss", "function": "sales"})
    assert junk.status_code == 422


def test_member_leaves_and_stays_in_history(app, world, hx):
    c = app.test_client().login(world.users["kam"])
    m = world.memberships["member"]
    resp = c.post(f"/accounts/{world.account.id}/team/{m.id}/leave", headers=hx)
    assert resp.status_code == 200
    assert "1 former member" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, m.id).left_on is not None
    # A member who left no longer sees the account.
    gone = app.test_client().login(world.users["member"])
    assert gone.get(f"/accounts/{world.account.id}").status_code == 404


def test_last_kam_cannot_leave_or_step_down(app, world, hx):
    c = app.test_client().login(world.users["admin"])
    kam = world.memberships["kam"]
    resp = c.post(f"/accounts/{world.account.id}/team/{kam.id}/leave", headers=hx)
    assert resp.status_code == 422 and b"needs a key-account manager" in resp.data
    resp = c.post(f"/accounts/{world.account.id}/team/{kam.id}", headers=hx,
                  data={"role": "member", "function": "sales"})
    assert resp.status_code == 422


def test_change_role(app, world, hx):
    c = app.test_client().login(world.users["kam"])
    m = world.memberships["observer"]
    resp = c.post(f"/accounts/{world.account.id}/team/{m.id}", headers=hx,
                  data={"role": "member", "function": "support"})
    assert resp.status_code == 200
    db.session.expire_all()
    assert db.session.get(Membership, m.id).role == "member"


def test_member_cannot_manage_team(app, world):
    c = app.test_client().login(world.users["member"])
    resp = c.post(f"/accounts/{world.account.id}/team", data={"user_id": world.users["outsider"].id,
                                                               "role": "member", "function": "sales"})
    assert resp.status_code == 403


def test_my_accounts_lists_every_team_of_mine(app, world):
    second = factories.make_account("Second 第二")
    factories.make_member(second, world.users["member"], role="observer")
    text = app.test_client().login(world.users["member"]).get("/me/accounts").get_data(as_text=True)
    assert world.account.name in text and "Second 第二" in text and world.other.name not in text


def test_team_page_full_and_fragment(app, world, hx):
    c = app.test_client().login(world.users["observer"])
    url = f"/accounts/{world.account.id}/team"
    assert b"<html" in c.get(url).data
    frag = c.get(url, headers=hx)
    assert b"<html" not in frag.data and b'id="team"' in frag.data
    assert b"add-member" not in frag.data  # observers see no add form
