"""A KAM imports a Salesforce contact export: the preview shows every row's outcome and why a row
is refused; the corrected file imports. Screenshots at 1366 and 390 px, in English and Chinese."""
import pytest

from app.extensions import db
from app.stakeholders.models import Contact
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

SALESFORCE = ("First Name,Last Name,Title,Email,Phone,Mobile,Department,Account Name,Reports To,Contact ID\n"
              "建国,王,总经理 General Manager,wang@example.com,021-5555 0100,,采购部 Procurement,远航汽车,,0031x001\n"
              "Amy,Wu,Buyer,amy@example.com,,+86 138 0000 0000,采购部 Procurement,远航汽车,王建国,0031x002\n"
              "Bob,Lee,Engineer,bob(at)example.com,,,技术部 Engineering,远航汽车,,0031x003\n"
              "Cathy,Lin,\"=HYPERLINK(\"\"http://evil\"\")\",cathy@example.com,,,技术部 Engineering,远航汽车,Nobody,0031x004\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_import_preview_and_apply(app, live_server, page, shot, tmp_path, lang):
    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    account = factories.make_account("远航汽车 Yuanhang Auto")
    kam = factories.make_user("Kim KAM", email="kim@example.com", seniority="manager", language=lang)
    factories.make_member(account, kam, role="kam")
    bad = tmp_path / "salesforce-contacts.csv"
    bad.write_text(SALESFORCE, encoding="utf-8")

    login(page, live_server, "kim@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/accounts/{account.id}/stakeholders/import")
    page.set_input_files("#file", str(bad))
    page.click("form button[type=submit].primary")
    page.wait_for_selector("#import-result")
    assert page.locator("tr.bad-row").count() == 2
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"import-preview-{lang}-{width}")
    assert page.locator("button[name=apply][value='1']").count() == 0  # nothing to apply yet

    good = tmp_path / "fixed.csv"
    good.write_text(SALESFORCE.replace("bob(at)example.com", "bob@example.com").replace("Nobody", "王建国"),
                    encoding="gb18030")
    page.goto(f"{live_server}/accounts/{account.id}/stakeholders/import")
    page.set_input_files("#file", str(good))
    page.click("form button[type=submit].primary")
    page.wait_for_selector("button[name=apply][value='1']")
    page.click("details.import-mapping summary")  # the columns' mapping, editable
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"import-preview-ok-{lang}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("button[name=apply][value='1']")
    page.wait_for_url(f"**/accounts/{account.id}/stakeholders")
    db.session.expire_all()
    names = {c.name for c in db.session.scalars(db.select(Contact).where(Contact.account_id == account.id))}
    assert names == {"王建国", "Amy Wu", "Bob Lee", "Cathy Lin"}
    shot(page, f"import-done-{lang}-1366")
