"""Complaint lists read as columns: one joined SELECT, plain rows (issue 22).

A list of 50 complaints loaded 50 Complaint objects and then, in four more queries, their
channels, owners and contacts (and for the list across accounts, the accounts), to show a dozen
values a row. `rows(stmt)` runs the list's statement once with the names joined in and gives
`ComplaintRow`s: the same attributes and the same methods the list's macros call (the model's own
functions, shared, not copied), nothing to flush and nothing to lazy-load.
"""
from functools import cache

from sqlalchemy.orm import aliased

from app.auth.models import User
from app.complaints.models import CHANNEL_KINDS, Complaint, ComplaintChannel
from app.extensions import db
from app.paging import COUNT_ALL
from app.stakeholders.models import Contact

COLUMNS = ("id", "account_id", "channel_id", "source_channel_id", "contact_id", "owner_id", "subject",
           "severity", "status", "received_at", "respond_by", "resolve_by", "acknowledged_at",
           "resolved_at", "reopen_count", "breach_at", "severity_rank")


class Named:
    """A joined object the list shows by name only (account, contact, owner)."""

    __slots__ = ("id", "name")

    def __init__(self, id_, name):
        self.id, self.name = id_, name


class ChannelRow:
    """A channel as the list shows it: its kind and its targets."""

    __slots__ = ("id", "kind", "response_hours", "resolution_hours")

    def __init__(self, id_, kind, response_hours, resolution_hours):
        self.id, self.kind = id_, kind
        self.response_hours, self.resolution_hours = response_hours, resolution_hours

    kind_label = property(lambda self: CHANNEL_KINDS.label(self.kind))


class ComplaintRow:
    """One complaint of a list, with the model's properties and methods over its columns."""

    __slots__ = (*COLUMNS, "account", "contact", "owner", "channel", "source_channel")

    severity_label = Complaint.severity_label
    status_label = Complaint.status_label
    is_open = Complaint.is_open
    response_hours = Complaint.response_hours
    resolution_hours = Complaint.resolution_hours
    response_breached = Complaint.__dict__["response_breached"].func
    resolution_breached = Complaint.__dict__["resolution_breached"].func
    breached = Complaint.__dict__["breached"].func


@cache
def _joined(dialect):
    """(the list's columns, [(entity, on)] to outer-join) for a dialect, built once a process.

    Building them cost more than running the query: fresh aliases of the channel adapt every
    column again (a fifth of the overview's complaint section on SQLite)."""
    from app.accounts.models import Account

    channel, source = aliased(ComplaintChannel), aliased(ComplaintChannel)
    targets = ("kind", "response_hours", "resolution_hours")
    # What each row names, in the order read below: (the joined entity, the row's key to it, its columns).
    lookups = ((Account, Complaint.account_id, ("name",)), (Contact, Complaint.contact_id, ("name",)),
               (User, Complaint.owner_id, ("name",)), (channel, Complaint.channel_id, targets),
               (source, Complaint.source_channel_id, targets))
    cols = [getattr(Complaint, c) for c in COLUMNS]
    if dialect == "postgresql":
        # Scalar subqueries rather than five joins: PostgreSQL spent 7 ms planning the
        # seven-table join of the list across accounts (3 ms running it); each lookup is
        # planned on its own (1.5 ms in all). SQLite plans joins in no time and runs them faster.
        return (cols + [db.select(getattr(entity, f)).where(entity.id == key).correlate(Complaint).scalar_subquery()
                        for entity, key, fields in lookups for f in fields], ())
    return (cols + [getattr(entity, f) for entity, key, fields in lookups for f in fields],
            tuple((entity, entity.id == key) for entity, key, _fields in lookups))


def rows(stmt):
    """[ComplaintRow] of `stmt` (a select of Complaint with its filters, order, limit), in one query."""
    return _collect(db.session.execute(reading(stmt)), counted=False)[0]


def reading(stmt, counted=False, dialect=None):
    """`stmt` (a select of Complaint) turned into the select the rows are read from (with the
    window count if `counted`), for a caller that keeps it: see rows_of."""
    cols, joins = _joined(dialect or db.session.get_bind().dialect.name)
    stmt = stmt.with_only_columns(*cols, *((COUNT_ALL,) if counted else ()))
    for entity, on in joins:
        stmt = stmt.outerjoin(entity, on)
    return stmt


def rows_of(read_stmt, params, counted=False):
    """([ComplaintRow], how many rows the select has before its LIMIT if `counted`, else 0) of a
    select made by reading(stmt, counted), run with `params`: one query, the count a window over
    the same rows (a count of its own was a round trip more, issue 22). Counted, for a first
    page only: an empty result counts 0 (app/paging.py pages with an offset). A statement built
    once a process on bound parameters runs without being built again."""
    return _collect(db.session.execute(read_stmt, params), counted)


def _collect(result, counted):
    n = len(COLUMNS)
    channels, out = {}, []

    def channel_row(channel_id, values):
        found = channels.get(channel_id)
        if found is None:
            found = channels[channel_id] = ChannelRow(channel_id, *values)
        return found

    total = 0
    for r in result:
        if counted:
            total = r[-1]
        row = ComplaintRow()
        for name, value in zip(COLUMNS, r[:n], strict=True):
            setattr(row, name, value)
        account_name, contact_name, owner_name = r[n], r[n + 1], r[n + 2]
        row.account = Named(row.account_id, account_name)
        row.contact = Named(row.contact_id, contact_name) if row.contact_id else None
        row.owner = Named(row.owner_id, owner_name) if row.owner_id else None
        row.channel = channel_row(row.channel_id, r[n + 3:n + 6])
        row.source_channel = channel_row(row.source_channel_id, r[n + 6:n + 9])
        out.append(row)
    return out, total
