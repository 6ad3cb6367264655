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

    zone = None
    if has_request_context():
        from app.translate import current_timezone

        zone = current_timezone()
        # Remembered for the request and zone: a plan page asks for every action's overdue flag.
        memo = g.__dict__.get("_kam_today")
        if memo is not None and memo[0] is zone:
            return memo[1]
        day = _local_date(zone)
        g._kam_today = (zone, day)
        return day
    if has_app_context():  # no query here: a command may run before the tables exist
        zone = getattr(g.get("_flask_babel"), "babel_tzinfo", None)
    return _local_date(zone)


def _local_date(zone):
    now = utcnow()
    return now.replace(tzinfo=UTC).astimezone(zone).date() if zone is not None else now.date()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
