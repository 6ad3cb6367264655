"""The nav's Sponsor link: only for a sponsor, or someone who owns a decision-maker (issue 22).

The flag is read with the session user in one statement; its pairing subquery once named the
"user" table again without correlating it, so every member saw the link."""
from datetime import date

from app.auth.services import load_session_user
from app.extensions import db
from app.stakeholders.models import Contact, Coverage
from tests import factories


def _flag(user):
    return load_session_user(user.get_id()).flags["sponsor"]


def test_a_plain_member_sees_no_sponsor_link(world, as_role):
    # Someone else owns a decision-maker of the account: that must not make the member a sponsor.
    boss = Contact(account_id=world.account.id, name="王总 Wang", seniority="c_level", buying_role="economic_buyer")
    db.session.add(boss)
    db.session.flush()
    db.session.add(Coverage(account_id=world.account.id, user_id=world.users["kam"].id, contact_id=boss.id))
    db.session.commit()
    assert _flag(world.users["member"]) is False
    page = as_role("member").get("/")
    assert page.status_code == 200 and b'href="/sponsor"' not in page.data
    assert _flag(world.users["sponsor"]) is True  # the sponsor role
    assert _flag(world.users["kam"]) is True  # owns a decision-maker
    assert b'href="/sponsor"' in as_role("sponsor").get("/").data


def test_an_ended_pairing_or_a_left_team_gives_no_link(world):
    rep = factories.make_user("Rita Rep")
    factories.make_member(world.account, rep, role="member")
    boss = Contact(account_id=world.account.id, name="CFO", seniority="c_level")
    db.session.add(boss)
    db.session.flush()
    pairing = Coverage(account_id=world.account.id, user_id=rep.id, contact_id=boss.id)
    db.session.add(pairing)
    db.session.commit()
    assert _flag(rep) is True
    pairing.ended_on = date.today()
    db.session.commit()
    assert _flag(rep) is False
