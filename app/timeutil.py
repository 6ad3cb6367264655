"""Time helpers: the database stores naive UTC datetimes."""
from datetime import UTC, date, datetime


def utcnow():
    """Naive UTC now, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def today():
    """Today's date where the reader is: in a request, the reader's zone (their own, else the
    workspace's); in a render for someone (force_timezone, e.g. a PDF in the worker), that zone;
    elsewhere (jobs, commands, migrations) UTC. The periodic jobs pick their own day in the
    workspace's zone (app.jobs.workspace_zone).

    A due date is a date, so "overdue" asks whether the reader's today is past it: at 01:00 in
    Shanghai an action due yesterday is overdue, though in UTC it is still yesterday."""
    from flask import g, has_app_context, has_request_context

    now = utcnow()
    zone = None
    if has_request_context():
        from flask_babel import get_timezone

        zone = get_timezone()
    elif has_app_context():  # no query here: a command may run before the tables exist
        zone = getattr(g.get("_flask_babel"), "babel_tzinfo", None)
    if zone is None:
        return now.date()
    return now.replace(tzinfo=UTC).astimezone(zone).date()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
