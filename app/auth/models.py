"""The workspace's users."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.concurrency import Versioned
from app.extensions import db
from app.timeutil import utcnow
from app.vocab import SENIORITY


class User(Versioned, UserMixin, db.Model):
    """A person who logs in: one of our sales team, or an admin."""

    __tablename__ = "user"
    audit_fields = ("email", "name", "title", "seniority", "language", "timezone", "is_admin", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    seniority: Mapped[str] = mapped_column(String(20), default="staff")
    language: Mapped[str | None] = mapped_column(String(5))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    # Bumped on password change and deactivation: sessions carrying an older
    # value stop working at their next request.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    # An IANA zone name ("Asia/Shanghai"); None follows the workspace's default.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The secret in the personal calendar feed's address (random; None: no feed yet).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    def __repr__(self):
        return f"<User {self.email}>"

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """Session identity: id plus session version, so old sessions can be cut off."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def seniority_label(self):
        return SENIORITY.label(self.seniority)

    @property
    def is_director_or_above(self):
        """Directors, VPs and C-level may own a decision-maker relationship."""
        return SENIORITY.rank(self.seniority) >= SENIORITY.rank("director")


def _register_labels():
    """On the timeline, a person's id in a change is shown as their name."""
    from app.audit import labels

    person = (User, "name", None)
    labels.register(refs={"owner_id": person, "user_id": person, "executive_id": person})


_register_labels()
