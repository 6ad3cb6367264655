"""A KAM reorganises the customer on the drawn org chart: drags a card onto its new manager, undoes
it, moves someone with the keyboard through the picker, and finds both changes on the timeline."""
import pytest

from tests import factories
from tests.e2e.conftest import login, settled

pytestmark = pytest.mark.e2e


def _org(account):
    from app.stakeholders import coverage, services

    kam = factories.make_user("Kim KAM", email="kim@example.com", seniority="manager")
    vp = factories.make_user("张伟 Zhang Wei", email="zhang@example.com", seniority="vp")
    factories.make_member(account, kam, role="kam")
    factories.make_member(account, vp, role="sponsor", function="management")
    dept = services.create_department(kam, account, {"name": "工程技术部 Engineering", "function": "engineering"})
    add = lambda name, title, boss=None, **kw: services.create_contact(kam, account, {  # noqa: E731
        "name": name, "title": title, "department_id": dept.id, "reports_to_id": boss.id if boss else None, **kw})
    head = add("陈明 Chen Ming", "工程总监 Engineering Director", seniority="director", buying_role="technical_buyer")
    rd = add("钱伟 Qian Wei", "研发经理 R&D Manager", head, seniority="manager")
    it = add("戚红 Qi Hong", "信息化经理 IT Manager", head, seniority="manager")
    eng = add("孔丽娟 Kong Lijuan", "高级工程师 Senior Engineer", rd, attitude="champion")
    add("曹宇 Cao Yu", "测试工程师 Test Engineer", rd)
    coverage.add_pairing(kam, account, user_id=vp.id, contact_id=head.id, current_level="credible",
                         target_level="trusted_advisor")
    return head, rd, it, eng


def _drag(page, source, target):
    """Press on one card, move over another, release: what a mouse does."""
    a, b = source.bounding_box(), target.bounding_box()
    page.mouse.move(a["x"] + 40, a["y"] + 15)
    page.mouse.down()
    page.mouse.move(a["x"] + 60, a["y"] + 25, steps=3)
    page.mouse.move(b["x"] + 50, b["y"] + 30, steps=10)
    page.mouse.up()


def test_drag_a_card_onto_its_new_manager_then_undo_then_use_the_keyboard(app, live_server, page, shot):
    account = factories.make_account("华东精密 East China Precision")
    head, rd, it, eng = _org(account)
    login(page, live_server, "kim@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/accounts/{account.id}/stakeholders/org?coverage=1")
    page.wait_for_selector(f"#card-{eng.id}")
    page.evaluate("window.__marker = 1")
    shot(page, "orgchart-before")

    # Drag 孔丽娟 from the R&D manager onto the IT manager: the chart is swapped in place.
    _drag(page, page.locator(f"#card-{eng.id}"), page.locator(f"#card-{it.id}"))
    page.wait_for_selector("#org-notice:has-text('now reports to 戚红 Qi Hong')")
    settled(page)
    assert page.evaluate("window.__marker") == 1, "the move reloaded the page"
    assert page.locator(f'#orgchart path[data-from="{it.id}"][data-to="{eng.id}"]').count() == 1
    assert page.locator(f'#orgchart path[data-from="{rd.id}"][data-to="{eng.id}"]').count() == 0
    assert page.locator("#org-view-coverage, input[name=coverage]:checked").count() == 1  # the view is kept
    shot(page, "orgchart-after-drag")

    # Undo puts her back.
    page.click("#org-notice button:has-text('Undo')")
    page.wait_for_selector("#org-notice:has-text('now reports to 钱伟 Qian Wei')")
    settled(page)
    assert page.locator(f'#orgchart path[data-from="{rd.id}"][data-to="{eng.id}"]').count() == 1

    # A drag that would make a loop is refused, and nothing moves.
    _drag(page, page.locator(f"#card-{head.id}"), page.locator(f"#card-{eng.id}"))
    page.wait_for_selector("#org-pick .form-error:has-text('reporting loop')")
    settled(page)
    assert page.locator(f'#orgchart path[data-from="{head.id}"][data-to="{rd.id}"]').count() == 1

    # The keyboard way: Tab to a card, Enter opens its picker, choose the manager, Enter to move.
    page.goto(f"{live_server}/accounts/{account.id}/stakeholders/org")
    page.focus(f"#card-{eng.id} a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#org-pick h2:has-text('孔丽娟 Kong Lijuan')")
    page.wait_for_load_state()  # the picker page's scripts are in: the move goes through htmx
    assert page.evaluate("document.activeElement.name") == "reports_to_id"
    page.select_option("#org-move select[name=reports_to_id]", label="陈明 Chen Ming · 工程总监 Engineering Director")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#org-notice:has-text('now reports to 陈明 Chen Ming')")
    settled(page)
    assert page.locator(f'#orgchart path[data-from="{head.id}"][data-to="{eng.id}"]').count() == 1

    # Every move is on the account's timeline, with who made it.
    page.goto(f"{live_server}/accounts/{account.id}/timeline")
    text = page.inner_text("main")
    assert text.count("Reports to") >= 3 and "戚红 Qi Hong" in text and "陈明 Chen Ming" in text
    shot(page, "orgchart-timeline")


def test_the_chart_on_a_phone_pans_zooms_and_moves_through_the_picker(app, browser, live_server, shot):
    account = factories.make_account("华东精密 East China Precision")
    _head, _rd, it, eng = _org(account)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, live_server, "kim@example.com", factories.PASSWORD)
        page.goto(f"{live_server}/accounts/{account.id}/stakeholders/org?coverage=1")
        page.wait_for_selector(".org-viewport.pannable .org-zoom:not([hidden])")
        before = page.get_attribute(".org-viewport.pannable svg", "viewBox")
        page.click(".org-viewport.pannable [data-zoom=in]")
        zoomed = page.get_attribute(".org-viewport.pannable svg", "viewBox")
        assert zoomed != before
        box = page.locator(".org-viewport.pannable svg").bounding_box()  # drag the background: it pans
        spot = page.evaluate("""b => { for (let y = b.y + b.height - 4; y > b.y; y -= 7) for (let x = b.x + 4; x < b.x + b.width; x += 7) {
            const el = document.elementFromPoint(x, y); if (el && el.matches("svg.org-svg")) return [x, y]; } return null; }""", box)
        assert spot, "no background to grab"
        page.mouse.move(*spot)
        page.mouse.down()
        page.mouse.move(spot[0] + 60, spot[1] - 20, steps=5)
        page.mouse.up()
        assert page.get_attribute(".org-viewport.pannable svg", "viewBox") != zoomed
        shot(page, "orgchart-phone")
        page.locator(f"#card-{eng.id} .face").tap()  # a tap on the card opens its picker
        page.wait_for_selector("#org-move")
        page.wait_for_load_state()
        page.select_option("#org-move select[name=reports_to_id]", label="戚红 Qi Hong · 信息化经理 IT Manager")
        page.tap("#org-move button[type=submit]")
        page.wait_for_selector(f'#orgchart path[data-from="{it.id}"][data-to="{eng.id}"]', state="attached")
    finally:
        context.close()
