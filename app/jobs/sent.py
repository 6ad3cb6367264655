"""`claim_once(key)`: True the first time a key is claimed, False every time after.

A periodic job calls it before telling anyone anything, with a key that names the event
and the recipient (and the channel, if each is sent separately):

    if claim_once(f"sla:complaint:{c.id}:breach:user:{owner.id}:email"):
        send_mail(...)
    db.session.commit()

The claim is an `INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id` in the caller's transaction,
so it is safe when two workers (or two servers) run the same job at once: on PostgreSQL
the second insert waits for the first transaction and then inserts nothing; on SQLite
writers are serialised. The claim commits with the caller's work; if the job fails and
rolls back, the claim goes too and the next run tries again (at least once, never twice
after a success). Keys longer than 200 characters are stored as their SHA-256.
"""
import hashlib

from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.jobs.models import SentRecord
from app.timeutil import utcnow

MAX_KEY = 200


def normalise(key: str) -> str:
    """The stored form of a key: itself, or `sha256:<hex>` when it is too long for the column."""
    if not key:
        raise ValueError("an idempotency key must not be empty")
    if len(key) <= MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def claim_once(key: str) -> bool:
    """Record `key` as sent in the current transaction; False if it was recorded before."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(SentRecord).values(key=normalise(key), sent_at=utcnow()).on_conflict_do_nothing(
        index_elements=["key"]).returning(SentRecord.id)  # rowcount is not reliable through the ORM
    return db.session.execute(stmt).scalar() is not None


def was_sent(key: str) -> bool:
    """Whether `key` has been claimed (committed, or earlier in this transaction)."""
    return db.session.scalar(db.select(SentRecord.id).where(SentRecord.key == normalise(key))) is not None


def forget_older_than(cutoff) -> int:
    """Delete the records sent before `cutoff` (naive UTC); the number deleted. Does not commit."""
    return db.session.execute(db.delete(SentRecord).where(SentRecord.sent_at < cutoff)).rowcount
