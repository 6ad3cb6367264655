"""Services: reports-to without loops, leaving, pairings, touches, the audit trail."""
from datetime import date, timedelta

import pytest

from app.audit.models import AuditEvent
from app.concurrency import StaleEdit
from app.extensions import db
from app.stakeholders import coverage, services
from app.stakeholders.models import Coverage
from app.timeutil import today
from tests.stakeholders.conftest import pair

pytestmark = pytest.mark.usefixtures("request_ctx")


def test_create_contact_is_audited(app, world, mapped):
    _dept, people = mapped
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.object_type == "Contact", AuditEvent.object_id == people[0].id))
    assert event.action == "create" and event.account_id == world.account.id


def test_reports_to_refuses_loops_and_other_accounts(app, world, mapped):
    _dept, (boss, a, b) = mapped
    kam = world.users["kam"]
    with pytest.raises(services.StakeholderError, match="loop"):
        services.update_contact(kam, boss, {"name": boss.name, "reports_to_id": a.id}, boss.version)
    with pytest.raises(services.StakeholderError, match="loop"):
        services.update_contact(kam, a, {"name": a.name, "reports_to_id": a.id}, a.version)
    stranger = services.create_contact(world.users["outsider"], world.other, {"name": "Elsewhere"})
    with pytest.raises(services.StakeholderError, match="this account"):
        services.update_contact(kam, b, {"name": b.name, "reports_to_id": stranger.id}, b.version)


def test_department_parent_refuses_loops(app, world, mapped):
    dept, _people = mapped
    kam = world.users["kam"]
    child = services.create_department(kam, world.account, {"name": "Buyers", "parent_id": dept.id})
    with pytest.raises(services.StakeholderError):
        services.update_department(kam, dept, {"name": dept.name, "parent_id": child.id})


def test_stale_contact_edit_is_refused(app, world, mapped):
    _dept, people = mapped
    c = people[1]
    old = c.version
    services.update_contact(world.users["kam"], c, {"name": "New name"}, old)
    with pytest.raises(StaleEdit):
        services.update_contact(world.users["member"], c, {"name": "Other name"}, old)


def test_mark_left_ends_pairings_keeps_history(app, world, mapped):
    _dept, people = mapped
    p = pair(world, contact=people[0])
    services.log_interaction(world.users["kam"], world.account, kind="meal", occurred_on=today(),
                             contact_ids=[people[0].id], note="Dinner")
    services.mark_left(world.users["kam"], people[0], date(2026, 10, 1), "Competitor Inc.")
    assert people[0].status == "left" and people[0].left_to == "Competitor Inc."
    assert db.session.get(Coverage, p.id).ended_on == date(2026, 10, 1)
    assert len(services.contact_interactions(people[0])) == 1
    smap = services.load_map(world.account.id)
    assert [g.code for g in smap.gaps()].count("no_economic_buyer") == 1
    with pytest.raises(services.StakeholderError):
        services.mark_left(world.users["kam"], people[0])


def test_pairing_rules(app, world, mapped):
    dept, people = mapped
    with pytest.raises(services.StakeholderError, match="not on this account"):
        pair(world, contact=people[0], who="outsider")
    pair(world, contact=people[0])
    with pytest.raises(services.StakeholderError, match="already covers"):
        pair(world, contact=people[0])
    with pytest.raises(services.StakeholderError):
        coverage.add_pairing(world.users["kam"], world.account, user_id=world.users["kam"].id)
    p = pair(world, department=dept, who="member")
    coverage.update_pairing(world.users["kam"], p, "trusted_advisor", "trusted_advisor")
    coverage.end_pairing(world.users["kam"], p)
    assert p.ended_on == today()


