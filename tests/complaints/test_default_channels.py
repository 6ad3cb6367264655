"""A new account gets the three default complaint channels, owned by its KAM, so a complaint can be logged at once."""
from app.accounts import services as accounts
from app.audit.models import AuditEvent
from app.complaints import services
from app.extensions import db
from tests import factories


def test_new_account_has_default_channels_owned_by_the_kam(app):
    with app.test_request_context():
        kam = factories.make_user("王芳 Wang Fang", seniority="manager")
        account = accounts.create_account(kam, {"name": "新客户 New Co"})
        channels = services.channels_of(account.id)
        assert [c.kind for c in channels] == ["account_manager", "technical", "management"]
        assert {c.owner_id for c in channels} == {kam.id}
        # The timeline names each channel it created.
        summaries = set(db.session.scalars(db.select(AuditEvent.summary).where(
            AuditEvent.object_type == "ComplaintChannel")))
        assert summaries == {"Account manager", "Technical", "Management"}
        # Editable later, and running it again adds nothing.
        assert services.add_default_channels(kam, account, kam.id) == []


def test_without_default_channels(app):
    with app.test_request_context():
        account = accounts.create_account(None, {"name": "Bare"}, kam=factories.make_user(), default_channels=False)
        assert services.channels_of(account.id) == []
