"""The workspace always has an active admin: nobody can demote or deactivate the last one."""
import pytest

from app.auth import services
from app.auth.models import User
from app.extensions import db
from tests import factories

MESSAGE = "The workspace needs an active admin: make someone else an admin first."


def profile(user, **changes):
    """The edit form's fields as they stand, with `changes`."""
    data = {"email": user.email, "name": user.name, "title": user.title, "seniority": user.seniority,
            "language": user.language or ""}
    if user.is_admin:
        data["is_admin"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_last_admin_cannot_remove_their_own_admin_role(app):
    ada = factories.make_user("Ada", is_admin=True)
    c = app.test_client().login(ada)
    resp = c.post(f"/admin/users/{ada.id}", data=profile(ada, is_admin=None, name="Ada Lovelace"))
    assert resp.status_code == 409
    assert MESSAGE in resp.get_data(as_text=True)
    assert 'value="Ada Lovelace"' in resp.get_data(as_text=True)  # what was typed is kept
    assert fresh(ada).is_admin and fresh(ada).name == "Ada"


def test_the_last_admin_cannot_deactivate_themselves(app):
    ada = factories.make_user("Ada", is_admin=True)
    c = app.test_client().login(ada)
    resp = c.post(f"/admin/users/{ada.id}/active")
    assert resp.status_code == 409 and "You cannot deactivate yourself." in resp.get_data(as_text=True)
    assert fresh(ada).active


def test_with_a_second_admin_one_may_step_down_then_the_other_may_not(app):
    ada = factories.make_user("Ada", is_admin=True)
    bob = factories.make_user("Bob", is_admin=True)
    a, b = app.test_client().login(ada), app.test_client().login(bob)
    assert a.post(f"/admin/users/{ada.id}", data=profile(ada, is_admin=None)).status_code == 302
    assert not fresh(ada).is_admin
    resp = b.post(f"/admin/users/{bob.id}", data=profile(bob, is_admin=None))
    assert resp.status_code == 409 and MESSAGE in resp.get_data(as_text=True)
    assert fresh(bob).is_admin


def test_an_inactive_admin_does_not_count(app):
    ada = factories.make_user("Ada", is_admin=True)
    factories.make_user("Old admin", is_admin=True, active=False)
    resp = app.test_client().login(ada).post(f"/admin/users/{ada.id}", data=profile(ada, is_admin=None))
    assert resp.status_code == 409 and fresh(ada).is_admin


def test_nobody_can_deactivate_or_demote_the_last_active_admin(app):
    ada = factories.make_user("Ada", is_admin=True)
    with pytest.raises(services.LastAdmin):
        services.set_active(None, ada, False)  # e.g. from the command line
    db.session.rollback()
    with pytest.raises(services.LastAdmin):
        services.update_user(None, ada, is_admin=False)
    db.session.rollback()
    assert fresh(ada).active and fresh(ada).is_admin


def test_other_admins_can_still_be_deactivated_and_demoted(app):
    ada = factories.make_user("Ada", is_admin=True)
    bob = factories.make_user("Bob", is_admin=True)
    cat = factories.make_user("Cat", is_admin=True)
    c = app.test_client().login(ada)
    assert c.post(f"/admin/users/{bob.id}/active").status_code == 302
    assert c.post(f"/admin/users/{cat.id}", data=profile(cat, is_admin=None)).status_code == 302
    assert not fresh(bob).active and not fresh(cat).is_admin
    assert c.post(f"/admin/users/{bob.id}/active").status_code == 302  # reactivated
    assert fresh(bob).active
