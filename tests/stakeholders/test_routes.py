"""Routes: full pages and htmx fragments, bad input answered 4xx with a message."""
from app.extensions import db
from app.stakeholders.models import Contact, Coverage, Department
from tests.stakeholders.conftest import pair


def url(world, tail=""):
    return f"/accounts/{world.account.id}/stakeholders{tail}"


def test_map_page_and_fragment(app, world, mapped, as_role, hx):
    c = as_role("member")
    page = c.get(url(world))
    assert page.status_code == 200 and "<html" in page.text and "联系人 Contact 0" in page.text
    frag = c.get(url(world), headers=hx)
    assert frag.status_code == 200 and "<html" not in frag.text and 'id="stakeholder-map"' in frag.text
    assert "Coverage gaps" in frag.text


def test_quick_add_in_place_keeps_department(app, world, mapped, as_role, hx):
    dept, people = mapped
    resp = as_role("kam").post(url(world), headers=hx, data={
        "name": "周涛 Zhou Tao", "title": "QA lead", "department_id": dept.id,
        "reports_to_id": people[0].id, "seniority": "manager", "buying_role": "",
        "influence": "medium", "attitude": "champion"})
    assert resp.status_code == 200 and "周涛 Zhou Tao added" in resp.text
    assert f'<option selected value="{dept.id}">' in resp.text  # next person, same department
    new = db.session.scalar(db.select(Contact).where(Contact.name == "周涛 Zhou Tao"))
    assert new.reports_to_id == people[0].id and new.buying_role is None


def test_quick_add_bad_input_keeps_input(app, world, as_role, hx):
    resp = as_role("kam").post(url(world), headers=hx, data={
        "name": "", "title": "Kept title", "department_id": "9999", "seniority": "emperor",
        "influence": "medium", "attitude": "neutral"})
    assert resp.status_code == 422 and "This field is required." in resp.text
    assert 'value="Kept title"' in resp.text
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0


def test_plain_post_redirects(app, world, as_role):
    resp = as_role("kam").post(url(world), data={"name": "A", "seniority": "staff", "influence": "low",
                                                 "attitude": "neutral", "department_id": "", "reports_to_id": ""})
    assert resp.status_code == 302


def test_add_and_edit_department(app, world, as_role, hx):
    c = as_role("member")
    resp = c.post(url(world, "/departments"), headers=hx, data={"name": "质量部 Quality", "function": "quality",
                                                                 "parent_id": ""})
    assert resp.status_code == 200 and "质量部 Quality" in resp.text
    assert c.post(url(world, "/departments"), headers=hx, data={"name": "", "function": "x"}).status_code == 422
    dept = db.session.scalar(db.select(Department))
    assert c.get(url(world, f"/departments/{dept.id}")).status_code == 200
    resp = c.post(url(world, f"/departments/{dept.id}"), data={"name": "QA", "function": "quality", "parent_id": ""})
    assert resp.status_code == 302
    bad = c.post(url(world, f"/departments/{dept.id}"), data={"name": "QA", "function": "quality",
                                                              "parent_id": str(dept.id)})
    assert bad.status_code == 422


def test_contact_edit_conflict_keeps_input(app, world, mapped, as_role):
    _dept, people = mapped
    c = people[1]
    form = {"name": c.name, "title": "Mine", "department_id": "", "reports_to_id": "", "seniority": "staff",
            "buying_role": "", "influence": "low", "attitude": "neutral", "version": c.version,
            "interests": "Tea 喜欢喝茶"}
    assert as_role("kam").post(url(world, f"/contacts/{c.id}"), data=form).status_code == 302
    form["title"] = "Theirs, stale"
    resp = as_role("member").post(url(world, f"/contacts/{c.id}"), data=form)
    assert resp.status_code == 409 and "Someone else saved this" in resp.text
    assert "Theirs, stale" in resp.text and "喜欢喝茶" in resp.text
    bad = as_role("member").post(url(world, f"/contacts/{c.id}"), data=dict(form, email="not-an-email",
                                                                             version=c.version))
    assert bad.status_code == 422 and "valid e-mail" in bad.text


