"""Every save says it saved, the same way: a flash after a plain post, an HX-Trigger for htmx."""
import json


def _trigger(resp):
    return json.loads(resp.headers.get("HX-Trigger", "{}")).get("kam:saved", {}).get("message", "")


def test_team_member_added_says_so_for_htmx_and_plain_posts(world, as_role, hx):
    from tests import factories

    kam = as_role("kam")
    newbie = factories.make_user("新人 New Person")
    url = f"/accounts/{world.account.id}/team"
    resp = kam.post(url, data={"user_id": newbie.id, "role": "member", "function": "sales"}, headers=hx)
    assert resp.status_code == 200 and _trigger(resp) == "Team member added."
    other = factories.make_user("Second Person")
    plain = kam.post(url, data={"user_id": other.id, "role": "member", "function": "sales"}, follow_redirects=True)
    assert "Team member added." in plain.get_data(as_text=True)


def test_a_refused_save_says_nothing(world, as_role, hx):
    resp = as_role("kam").post(f"/accounts/{world.account.id}/team", data={"user_id": "", "role": "x"}, headers=hx)
    assert resp.status_code == 422 and "kam:saved" not in resp.headers.get("HX-Trigger", "")
