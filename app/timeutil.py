"""Time helpers: the database stores naive UTC datetimes."""
from datetime import UTC, date, datetime


def utcnow():
    """Naive UTC now, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def today():
    """Today's date where the reader is: in a request, the reader's zone (their own, else the
    workspace's); in a job or a command, the workspace's; outside the app, UTC.

    A due date is a date, so "overdue" asks whether the reader's today is past it: at 01:00 in
    Shanghai an action due yesterday is overdue, though in UTC it is still yesterday."""
    from flask import has_app_context

    now = utcnow()
    if not has_app_context():
        return now.date()
    from flask_babel import get_timezone

    zone = get_timezone()
    if zone is None:
        return now.date()
    return now.replace(tzinfo=UTC).astimezone(zone).date()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