def test_contact_leaves_and_page_asks_about_stage(app, world, mapped, as_role):
    _dept, people = mapped
    p = pair(world, contact=people[0])
    c = as_role("kam")
    resp = c.post(url(world, f"/contacts/{people[0].id}/leave"), data={"left_on": "2026-10-01",
                                                                      "left_to": "远航汽车"})
    assert resp.status_code == 302
    page = c.get(url(world, f"/contacts/{people[0].id}"))
    assert "left on" in page.text and "远航汽车" in page.text
    assert f"/accounts/{world.account.id}#stage" in page.text and "relationship stage" in page.text
    assert db.session.get(Coverage, p.id).ended_on is not None
    again = c.post(url(world, f"/contacts/{people[0].id}/leave"), data={})
    assert again.status_code == 422 and "already marked as left" in again.text


def test_pair_executive_makes_gap_disappear(app, world, mapped, as_role, hx):
    _dept, people = mapped
    c = as_role("kam")
    assert "is a decision-maker with no executive owner" in c.get(url(world, "/coverage"), headers=hx).text
    # A staff member on the decision-maker: the pairing is flagged and the gap stays.
    resp = c.post(url(world, "/coverage"), headers=hx, data={
        "user_id": world.users["member"].id, "target": f"c{people[0].id}",
        "current_level": "acquainted", "target_level": "credible"})
    assert resp.status_code == 200 and "needs director or above" in resp.text
    assert "covered only by Mo Member" in resp.text
    resp = c.post(url(world, "/coverage"), headers=hx, data={
        "user_id": world.users["sponsor"].id, "target": f"c{people[0].id}",
        "current_level": "credible", "target_level": "trusted_advisor"})
    assert resp.status_code == 200 and "decision-maker" not in resp.text.split('id="matrix"')[0]


def test_pairing_bad_input(app, world, mapped, as_role, hx):
    c = as_role("kam")
    resp = c.post(url(world, "/coverage"), headers=hx, data={"user_id": "", "target": "x1"})
    assert resp.status_code == 422 and "Choose one of our people." in resp.text
    resp = c.post(url(world, "/coverage"), headers=hx, data={
        "user_id": world.users["outsider"].id, "target": f"c{mapped[1][0].id}",
        "current_level": "none", "target_level": "credible"})
    assert resp.status_code == 422


def test_change_and_end_pairing(app, world, mapped, as_role, hx):
    p = pair(world, department=mapped[0], who="member")
    c = as_role("member")
    resp = c.post(url(world, f"/coverage/{p.id}"), headers=hx,
                  data={"current_level": "trusted_advisor", "target_level": "trusted_advisor"})
    db.session.refresh(p)  # requests use their own session
    assert resp.status_code == 200 and p.current_level == "trusted_advisor"
    assert c.post(url(world, f"/coverage/{p.id}"), headers=hx, data={"current_level": "x"}).status_code == 422
    assert c.post(url(world, f"/coverage/{p.id}/end"), headers=hx).status_code == 200
    db.session.expire_all()
    assert db.session.get(Coverage, p.id).ended_on is not None


def test_log_touch(app, world, mapped, as_role, hx):
    _dept, people = mapped
    c = as_role("member")
    page = c.get(url(world, f"/touches?contact={people[0].id}"))
    assert page.status_code == 200 and "<html" in page.text
    resp = c.post(url(world, "/touches"), headers=hx, data={
        "kind": "visit", "occurred_on": "2026-11-20", "contact_ids": [people[0].id, people[1].id],
        "note": "工厂参观 Plant visit"})
    assert resp.status_code == 200 and "工厂参观 Plant visit" in resp.text and "<html" not in resp.text
    bad = c.post(url(world, "/touches"), headers=hx, data={"kind": "visit", "occurred_on": "soon"})
    assert bad.status_code == 422 and "Choose at least one contact." in bad.text
    back = c.post(url(world, "/touches"), data={"kind": "call", "occurred_on": "2026-11-21",
                                               "contact_ids": [people[1].id], "back_to_contact": people[1].id})
    assert back.status_code == 302 and f"/contacts/{people[1].id}" in back.headers["Location"]


