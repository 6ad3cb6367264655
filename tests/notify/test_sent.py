"""claim_once: the record that makes every job idempotent."""
from app.extensions import db
from app.jobs.sent import SentRecord, claim_once
from tests import factories


def test_a_key_is_claimed_once_and_the_callers_work_survives_a_refusal(app):
    assert claim_once("sla-breach:1:0:response:u1") is True
    user = factories.make_user("Pending")
    user.title = "changed before a refused claim"
    assert claim_once("sla-breach:1:0:response:u1") is False
    db.session.commit()
    db.session.expire_all()
    assert user.title == "changed before a refused claim"
    assert db.session.scalar(db.select(db.func.count(SentRecord.id))) == 1
    assert claim_once("sla-breach:1:0:response:u2") is True
