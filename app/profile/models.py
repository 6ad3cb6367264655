"""Workspace-wide settings an admin changes in the app (key → value)."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.concurrency import Versioned
from app.extensions import db
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l


class WorkspaceSetting(Versioned, db.Model):
    """One setting of the workspace, e.g. key "timezone" → "Asia/Shanghai"."""

    __tablename__ = "workspace_setting"
    audit_fields = ("value",)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    value: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _register_labels():
    from app.audit import labels

    labels.register(objects={"WorkspaceSetting": _l("workspace setting")},
                    fields={"timezone": _l("Time zone"), "value": _l("Value"),
                            "calendar_token": _l("Calendar feed address")})


_register_labels()
