"""The virtual team: add in place, change role, leave (history kept), my accounts."""
from urllib.parse import unquote

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


def _people(n):
    return [factories.make_user(f"{name} {i}", email=f"{name.split()[-1].lower()}{i}@example.com")
            for i, name in enumerate(["张伟 Zhang Wei", "李娜 Li Na", "陈静 Chen Jing", "赵磊 Zhao Lei",
                                      "周敏 Zhou Min"][:n])]


def test_add_form_lists_everyone_when_the_workspace_is_small(app, world):
    """Few people: a plain select of every candidate, no find box."""
    text = app.test_client().login(world.users["kam"]).get(f"/accounts/{world.account.id}").get_data(as_text=True)
    assert "Otto Outsider" in text and 'form="team-find"' not in text and "More people" not in text
    assert "Mo Member ·" not in text  # already on the team


def test_add_form_finds_people_beyond_the_first_ones(app, world, hx, monkeypatch):
    """A large workspace: the select shows the first CANDIDATES_SHOWN by name and says there are
    more; the find box (htmx, or a plain GET of the team page) narrows by name, title or email;
    a person found that way can be added, and a refused form keeps them chosen."""
    from app.team import services

    monkeypatch.setattr(services, "CANDIDATES_SHOWN", 3)
    people = _people(5)
    c = app.test_client().login(world.users["kam"])
    overview = c.get(f"/accounts/{world.account.id}").get_data(as_text=True)
    assert overview.count('<option value="') - overview.count('<option value="" disabled') >= 4  # "—" + 3
    assert "More people: type a name above to find them" in overview
    assert 'form="team-find"' in overview and 'id="team-find"' in overview
    shown, more = services.candidates(world.account.id)
    assert more and len(shown) == 3
    hidden = next(p for p in people if p.id not in {r.id for r in shown})
    assert f">{hidden.name} ·" not in overview  # past the first three by name
    word = hidden.name.split()[1].lower()  # "zhou", say

    found = c.get(f"/accounts/{world.account.id}/team/people?q={word}", headers=hx).get_data(as_text=True)
    assert f'<option value="{hidden.id}"' in found and hidden.name in found
    assert all(p.name not in found for p in people if p is not hidden) and "More people" not in found
    by_email = c.get(f"/accounts/{world.account.id}/team/people?q={hidden.email}", headers=hx).get_data(as_text=True)
    assert hidden.name in by_email and by_email.count("<option") == 2
    nobody = c.get(f"/accounts/{world.account.id}/team/people?q=100%25_", headers=hx).get_data(as_text=True)
    assert "Nobody found" in nobody  # % and _ are literal
    chinese = hidden.name.split()[0]
    plain = c.get(f"/accounts/{world.account.id}/team?q={chinese}").get_data(as_text=True)
    assert hidden.name in plain and f'value="{chinese}"' in plain
    opened = c.get(f"/accounts/{world.account.id}/team/people?q={chinese}")  # not from htmx: the team page
    assert opened.status_code == 302 and unquote(opened.location).endswith(f"/team?q={chinese}")

    refused = c.post(f"/accounts/{world.account.id}/team", headers=hx,
                     data={"user_id": hidden.id, "role": "boss", "function": "sales"})
    assert refused.status_code == 422
    assert f'<option value="{hidden.id}" selected>' in refused.get_data(as_text=True)
    added = c.post(f"/accounts/{world.account.id}/team", headers=hx,
                   data={"user_id": hidden.id, "role": "member", "function": "sales"})
    assert added.status_code == 200
    assert db.session.scalar(db.select(Membership.id).where(Membership.user_id == hidden.id))


def test_only_managers_list_people(app, world):
    c = app.test_client().login(world.users["member"])
    assert c.get(f"/accounts/{world.account.id}/team/people?q=o").status_code == 403
    out = app.test_client().login(world.users["outsider"])
    assert out.get(f"/accounts/{world.account.id}/team/people?q=o").status_code == 404
