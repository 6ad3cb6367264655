"""Accounts: create, edit with conflict detection, archive, list with search, overview."""
from decimal import Decimal

from app.accounts import services
from app.accounts.models import Account
from app.audit.models import AuditEvent
from app.extensions import db
from app.team.models import Membership
from tests import factories
from tests.querycount import queries_for

VALID = {"name": "远航汽车 Yuanhang", "industry": "Automotive", "region": "宁波", "website": "",
         "procurement_model": "distributed", "purchase_pattern": "recurring", "currency": "CNY",
         "revenue_this_year": "1200000", "revenue_last_year": "1000000", "margin_pct": "22.5",
         "payment_terms": "60 days", "credit_note": "", "tier": "key", "relationship_stage": "establish"}


def test_create_account_makes_creator_kam_and_audits(app):
    user = factories.make_user()
    c = app.test_client().login(user)
    resp = c.post("/accounts/new", data=VALID)
    assert resp.status_code == 302
    account = db.session.scalar(db.select(Account))
    assert account.name == "远航汽车 Yuanhang" and account.revenue_this_year == Decimal("1200000")
    m = db.session.scalar(db.select(Membership))
    assert (m.user_id, m.role) == (user.id, "kam")
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "Account")).action == "create"


def test_bad_input_is_422_with_messages_and_input_kept(app):
    c = app.test_client().login(factories.make_user())
    resp = c.post("/accounts/new", data={**VALID, "name": "", "revenue_this_year": "abc",
                                          "margin_pct": "150", "website": "not a url"})
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "This field is required." in text
    assert "Enter a margin from -100 to 100." in text
    assert "Enter a web address" in text
    assert 'value="宁波"' in text  # nothing typed is lost
    assert db.session.scalar(db.select(db.func.count(Account.id))) == 0


def test_edit_records_before_and_after(app, world):
    c = app.test_client().login(world.users["member"])
    a = world.account
    before = a.industry
    resp = c.post(f"/accounts/{a.id}/edit", data={**VALID, "name": a.name, "industry": "Rail 轨道交通",
                                                   "version": a.version})
    assert resp.status_code == 302
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.changes["industry"] == [before, "Rail 轨道交通"]
    assert event.actor_id == world.users["member"].id


def test_edit_cannot_move_the_tier_only_a_selection_review_can(app, world):
    """The tier moves with a promote/keep/demote decision and its reason, never as a form field."""
    from app.selection.models import SelectionDecision

    c = app.test_client().login(world.users["kam"])
    a = world.account
    page = c.get(f"/accounts/{a.id}/edit").get_data(as_text=True)
    assert 'name="tier"' not in page and 'id="tier-readonly"' in page and f"/accounts/{a.id}/selection\"" in page
    resp = c.post(f"/accounts/{a.id}/edit", data={**VALID, "name": a.name, "tier": "strategic",
                                                   "version": a.version})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Account, a.id).tier == "key"
    assert db.session.scalar(db.select(db.func.count(SelectionDecision.id))) == 0
    # A new account still starts at the tier chosen for it.
    assert 'name="tier"' in c.get("/accounts/new").get_data(as_text=True)


def test_two_teammates_editing_at_once_second_is_told_and_keeps_input(app, world):
    a = world.account
    first, second = app.test_client().login(world.users["kam"]), app.test_client().login(world.users["member"])
    version = a.version
    assert first.post(f"/accounts/{a.id}/edit", data={**VALID, "name": "Name by KAM",
                                                       "version": version}).status_code == 302
    resp = second.post(f"/accounts/{a.id}/edit", data={**VALID, "name": "Name by member",
                                                        "version": version})
    assert resp.status_code == 409
    text = resp.get_data(as_text=True)
    assert "Someone else saved this while you were editing." in text
    assert "Name by KAM" in text  # what the other person saved
    assert 'value="Name by member"' in text  # what this person typed
    db.session.expire_all()
    assert db.session.get(Account, a.id).name == "Name by KAM"
    # Saving again, knowingly, wins.
    import re
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', text).group(1)
    assert second.post(f"/accounts/{a.id}/edit", data={**VALID, "name": "Name by member",
                                                        "version": new_version}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Account, a.id).name == "Name by member"