def test_log_interaction_moves_last_contacted_forward_only(app, world, mapped):
    _dept, people = mapped
    kam = world.users["kam"]
    services.log_interaction(kam, world.account, kind="call", occurred_on=today() - timedelta(days=3),
                             contact_ids=[people[0].id, people[1].id])
    services.log_interaction(kam, world.account, kind="email", occurred_on=today() - timedelta(days=30),
                             contact_ids=[people[0].id])
    db.session.expire_all()
    assert people[0].last_contacted_on == today() - timedelta(days=3)
    with pytest.raises(services.StakeholderError):
        services.log_interaction(kam, world.account, kind="call", occurred_on=today() + timedelta(days=1),
                                 contact_ids=[people[0].id])
    with pytest.raises(services.StakeholderError):
        services.log_interaction(kam, world.account, kind="fax", occurred_on=today(), contact_ids=[people[0].id])
    with pytest.raises(services.StakeholderError):
        services.log_interaction(kam, world.account, kind="call", occurred_on=today(), contact_ids=[])


def test_org_chart_keeps_reports_of_a_leaver(app, world, mapped, request_ctx):
    from app.stakeholders import orgdraw

    _dept, people = mapped
    services.mark_left(world.users["kam"], people[0])
    smap = services.load_map(world.account.id)
    shown = orgdraw.draw(smap, today(), group=False)["sections"][0]["drawing"]  # the leaver in place, marked
    assert {c["id"]: c["left"] for c in shown["cards"]} == {people[0].id: True, people[1].id: False, people[2].id: False}
    assert {(e["from"], e["to"]) for e in shown["edges"]} == {(people[0].id, p.id) for p in people[1:]}
    hidden = orgdraw.draw(smap, today(), group=False, show_left=False)["sections"][0]["drawing"]
    assert sorted(c["full_name"] for c in hidden["cards"]) == sorted(c.name for c in people[1:])


def _gap_list(smap):
    return [(g.code, g.subject_type, g.subject_id, str(g.sentence)) for g in smap.gaps()]


def test_gap_rows_give_the_gaps_and_counts_the_objects_give(app, world, mapped):
    """load_gap_rows (columns, for the overview section and the digest) finds every gap and
    count load_map (objects) finds, in the same order, on an account with every kind of gap:
    a junior owner of a decision-maker, an owner who left the team, ended pairings, a removed
    and an uncovered department, a contact who left, a stale key contact."""
    from app.stakeholders.views import section_context
    from app.team import services as team

    dept, (boss, coach, buyer) = mapped
    kam = world.users["kam"]
    empty = services.create_department(kam, world.account, {"name": "研发部 R&D", "function": "engineering"})
    gone = services.create_department(kam, world.account, {"name": "Old unit"})
    services.remove_department(kam, gone)
    vp = services.create_contact(kam, world.account, {"name": "王总 Wang", "seniority": "vp",
                                                      "department_id": empty.id, "influence": "high"})
    leaver = services.create_contact(kam, world.account, {"name": "Left Co", "buying_role": "economic_buyer"})
    services.mark_left(kam, leaver)
    pair(world, boss, who="member", level="trusted_advisor")  # a junior on a decision-maker
    pair(world, vp, who="observer", level="credible")
    ended = pair(world, coach, who="sponsor", level="credible")
    coverage.end_pairing(kam, ended)
    pair(world, department=dept, who="sponsor")
    team.leave(kam, world.memberships["observer"])  # Olga leaves: her pairing is an owner_left gap
    services.touch_contacts(world.account.id, [buyer.id], today() - timedelta(days=400))
    db.session.commit()

    objects, rows = services.load_map(world.account.id), services.load_gap_rows(world.account.id)
    gaps = _gap_list(objects)
    assert {"no_exec_owner", "owner_left", "stale_contact", "department_uncovered"} <= {g[0] for g in gaps}
    assert _gap_list(rows) == gaps
    assert [d.id for d in rows.departments] == [d.id for d in objects.departments]
    assert rows.team_user_ids == objects.team_user_ids and set(rows.users) == set(objects.users)
    assert [p.id for p in rows.pairings] == [p.id for p in objects.pairings]
    section = section_context(world.account)
    assert section["n_contacts"] == 4 and section["n_left"] == 1 and section["n_departments"] == 2
    assert section["n_decision_makers"] == 2 and [g["code"] for g in section["gaps"]] == [g[0] for g in gaps]
