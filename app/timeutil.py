"""Time helpers: the database stores naive UTC datetimes."""
from datetime import UTC, date, datetime

from flask.globals import _cv_app, _cv_request

from app.translate import current_timezone


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
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        return _local_date(None)
    gd = app_ctx.g.__dict__
    if _cv_request.get(None) is not None:
        zone = current_timezone()
        # Remembered for the request and zone: a plan page asks for every action's overdue flag.
        memo = gd.get("_kam_today")
        if memo is not None and memo[0] is zone:
            return memo[1]
        day = _local_date(zone)
        gd["_kam_today"] = (zone, day)
        return day
    # no query here: a command may run before the tables exist
    return _local_date(getattr(gd.get("_flask_babel"), "babel_tzinfo", None))


def _local_date(zone):
    now = utcnow()
    return now.replace(tzinfo=UTC).astimezone(zone).date() if zone is not None else now.date()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
