"""The gap rules and the matching rule, on plain rows: no database, no request."""
from datetime import date, timedelta
from types import SimpleNamespace as Row

import pytest

from app.stakeholders.gaps import breaks_level_rule, find_gaps, is_decision_maker, is_senior_enough

TODAY = date(2026, 11, 22)


def contact(id, **kw):
    base = dict(id=id, name=f"C{id}", status="active", buying_role=None, seniority="staff",
                influence="medium", attitude="neutral", last_contacted_on=TODAY, department_id=None)
    base.update(kw)
    return Row(**base)


def user(id, seniority="staff"):
    return Row(id=id, name=f"U{id}", seniority=seniority)


def pair(id, user_id, contact_id=None, department_id=None, level="credible", ended_on=None):
    return Row(id=id, user_id=user_id, contact_id=contact_id, department_id=department_id,
               current_level=level, ended_on=ended_on)


def codes(gaps):
    return [g.code for g in gaps]


pytestmark = pytest.mark.usefixtures("request_ctx")


@pytest.fixture
def healthy():
    """An account with no gaps: economic buyer covered by a VP, a coach, three warm threads."""
    contacts = [contact(1, buying_role="economic_buyer", seniority="c_level", influence="high"),
                contact(2, buying_role="coach"), contact(3, attitude="supporter")]
    depts = [Row(id=10, name="Procurement")]
    users = {1: user(1, "vp"), 2: user(2, "staff")}
    pairings = [pair(1, 1, contact_id=1), pair(2, 2, contact_id=2), pair(3, 2, contact_id=3),
                pair(4, 2, department_id=10)]
    return contacts, depts, pairings, users, {1, 2}


def test_healthy_account_has_no_gaps(app, healthy):
    assert find_gaps(*healthy, TODAY) == []


def test_matching_rule():
    assert is_decision_maker(contact(1, buying_role="economic_buyer"))
    assert is_decision_maker(contact(1, seniority="vp"))
    assert is_decision_maker(contact(1, seniority="c_level"))
    assert not is_decision_maker(contact(1, seniority="director", buying_role="technical_buyer"))
    assert is_senior_enough(user(1, "director")) and not is_senior_enough(user(1, "manager"))
    assert breaks_level_rule(contact(1, seniority="vp"), user(1, "manager"))
    assert not breaks_level_rule(contact(1, seniority="vp"), user(1, "director"))
    assert not breaks_level_rule(contact(1, seniority="manager"), user(1, "staff"))


def test_decision_maker_without_executive(app, healthy):
    contacts, depts, pairings, users, team = healthy
    pairings[0] = pair(1, 2, contact_id=1)  # a staff rep on the economic buyer
    gaps = find_gaps(contacts, depts, pairings, users, team, TODAY)
    assert codes(gaps) == ["no_exec_owner"]
    assert "covered only by U2" in gaps[0].sentence and gaps[0].subject_id == 1
    gaps = find_gaps(contacts, depts, pairings[1:], users, team, TODAY)
    assert "no executive owner" in gaps[0].sentence


def test_department_with_nobody(app, healthy):
    contacts, depts, pairings, users, team = healthy
    gaps = find_gaps(contacts, depts + [Row(id=11, name="Quality")], pairings, users, team, TODAY)
    assert codes(gaps) == ["department_uncovered"] and "Quality" in gaps[0].sentence


def test_stale_high_influence_contact(app, healthy):
    contacts, *rest = healthy
    contacts[0].last_contacted_on = TODAY - timedelta(days=91)
    gaps = find_gaps(contacts, *rest, TODAY)
    assert codes(gaps) == ["stale_contact"] and "91 days" in gaps[0].sentence
    contacts[0].last_contacted_on = TODAY - timedelta(days=90)
    assert find_gaps(contacts, *rest, TODAY) == []
    contacts[0].last_contacted_on = None
    assert "never been contacted" in find_gaps(contacts, *rest, TODAY)[0].sentence


