"""Notifications (the bell), each person's choices, and chat-bot webhook targets."""
import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.concurrency import Versioned
from app.extensions import db
from app.timeutil import utcnow


class Notification(db.Model):
    """One thing one person was told in the app. The text is rendered when read, in the reader's
    language, from `kind` and `params`; `url` is the path of the object it is about."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),
                      Index("ix_notification_user_id", "user_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[str] = mapped_column(String(40))
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    @property
    def params(self):
        try:
            return json.loads(self.params_json or "{}")
        except ValueError:
            return {}


class NotifyPreference(db.Model):
    """How one person wants one kind of event: 'both', 'in_app', 'email' or 'none'.
    No row: the default for their role (see services.default_channels)."""

    __tablename__ = "notify_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notify_preference_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    channels: Mapped[str] = mapped_column(String(10), default="both")


class WebhookTarget(Versioned, db.Model):
    """A chat group's bot (WeCom, Feishu/Lark, DingTalk, Slack) that hears chosen events,
    of one account or (account_id None, admins only) of every account."""

    __tablename__ = "webhook_target"
    audit_fields = ("name", "platform", "events", "language", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    platform: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[str] = mapped_column(String(400), default="")  # comma-separated kinds
    language: Mapped[str] = mapped_column(String(5), default="zh")
    active: Mapped[bool] = mapped_column(default=True)
    paused_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)  # consecutive failed calls
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_ok_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def event_list(self):
        return [e for e in (self.events or "").split(",") if e]

    @property
    def is_live(self):
        return self.active and self.paused_at is None


def _register_labels():
    """On the account's timeline, a chat bot and its fields have names."""
    from flask_babel import lazy_gettext as _l

    from app.audit import labels

    labels.register(objects={"WebhookTarget": _l("chat bot")},
                    fields={"platform": _l("Platform"), "events": _l("Events it hears")})


_register_labels()
