"""Search in a real browser: "/" focuses the header box, the dropdown fills as you type, the
full page works without JavaScript, hostile text stays text; 1366 and 390 px, en and zh."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.stakeholders import services as stakeholders
from app.timeutil import utcnow
from tests import factories
from tests.complaints.factories import make_channel, make_complaint
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e
HOSTILE = '<img src=x onerror="window.__xss=1">恶意<script>window.__xss=1</script>'


@pytest.fixture
def data(app):
    a = factories.make_account("华东精密制造 East China Precision")
    b = factories.make_account("蓝海零售 Blue Ocean Retail")
    kam = factories.make_user("王芳 Wang Fang", email="wang@example.com", seniority="manager", language="en")
    other = factories.make_user("David Chen", email="david@example.com")
    factories.make_member(a, kam, role="kam")
    factories.make_member(b, other, role="kam")
    dept = stakeholders.create_department(kam, a, {"name": "质量部 Quality", "function": "quality"})
    zhang = stakeholders.create_contact(kam, a, {"name": "张伟", "title": "质量总监 Quality director",
                                         "department_id": dept.id, "email": "zhang.wei@huadong.example.com"})
    stakeholders.create_contact(kam, a, {"name": "王芳芳", "title": "采购经理 Purchasing manager"})
    stakeholders.create_contact(kam, a, {"name": HOSTILE, "title": "恶意 hostile <b>title</b>"})
    stakeholders.create_contact(other, b, {"name": "张伟明", "title": "保密 Confidential"})
    ch = make_channel(a)
    make_complaint(a, ch, subject="包装破损 Damaged packaging from 张伟's plant",
                   description="质量部反馈第三批货外箱受潮", hours_ago=30)
    stakeholders.log_interaction(kam, a, kind="visit", occurred_on=(utcnow() - timedelta(days=2)).date(),
                                 contact_ids=[zhang.id], note="和张伟讨论了质量改进 quality improvement plan")
    db.session.commit()
    return dict(a=a, b=b, kam=kam)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [1366, 390])
def test_search_dropdown_and_page(browser, live_server, data, shot, lang, width):
    kam = data["kam"]
    kam.language = lang
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": 860}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        login(page, live_server, "wang@example.com", factories.PASSWORD)
        page.wait_for_url(f"{live_server}/")
        page.keyboard.press("/")  # focuses the search box
        assert page.evaluate("document.activeElement.id") == "site-search"
        page.keyboard.type("张伟")
        panel = page.locator("#search-dropdown .search-panel")
        panel.wait_for()
        assert panel.locator("mark", has_text="张伟").count() >= 1
        text = panel.inner_text()
        assert "张伟明" not in text and "保密" not in text  # B's contact: another team
        assert "华东精密制造" in text
        shot(page, f"search-dropdown-{lang}-{width}")
        # pinyin, as you type
        page.fill("#site-search", "zw")
        page.locator("#search-dropdown .search-panel mark").first.wait_for(state="attached")
        page.locator("#search-dropdown", has_text="张伟").wait_for()
        # Enter: the full page (a plain GET form)
        page.fill("#site-search", "质量")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search?q=*")
        assert page.locator("#group-contact mark", has_text="质量").count() >= 1
        assert page.locator("#group-department").count() == 1
        shot(page, f"search-page-{lang}-{width}")
        # hostile text: shown as text, nothing injected, nothing ran
        page.goto(f"{live_server}/search?q=恶意")
        assert page.locator("#group-contact").inner_text().count("<script>") == 1
        assert page.locator("#search-results img[src='x'], #search-results script, #search-results b").count() == 0
        assert page.evaluate("typeof window.__xss") == "undefined"
        if width == 1366 and lang == "en":
            shot(page, "search-hostile-en-1366")
        # a click on a hit opens the contact
        page.goto(f"{live_server}/search?q=zhangwei")
        page.locator("#group-contact a").first.click()
        page.wait_for_url("**/stakeholders/contacts/*")
        assert not dialogs
    finally:
        context.close()


def test_search_page_without_javascript(browser, live_server, data):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, "wang@example.com", factories.PASSWORD)
        page.fill("#site-search", "王芳")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search?q=*")
        assert "王芳芳" in page.locator("#search-results").inner_text()
    finally:
        context.close()
