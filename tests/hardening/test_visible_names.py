"""Names people see: a blank-looking name is refused, bidi overrides are stripped, invisible
ends are trimmed, for people (users), contacts, departments and accounts, through the real forms."""
import pytest

from app.extensions import db
from app.names import clean_name, is_blank
from tests.hardening.test_edit_forms import form_posting_to
from tests.route_params import build

INVISIBLE = [
    "   ", "\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", "\u202e", "\u2066\u2069", "\u200e\u200f",
    "\u3000\u3000", "\u00a0", "\t\n", "\u3164", "\u2800", "\u00ad", "\u202a \u202c", "\u061c",
]
CLEANED = [  # typed -> stored
    ("\u202eexe.gnp", "exe.gnp"),  # a right-to-left override would show it as "png.exe"
    ("Wang\u202e Fang\u202c", "Wang Fang"),
    ("\u2066王芳\u2069", "王芳"),
    ("\u200b\u200b Li Lei \u200f", "Li Lei"),
    ("\ufeffContoso\u00a0", "Contoso"),
    ("\u3000华东精密\u3000", "华东精密"),
    ("Zhang\n\tWei", "Zhang Wei"),
    ("👩\u200d💻 Emma", "👩\u200d💻 Emma"),  # a joiner inside an emoji stays
    ("می\u200cخواهم", "می\u200cخواهم"),  # so does a non-joiner inside a Persian word
]


def test_clean_name_rules():
    for typed in INVISIBLE:
        assert is_blank(typed), repr(typed)
        assert clean_name(typed) == ""
    for typed, stored in CLEANED:
        assert clean_name(typed) == stored, repr(typed)
    assert clean_name(None) is None


def _name_forms(world):
    """(what, GET page, POST url, extra fields, getter of the stored name) for each kind of name."""
    from app.accounts.models import Account
    from app.auth.models import User
    from app.stakeholders.models import Contact, Department

    a = world.account.id
    dept = db.session.scalar(db.select(Department.id).where(Department.account_id == a).limit(1))
    contact = db.session.scalar(db.select(Contact.id).where(Contact.account_id == a).order_by(Contact.id).limit(1))
    member = world.users["member"].id
    return {
        "user": (f"/admin/users/{member}", f"/admin/users/{member}", {},
                 lambda: db.session.get(User, member).name),
        "new user": ("/admin/users", "/admin/users", {"email": "new.person@example.com", "password": "long-enough-1"},
                     lambda: db.session.scalar(db.select(User.name).where(User.email == "new.person@example.com"))),
        "contact": (f"/accounts/{a}/stakeholders/contacts/{contact}", f"/accounts/{a}/stakeholders/contacts/{contact}", {},
                    lambda: db.session.get(Contact, contact).name),
        "new contact": (f"/accounts/{a}/stakeholders", f"/accounts/{a}/stakeholders", {},
                        lambda: db.session.scalar(db.select(Contact.name).where(Contact.account_id == a)
                                                  .order_by(Contact.id.desc()).limit(1))),
        "department": (f"/accounts/{a}/stakeholders/departments/{dept}", f"/accounts/{a}/stakeholders/departments/{dept}", {},
                       lambda: db.session.get(Department, dept).name),
        "new department": (f"/accounts/{a}/stakeholders", f"/accounts/{a}/stakeholders/departments", {},
                           lambda: db.session.scalar(db.select(Department.name).where(Department.account_id == a)
                                                     .order_by(Department.id.desc()).limit(1))),
        "account": (f"/accounts/{a}/edit", f"/accounts/{a}/edit", {}, lambda: db.session.get(Account, a).name),
        "new account": ("/accounts/new", "/accounts/new", {},
                        lambda: db.session.scalar(db.select(Account.name).order_by(Account.id.desc()).limit(1))),
    }


KINDS = ["user", "new user", "contact", "new contact", "department", "new department", "account", "new account"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_of_invisible_characters_is_refused(app, world, kind):
    build(world)
    page, url, extra, stored = _name_forms(world)[kind]
    client = app.test_client().login(world.users["admin"])
    fields = form_posting_to(client.get(page).get_data(as_text=True), url, page)
    before = stored()
    for typed in INVISIBLE:
        resp = client.post(url, data={**fields, **extra, "name": typed})
        assert resp.status_code == 422, (kind, repr(typed), resp.status)
        assert "Use visible characters: this name would show as blank." in resp.get_data(as_text=True), repr(typed)
        db.session.expire_all()
        assert stored() == before


@pytest.mark.parametrize("kind", KINDS)
def test_bidi_overrides_are_stripped_and_invisible_ends_trimmed(app, world, kind):
    build(world)
    page, url, extra, stored = _name_forms(world)[kind]
    client = app.test_client().login(world.users["admin"])
    for n, (typed, want) in enumerate(CLEANED[:4] + CLEANED[7:8]):
        fields = form_posting_to(client.get(page).get_data(as_text=True), url, page)
        data = {**fields, **extra, "name": typed}
        if "email" in extra:
            data["email"] = f"p{n}@example.com"
        resp = client.post(url, data=data)
        assert resp.status_code in (200, 302, 303), (kind, repr(typed), resp.status, resp.get_data(as_text=True)[:800])
        db.session.expire_all()
        got = stored() if "email" not in extra else db.session.scalar(
            db.text("SELECT name FROM \"user\" WHERE email = :e"), {"e": f"p{n}@example.com"})
        assert got == want, (kind, repr(typed), repr(got))


def test_services_clean_names_too(app, world):
    """The CLI, the demo data and the CSV import go through the services: they clean as well."""
    from app.accounts import services as accounts
    from app.auth import services as users
    from app.stakeholders import services as stakeholders

    admin = world.users["admin"]
    acc = accounts.create_account(admin, {"name": "\u202eNorthwind\u200b"})
    assert acc.name == "Northwind"
    contact = stakeholders.create_contact(admin, acc, {"name": " \u2066陈静\u2069 "})
    assert contact.name == "陈静"
    with pytest.raises(stakeholders.StakeholderError):
        stakeholders.create_contact(admin, acc, {"name": "\u200b\u200d"})
    with pytest.raises(users.UserError):
        users.create_user(admin, email="blank@example.com", name="\u3164", password="long-enough-1")