def test_org_chart_filters_and_prints(app, world, mapped, as_role):
    dept, people = mapped
    c = as_role("observer")
    resp = c.get(url(world, "/org"))
    assert resp.status_code == 200 and all(p.name in resp.text for p in people)
    assert "att-supporter" in resp.text and "Supporter" in resp.text  # colour and word
    assert c.get(url(world, f"/org?department={dept.id}")).status_code == 200
    assert c.get(url(world, "/org?group=department")).status_code == 200
    assert c.get(url(world, "/org?department=abc")).status_code == 200


def test_overview_section(app, world, mapped, as_role):
    resp = as_role("observer").get(f"/accounts/{world.account.id}/sections/stakeholders")
    assert 'id="section-stakeholders"' in resp.text and "3 contacts" in resp.text
    assert "Pair an executive" in resp.text


def test_observer_sees_no_forms(app, world, mapped, as_role):
    text = as_role("observer").get(url(world)).text
    assert 'id="quick-add"' not in text


def test_remove_a_department_keeps_people_history_and_moves_children_up(app, world, mapped, as_role):
    from app.audit.models import AuditEvent
    from app.stakeholders import services

    dept, people = mapped
    kam = world.users["kam"]
    parent = services.create_department(kam, world.account, {"name": "运营中心 Operations", "function": "operations"})
    services.update_department(kam, dept, {"name": dept.name, "function": dept.function, "parent_id": parent.id})
    child = services.create_department(kam, world.account, {"name": "采购二组 Team 2", "function": "procurement",
                                                            "parent_id": dept.id})
    rep = pair(world, department=dept, who="member")
    c = as_role("member")
    page = c.get(url(world, f"/departments/{dept.id}")).text
    assert 'id="remove-department"' in page and "3 people stay" in page and "moves up to 运营中心 Operations" in page
    assert 'id="remove-department"' not in as_role("observer").get(url(world, f"/departments/{dept.id}")).text
    assert as_role("observer").post(url(world, f"/departments/{dept.id}/remove")).status_code == 403

    resp = c.post(url(world, f"/departments/{dept.id}/remove"))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Department, dept.id).removed_on is not None
    assert all(db.session.get(Contact, p.id).department_id is None for p in people)  # people stay
    assert db.session.get(Department, child.id).parent_id == parent.id
    assert db.session.get(Coverage, rep.id).ended_on is not None
    # Gone from the map, the department's page, the choices; kept on the timeline.
    assert "采购部 Procurement is off the map" in c.get(url(world)).text  # the message, once
    assert "采购部 Procurement" not in c.get(url(world)).text
    assert c.get(url(world, f"/departments/{dept.id}")).status_code == 404
    assert c.post(url(world, f"/departments/{dept.id}/remove")).status_code == 404
    contact_page = c.get(url(world, f"/contacts/{people[0].id}")).text
    assert f'<option value="{dept.id}"' not in contact_page and '<option value="' in contact_page
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.object_type == "Department", AuditEvent.action == "delete")).summary == "采购部 Procurement"


def test_a_removed_department_cannot_be_used_again(app, world, mapped, as_role):
    from app.stakeholders import services

    dept, people = mapped
    services.remove_department(world.users["kam"], dept)
    c = as_role("kam")
    form = {"name": "New person", "title": "", "department_id": dept.id, "reports_to_id": "", "seniority": "staff",
            "buying_role": "", "influence": "low", "attitude": "neutral"}
    assert c.post(url(world), data=form).status_code == 422
    resp = c.post(url(world, "/coverage"), data={"user_id": world.users["member"].id, "target": f"d{dept.id}",
                                                 "current_level": "none", "target_level": "credible"})
    assert resp.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Coverage.id))) == 0
    # The service refuses it too, whatever a form offers.
    import pytest

    from app.stakeholders import coverage
    with pytest.raises(services.StakeholderError):
        coverage.add_pairing(world.users["kam"], world.account, user_id=world.users["member"].id,
                             department_id=dept.id)
    assert c.post(url(world, "/departments"), data={"name": "Sub", "function": "other",
                                                    "parent_id": dept.id}).status_code == 422