def test_archive_and_restore(app, world):
    c = app.test_client().login(world.users["kam"])
    a = world.account
    c.post(f"/accounts/{a.id}/archive")
    db.session.expire_all()
    assert db.session.get(Account, a.id).archived_at is not None
    assert a.name not in c.get("/accounts").get_data(as_text=True)
    assert a.name in c.get("/accounts?archived=1").get_data(as_text=True)
    c.post(f"/accounts/{a.id}/archive")
    db.session.expire_all()
    assert db.session.get(Account, a.id).archived_at is None


def test_list_search_and_tier_filter_page_and_fragment(app, world, hx):
    factories.make_member(factories.make_account("Northwind 北风物流", tier="strategic"),
                          world.users["member"])
    c = app.test_client().login(world.users["member"])
    page = c.get("/accounts?q=北风")
    assert page.status_code == 200 and b"<html" in page.data
    assert "Northwind" in page.get_data(as_text=True) and world.account.name not in page.get_data(as_text=True)
    frag = c.get("/accounts?tier=key", headers=hx)
    assert b"<html" not in frag.data and b'id="account-list"' in frag.data
    assert world.account.name in frag.get_data(as_text=True) and "Northwind" not in frag.get_data(as_text=True)
    assert "HX-Request" in frag.headers["Vary"]
    boosted = c.get("/accounts", headers={**hx, "HX-Boosted": "true"})
    assert b"<html" in boosted.data  # boosted navigation gets the full page


def test_members_see_only_their_accounts_in_the_list(app, world):
    c = app.test_client().login(world.users["member"])
    text = c.get("/accounts").get_data(as_text=True)
    assert world.account.name in text and world.other.name not in text
    admin_text = app.test_client().login(world.users["admin"]).get("/accounts").get_data(as_text=True)
    assert world.other.name in admin_text


def test_overview_shows_team_and_timeline_in_fixed_queries(app, world):
    c = app.test_client().login(world.users["kam"])
    url = f"/accounts/{world.account.id}"
    resp, few = queries_for(c, url)
    assert resp.status_code == 200 and "Kim KAM" in resp.get_data(as_text=True)
    for i in range(15):
        factories.make_member(world.account, factories.make_user(f"Extra {i}"))
    resp, many = queries_for(c, url)
    assert "Extra 14" in resp.get_data(as_text=True)
    assert many == few


def test_list_queries_do_not_grow(app, world):
    c = app.test_client().login(world.users["admin"])
    _, few = queries_for(c, "/accounts")
    for i in range(60):
        a = factories.make_account(f"Bulk {i:02d}")
        factories.make_member(a, world.users["kam"], role="kam")
    resp, many = queries_for(c, "/accounts")
    assert many == few
    assert "Page 1 of 2" in resp.get_data(as_text=True)
    second = c.get("/accounts?page=2").get_data(as_text=True)
    assert "Bulk 59" in second and "Previous" in second
    # The count rides on the page's rows; a page past the end still knows how many there are.
    rows, total = services.search_accounts(world.users["admin"], page=1)
    assert total == db.session.scalar(db.select(db.func.count(Account.id)).where(Account.archived_at.is_(None)))
    assert services.search_accounts(world.users["admin"], page=2)[1] == total
    assert services.search_accounts(world.users["admin"], page=9) == ([], total)
    assert services.search_accounts(world.users["admin"], q="no such account") == ([], 0)
    kam = world.users["kam"]  # a member's few accounts: the count rides on the page
    mine = db.session.scalar(db.select(db.func.count(Membership.id)).where(
        Membership.user_id == kam.id, Membership.left_on.is_(None)))
    assert mine > 60 and services.search_accounts(kam)[1] == services.search_accounts(kam, page=2)[1] == mine
    assert services.search_accounts(kam, page=9) == ([], mine)
