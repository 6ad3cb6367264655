"""Plan routes: pages and fragments, edits in place, bad input, read-only roles, history."""
from app.extensions import db
from app.plans import objectives as obj
from app.plans import services
from app.plans.models import Objective, SwotItem
from tests.querycount import queries_for


def url(plan, tail=""):
    return f"/accounts/{plan.account_id}/plans/{plan.id}{tail}"


def test_no_plan_yet_offers_to_start_one(world, as_role):
    kam = as_role("kam")
    resp = kam.get(f"/accounts/{world.account.id}/plan")
    assert resp.status_code == 200 and b"Start the account plan" in resp.data
    resp = kam.post(f"/accounts/{world.account.id}/plan")
    assert resp.status_code == 302
    page = kam.get(f"/accounts/{world.account.id}/plan").get_data(as_text=True)
    assert "Current annual value" in page and "Short term (" in page
    # A second start is refused with a message, not an error page.
    assert kam.post(f"/accounts/{world.account.id}/plan").status_code == 422


def test_section_as_page_and_as_fragment(plan, as_role, hx):
    kam = as_role("kam")
    full = kam.get(url(plan, "/business"))
    frag = kam.get(url(plan, "/business"), headers=hx)
    assert b"<html" in full.data and b'id="plan-business"' in full.data
    assert b"<html" not in frag.data and frag.data.strip().startswith(b'<section class="card plan-section" id="plan-business"')
    form = kam.get(url(plan, "/business/edit"), headers=hx)
    assert b'name="version" type="hidden" value="1"' in form.data and b"<textarea" in form.data


def test_edit_in_place_saves_and_answers_the_text(world, plan, as_role, hx):
    member = as_role("member")
    resp = member.post(url(plan, "/business"), headers=hx, data={
        "version": "1", "strategy": "成为长三角第一 Be No.1 in the delta", "short_term_needs": "Yield to 97%"})
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "Be No.1 in the delta" in body and "<form" not in body.split("plan-history")[0].split("history")[0]
    assert "Last changed by Mo Member" in body
    # Without htmx: back to the plan page.
    resp = member.post(url(plan, "/position"), data={"version": "1", "annual_value": "250", "category_spend": "1000"})
    assert resp.status_code == 302
    assert "25.0%" in member.get(f"/accounts/{world.account.id}/plan").get_data(as_text=True)


def test_bad_input_is_422_with_message_and_input_kept(plan, as_role, hx):
    kam = as_role("kam")
    resp = kam.post(url(plan, "/position"), headers=hx, data={"version": "1", "annual_value": "-5",
                                                              "narrative": "Keep me"})
    assert resp.status_code == 422 and b"Enter an amount" in resp.data and b"Keep me" in resp.data
    resp = kam.post(url(plan, "/objectives"), headers=hx, data={"title": "", "horizon": "short",
                                                                "owner_id": "0", "status": "on_track",
                                                                "target_value": "¥5m"})
    assert resp.status_code == 422 and b"This field is required." in resp.data and "¥5m" in resp.get_data(as_text=True)
    resp = kam.post(url(plan, "/objectives"), headers=hx, data={"title": "T", "horizon": "forever",
                                                                "owner_id": "0", "status": "on_track"})
    assert resp.status_code == 422
    resp = kam.post(url(plan, "/swot"), headers=hx, data={"quadrant": "strength", "text": "  "})
    assert resp.status_code == 422 and b"Write something first." in resp.data
    resp = kam.post(url(plan, "/opportunities"), headers=hx, data={
        "name": "Lost deal", "stage": "lost", "value": "100", "reason": ""})
    assert resp.status_code == 422 and b"Say why it was won or lost" in resp.data and b"Lost deal" in resp.data


def test_objective_with_action_in_place(world, plan, as_role, hx):
    member = as_role("member")
    owner = world.users["member"].id
    resp = member.post(url(plan, "/objectives"), headers=hx, data={
        "title": "Shortlist for the EV tender", "horizon": "mid", "owner_id": str(owner),
        "target_date": "2026-12-31", "target_value": "¥15m", "status": "on_track"})
    assert resp.status_code == 200 and b"Shortlist for the EV tender" in resp.data
    o = db.session.scalar(db.select(Objective))
    resp = member.post(url(plan, f"/objectives/{o.id}/actions"), headers=hx, data={
        "title": "Get the technical spec", "owner_id": str(owner), "due_on": "2020-01-01", "status": "open"})
    assert resp.status_code == 200 and b"Get the technical spec" in resp.data and b"Overdue" in resp.data
    resp = member.post(url(plan, f"/objectives/{o.id}/actions"), headers=hx, data={"title": "", "owner_id": "0"})
    assert resp.status_code == 422 and b"Say what is to be done." in resp.data
    # The action row edits in place; done sets the done date and clears the overdue mark.
    action = o.id and db.session.scalar(db.select(Objective).where(Objective.id == o.id))
    item_id = db.session.execute(db.text("select id from action_item")).scalar()
    edit = member.get(url(plan, f"/actions/{item_id}/edit"), headers=hx)
    assert edit.status_code == 200 and b'name="version"' in edit.data and action
    resp = member.post(url(plan, f"/actions/{item_id}"), headers=hx, data={
        "title": "Get the technical spec", "owner_id": str(owner), "due_on": "2020-01-01",
        "status": "done", "version": "1"})
    assert resp.status_code == 200 and b"Overdue" not in resp.data and b"Done" in resp.data
    # "My actions" no longer lists it; the objective edit form answers in place.
    assert b"Get the technical spec" not in member.get("/me/actions").data
    assert member.get(url(plan, f"/objectives/{o.id}/edit"), headers=hx).status_code == 200


