"""Time helpers: the database stores naive UTC datetimes."""
from datetime import UTC, date, datetime


def utcnow():
    """Naive UTC now, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def today():
    """Today's date in UTC."""
    return utcnow().date()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
