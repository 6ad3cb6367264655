"""On a phone: no page scrolls sideways, the header folds into a menu, the sponsor's five minutes.

Walks every page a logged-in user can GET (the URL map with real ids, as the access test
does) at 390x844 with mobile emulation, for a sponsor, a rep and an admin, in English and
Chinese, and asserts the document is never wider than the screen.
"""
import pytest

from app.extensions import db
from app.stakeholders import coverage
from app.stakeholders import services as stakeholders
from tests.e2e.conftest import login, settled
from tests.factories import PASSWORD
from tests.route_params import build
from tests.test_access import PUBLIC, _url

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
SKIP_SUFFIXES = (".pdf", ".csv", ".ics", ".zip", ".xlsx", ".js", ".webmanifest")
LONG = ("Dr. Alexandra Konstantinopoulou-Vandenberghe 亚历山德拉·康斯坦丁诺普卢-范登伯格, "
        "Chief Procurement and Supply Chain Officer")


def _long_names(world):
    """A 120-character contact in a long-named department: selects and cards must not grow with them."""
    kam = world.users["kam"]
    dept = stakeholders.create_department(kam, world.account, {
        "name": "Global Strategic Sourcing and Supplier Quality Management Centre 全球战略采购与供应商质量管理中心",
        "function": "procurement"})
    person = stakeholders.create_contact(kam, world.account, {
        "name": LONG[:120], "department_id": dept.id, "seniority": "c_level", "influence": "high",
        "email": "alexandra.konstantinopoulou@example.com", "phone": "+86 21 5555 0199"})
    coverage.add_pairing(kam, world.account, user_id=world.users["sponsor"].id, contact_id=person.id)


def _get_pages(app, world):
    """Every GET page under account A (and the global ones), with real ids."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static" or rule.endpoint in PUBLIC:
            continue
        url = _url(app, rule.endpoint, world, world.account)
        if url.endswith(SKIP_SUFFIXES) or "/export" in url or "/download" in url:
            continue
        urls.append(url)
    return sorted(set(urls))


def _width_problems(pg, base, urls):
    wide = []
    for url in urls:
        resp = pg.goto(base + url)
        if resp is None or not resp.headers.get("content-type", "").startswith("text/html"):
            continue
        pg.wait_for_selector("section.loading", state="detached")  # lazily loaded sections
        settled(pg)
        width = pg.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append((url, resp.status, width))
    return wide


@pytest.mark.parametrize("role", ["sponsor", "member", "admin"])
def test_no_page_is_wider_than_a_phone(app, world, live_server, browser, role):
    build(world)
    _long_names(world)
    user = world.users[role]
    urls = _get_pages(app, world)
    assert len(urls) > 30
    problems = {}
    for lang in ("en", "zh"):
        user.language = lang
        db.session.commit()
        context = browser.new_context(**PHONE, locale="zh-CN" if lang == "zh" else "en-GB")
        pg = context.new_page()
        pg.set_default_timeout(10_000)
        login(pg, live_server, user.email, PASSWORD)
        pg.wait_for_url(f"{live_server}/")
        wide = _width_problems(pg, live_server, urls)
        if wide:
            problems[lang] = wide
        context.close()
    assert not problems, f"pages wider than 390 px for the {role}: {problems}"


def test_phone_menu_and_sponsor_five_minutes(app, world, live_server, browser, shot):
    build(world)
    _long_names(world)
    sponsor = world.users["sponsor"]
    context = browser.new_context(**PHONE, locale="en-GB")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    login(pg, live_server, sponsor.email, PASSWORD)
    pg.wait_for_url(f"{live_server}/")
    # The header is folded: the links are behind one button, which opens and closes them.
    menu = pg.locator(".menu-button")
    assert menu.is_visible() and not pg.locator("#site-menu").is_visible()
    box = menu.bounding_box()
    assert box["height"] >= 44
    menu.click()
    assert pg.locator("#site-menu").is_visible() and menu.get_attribute("aria-expanded") == "true"
    for name in ("Accounts", "Log out", "中文"):
        assert pg.get_by_text(name, exact=True).first.is_visible()
    pg.keyboard.press("Escape")
    assert not pg.locator("#site-menu").is_visible()

    pg.goto(f"{live_server}/sponsor")
    card = pg.locator(f"#acc-{world.account.id}")
    # One tap to call or mail the decision-maker the sponsor owns, one tap to write the note.
    assert card.locator("a[href^='tel:+862155550199']").is_visible()
    assert card.locator("a[href='mailto:alexandra.konstantinopoulou@example.com']").is_visible()
    card.get_by_text("Write a check-in note").click()
    focused = pg.evaluate("document.activeElement.id")
    assert focused == f"body-{world.account.id}"
    pg.keyboard.type("Met their CPO at the plant; renewal on track.")
    card.get_by_role("button", name="Leave note").click()
    settled(pg)
    assert card.get_by_text("Met their CPO at the plant; renewal on track.").is_visible()
    for el in pg.locator("button:visible, .button:visible").all():
        assert el.bounding_box()["height"] >= 44, el.inner_text()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    shot(pg, "phone-sponsor-en")
    context.close()


def test_installable(client, live_server, browser):
    """A manifest with icons and colour, a service worker and an offline page."""
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["display"] == "standalone" and data["theme_color"]
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and "javascript" in sw.mimetype and "/offline" in sw.get_data(as_text=True)
    offline = client.get("/offline")
    assert offline.status_code == 200 and "offline" in offline.get_data(as_text=True).lower()