def test_swot_add_edit_move_remove(plan, as_role, hx):
    kam = as_role("kam")
    for text in ("Trusted by the plant manager", "Plant 2 go-live"):
        assert kam.post(url(plan, "/swot"), headers=hx, data={"quadrant": "strength", "text": text}).status_code == 200
    a, b = db.session.scalars(db.select(SwotItem).order_by(SwotItem.id)).all()
    resp = kam.post(url(plan, f"/swot/{b.id}/up"), headers=hx)
    assert resp.data.index(b"Plant 2 go-live") < resp.data.index(b"Trusted by the plant manager")
    resp = kam.post(url(plan, f"/swot/{a.id}"), headers=hx, data={"text": "Trusted by the GM", "version": "1",
                                                                  "quadrant": "strength"})
    assert resp.status_code == 200 and b"Trusted by the GM" in resp.data
    resp = kam.post(url(plan, f"/swot/{a.id}/delete"), headers=hx)
    assert b"Trusted by the GM" not in resp.data
    history = kam.get(url(plan, "/history/swot"), headers=hx).get_data(as_text=True)
    assert "Trusted by the plant manager" in history and "Trusted by the GM" in history


def test_observer_reads_without_edit_controls(plan, as_role, hx):
    observer = as_role("observer")
    page = observer.get(f"/accounts/{plan.account_id}/plan")
    assert page.status_code == 200 and b"/business/edit" not in page.data and b"Add objective" not in page.data
    assert observer.get(url(plan, "/business/edit"), headers=hx).status_code == 403
    assert observer.post(url(plan, "/business"), headers=hx, data={"version": "1"}).status_code == 403


def test_history_shows_past_versions(plan, as_role, hx):
    kam = as_role("kam")
    kam.post(url(plan, "/business"), headers=hx, data={"version": "1", "strategy": "First words"})
    kam.post(url(plan, "/business"), headers=hx, data={"version": "2", "strategy": "Second words"})
    body = kam.get(url(plan, "/history/business"), headers=hx).get_data(as_text=True)
    assert body.count("First words") == 2 and "Second words" in body and "Kim KAM" in body
    assert body.index("Second words") < body.rindex("First words")  # newest first


def test_closed_plan_is_read_only(world, plan, as_role, hx):
    kam = as_role("kam")
    resp = kam.post(url(plan, "/next"))
    assert resp.status_code == 302
    old = kam.get(url(plan)).get_data(as_text=True)
    assert "Closed, read-only" in old and "/business/edit" not in old
    assert kam.get(url(plan, "/business/edit"), headers=hx).status_code == 409
    resp = kam.post(url(plan, "/business"), headers=hx, data={"version": "1", "strategy": "Late"})
    assert resp.status_code == 422 and b"closed" in resp.data
    assert "Account plan 2027" in kam.get(f"/accounts/{world.account.id}/plan").get_data(as_text=True)


def _fill(world, plan, n):
    kam = world.users["kam"]
    for i in range(n):
        services.add_swot_item(kam, plan, "threat", f"Threat {i}")
        o = obj.add_objective(kam, plan, {"title": f"Objective {i}", "horizon": ("short", "mid", "long")[i % 3],
                                          "owner_id": world.users["member"].id})
        for j in range(2):
            obj.add_objective_action(kam, plan, o, f"Action {i}.{j}", world.users["kam"].id)
        obj.add_opportunity(kam, world.account, {"name": f"Deal {i}", "stage": "proposal", "value": 10})


def test_plan_page_and_overview_run_a_fixed_number_of_queries(world, plan, as_role):
    kam = as_role("kam")
    _fill(world, plan, 1)
    page = f"/accounts/{world.account.id}/plan"
    _, few = queries_for(kam, page)
    _, few_overview = queries_for(kam, f"/accounts/{world.account.id}")
    _fill(world, plan, 6)
    resp, many = queries_for(kam, page)
    assert resp.status_code == 200 and b"Objective 5" in resp.data
    _, many_overview = queries_for(kam, f"/accounts/{world.account.id}")
    assert many == few <= 25
    assert many_overview == few_overview


def test_overview_card_summarises_the_plan(world, plan, as_role):
    _fill(world, plan, 2)
    body = as_role("sponsor").get(f"/accounts/{world.account.id}/sections/plan").get_data(as_text=True)
    assert 'id="section-plan"' in body and "On track: 2" in body and "Open the plan" in body


def test_an_objective_that_changes_horizon_moves_to_its_group(world, plan, as_role, hx):
    o = obj.add_objective(world.users["kam"], plan, {"title": "Grow share", "horizon": "short"})
    resp = as_role("kam").post(url(plan, f"/objectives/{o.id}"), headers=hx, data={
        "title": "Grow share", "horizon": "long", "owner_id": "0", "status": "on_track", "progress": "10",
        "version": "1"})
    assert resp.status_code == 200 and resp.headers["HX-Retarget"] == "#plan-objectives"
    body = resp.get_data(as_text=True)
    assert body.index('id="objectives-long"') < body.index("Grow share")


def test_objective_history_names_the_owners(world, plan, as_role, hx):
    o = obj.add_objective(world.users["kam"], plan, {"title": "Grow share", "horizon": "short"})
    as_role("kam").post(url(plan, f"/objectives/{o.id}"), headers=hx, data={
        "title": "Grow share", "horizon": "short", "owner_id": str(world.users["sponsor"].id),
        "status": "at_risk", "progress": "10", "version": "1"})
    body = as_role("observer").get(url(plan, "/history/objectives"), headers=hx).get_data(as_text=True)
    assert "Vic VP" in body and "At risk" in body and "Kim KAM" in body
