"""The search index: one row per searchable thing, kept in step by app/search/index.py."""
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class SearchDoc(db.Model):
    """A searchable object: its heading, its text and the pinyin of its heading.

    `title`, `body` and `pinyin` are NFKC-folded. Who may see a row is decided at query
    time from the current team memberships, never stored here. `parent_id` and `extra`
    only build the link and the label (a plan id, a contact's status, a note's date).
    """

    __tablename__ = "search_doc"
    __table_args__ = (Index("ix_search_doc_kind_object", "kind", "object_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    account_id: Mapped[int] = mapped_column(index=True)
    parent_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    pinyin: Mapped[str] = mapped_column(String(600), default="")
    extra: Mapped[str] = mapped_column(String(60), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
from app.search.schema import listen as _listen  # noqa: E402

_listen(SearchDoc.__table__)
