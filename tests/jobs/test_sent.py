"""claim_once: the first claim of a key wins, in the caller's transaction, even under concurrency."""
import threading
from datetime import timedelta

import pytest

from app.extensions import db
from app.jobs.models import SentRecord
from app.jobs.sent import claim_once, forget_older_than, normalise, was_sent
from app.timeutil import utcnow


def test_a_key_is_claimed_once(app):
    assert claim_once("sla:complaint:1:breach:user:2") is True
    assert claim_once("sla:complaint:1:breach:user:2") is False  # same transaction
    db.session.commit()
    assert claim_once("sla:complaint:1:breach:user:2") is False  # after the commit
    assert claim_once("sla:complaint:1:breach:user:3") is True
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(SentRecord)) == 2


def test_a_rolled_back_claim_can_be_claimed_again(app):
    assert claim_once("digest:2026-W49:user:5")
    db.session.rollback()  # the job failed before it committed: the next run tries again
    assert not was_sent("digest:2026-W49:user:5")
    assert claim_once("digest:2026-W49:user:5")


def test_a_claim_does_not_disturb_the_rest_of_the_transaction(app, world):
    world.account.name = "Renamed in the job"
    assert claim_once("k1") and not claim_once("k1")
    db.session.commit()  # a refused claim did not abort the transaction (no error on PostgreSQL)
    db.session.expire_all()
    assert world.account.name == "Renamed in the job"


def test_long_keys_are_hashed_and_empty_keys_refused(app):
    long = "x" * 500
    assert normalise(long).startswith("sha256:") and len(normalise(long)) <= 200
    assert claim_once(long) and not claim_once(long)
    with pytest.raises(ValueError):
        claim_once("")


def test_concurrent_claims_of_one_key_have_one_winner(app):
    """Eight workers, each in its own session and transaction, claim the same key at once."""
    barrier, results, errors = threading.Barrier(8), [], []

    def worker():
        with app.app_context():
            try:
                barrier.wait(10)
                won = claim_once("action:7:due:2026-12-02:user:9")
                db.session.commit()
                results.append(won)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors and sorted(results) == [False] * 7 + [True]


def test_old_records_are_forgotten(app):
    claim_once("old")
    claim_once("new")
    db.session.execute(db.update(SentRecord).where(SentRecord.key == "old").values(
        sent_at=utcnow() - timedelta(days=200)))
    assert forget_older_than(utcnow() - timedelta(days=180)) == 1
    db.session.commit()
    assert not was_sent("old") and was_sent("new")