def test_single_threaded(app, healthy):
    contacts, depts, pairings, users, team = healthy
    pairings[2] = pair(3, 2, contact_id=3, level="acquainted")
    gaps = find_gaps(contacts, depts, pairings, users, team, TODAY)
    assert codes(gaps) == ["single_threaded"] and "Only 2" in gaps[0].sentence
    # Two pairings on one contact still count once; an ended pairing does not count.
    pairings[2] = pair(3, 1, contact_id=2, level="trusted_advisor")
    pairings.append(pair(5, 2, contact_id=3, level="trusted_advisor", ended_on=TODAY))
    assert codes(find_gaps(contacts, depts, pairings, users, team, TODAY)) == ["single_threaded"]


def test_no_economic_buyer_and_no_coach(app, healthy):
    contacts, *rest = healthy
    contacts[0].buying_role = None  # still a decision-maker by seniority, still covered
    contacts[1].buying_role = "user_buyer"
    assert codes(find_gaps(contacts, *rest, TODAY)) == ["no_economic_buyer", "no_coach"]
    contacts[2].attitude = "champion"  # a champion by attitude also guides the sale
    assert codes(find_gaps(contacts, *rest, TODAY)) == ["no_economic_buyer"]


def test_owner_who_left_the_team(app, healthy):
    contacts, depts, pairings, users, team = healthy
    users[3] = user(3, "director")
    pairings.append(pair(9, 3, contact_id=2))
    gaps = find_gaps(contacts, depts, pairings, users, team, TODAY)
    assert codes(gaps) == ["owner_left"] and gaps[0].subject_id == 9
    assert gaps[0].sentence == "U3 owns the relationship with C2 but has left the team."
    # An executive who left no longer covers the decision-maker either.
    gaps = find_gaps(contacts, depts, pairings, users, {2}, TODAY)
    assert codes(gaps) == ["no_exec_owner", "owner_left", "owner_left"]


def test_contacts_who_left_are_ignored(app, healthy):
    contacts, *rest = healthy
    contacts.append(contact(4, seniority="vp", influence="high", last_contacted_on=None, status="left"))
    assert find_gaps(contacts, *rest, TODAY) == []


def test_department_covered_through_one_of_its_people_at_a_matching_level(app, healthy):
    contacts, depts, pairings, users, team = healthy
    office = Row(id=12, name="Executive office")
    gm = contact(7, name="GM", seniority="c_level", department_id=12)
    clerk = contact(8, name="Clerk", seniority="staff", department_id=12)
    # Our VP paired with their general manager: the department is covered, as on the matrix.
    with_vp = pairings + [pair(9, 1, contact_id=7)]
    assert "department_uncovered" not in codes(find_gaps(contacts + [gm, clerk], depts + [office], with_vp,
                                                         users, team, TODAY))
    # A staff rep on the GM breaks the level rule: it does not cover the department.
    with_rep = pairings + [pair(9, 2, contact_id=7), pair(10, 1, contact_id=7)][:1]
    gaps = find_gaps(contacts + [gm, clerk], depts + [office], with_rep, users, team, TODAY)
    assert "department_uncovered" in codes(gaps)
    # The staff rep on the clerk does: level matches.
    with_clerk = pairings + [pair(9, 1, contact_id=7), pair(11, 2, contact_id=8)]
    assert "department_uncovered" not in codes(find_gaps(contacts + [gm, clerk], depts + [office], with_clerk,
                                                         users, team, TODAY))
    # Somebody who left the team covers nothing.
    assert "department_uncovered" in codes(find_gaps(contacts + [gm, clerk], depts + [office],
                                                     pairings + [pair(9, 1, contact_id=7)], users, {2}, TODAY))


def test_gap_sentences_use_real_plurals(app, healthy):
    contacts, depts, pairings, users, team = healthy
    pairings[2] = pair(3, 2, contact_id=3, level="acquainted")
    pairings[1] = pair(2, 2, contact_id=2, level="acquainted")
    one = find_gaps(contacts, depts, pairings, users, team, TODAY)[0].sentence
    assert one.startswith("Only 1 contact is at credible")
    pairings[0] = pair(1, 1, contact_id=1, level="none")
    none = find_gaps(contacts, depts, pairings, users, team, TODAY)[0].sentence
    assert none.startswith("No contact is at credible") and "Only 0" not in none
