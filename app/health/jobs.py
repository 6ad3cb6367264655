"""`health-snapshots`: each account's health stored when a quarter closes, in the workspace's time zone.

The consumer runs it every hour (crontabs are UTC, quarters close at local midnight); it
acts only in the first CLOSE_WINDOW_DAYS days of a quarter, so a worker that was down at
the close catches up, and is idempotent: it stores the closed quarter's snapshot of every
live account that has none taken after the close (a mid-quarter one from the button is
replaced by the close value), and never one for an account created after the quarter ended.
"""
from datetime import UTC, datetime, time

from huey import crontab

from app.accounts.models import Account
from app.extensions import db
from app.health import services
from app.health.models import HealthSnapshot
from app.jobs import periodic, workspace_zone
from app.reviews import quarters
from app.timeutil import utcnow

CLOSE_WINDOW_DAYS = 7


def closed_quarter(now=None, zone=None):
    """(quarter, its end as naive UTC) when `now` is within a week of a quarter close, else (None, None)."""
    zone = zone or workspace_zone()
    local = (now or utcnow()).replace(tzinfo=UTC).astimezone(zone)
    current = quarters.current(local.date())
    start = quarters.bounds(current)[0]
    if (local.date() - start).days >= CLOSE_WINDOW_DAYS:
        return None, None
    end_utc = datetime.combine(start, time(0), zone).astimezone(UTC).replace(tzinfo=None)
    return quarters.shift(current, -1), end_utc


def snapshot_closed_quarter(now=None, zone=None):
    """Store the just-closed quarter's snapshot where it is missing; (quarter, number stored)."""
    now = now or utcnow()
    quarter, end = closed_quarter(now, zone)
    if quarter is None:
        return None, 0
    live = set(db.session.scalars(db.select(Account.id).where(
        Account.archived_at.is_(None), Account.created_at < end)))
    done = set(db.session.scalars(db.select(HealthSnapshot.account_id).where(
        HealthSnapshot.quarter == quarter, HealthSnapshot.taken_at >= end)))
    todo = live - done
    return quarter, services.take_snapshots(todo, quarter, now=now) if todo else 0


@periodic("health-snapshots", crontab(minute="5"), "hourly; acts in the week after a quarter closes",
          "Store each live account's health for the quarter that just closed (workspace time zone).")
def health_snapshots():
    """Store each live account's health for the quarter that just closed (workspace time zone)."""
    quarter, stored = snapshot_closed_quarter()
    if quarter is None:
        return "no quarter closed in the last week: nothing to do"
    return f"{stored} snapshot(s) stored for {quarter}"
