"""Calendar quarters as "2026-Q3" strings: parse, bounds, current, next, recent."""
import re
from datetime import date

from app.timeutil import today

PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


def parse(text):
    """(year, q) of "2026-Q3", or None when the text is not a quarter."""
    m = PATTERN.match((text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        return None
    return int(m.group(1)), int(m.group(2))


def label(year, q):
    """ "2026-Q3" """
    return f"{year}-Q{q}"


def current(on=None):
    """The quarter of `on` (today by default)."""
    on = on or today()
    return label(on.year, (on.month - 1) // 3 + 1)


def bounds(quarter):
    """First and last day of a quarter."""
    year, q = parse(quarter)
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def shift(quarter, n):
    """The quarter `n` quarters after (negative: before)."""
    year, q = parse(quarter)
    idx = year * 4 + (q - 1) + n
    return label(idx // 4, idx % 4 + 1)


def recent(n=6, on=None):
    """The current quarter and the `n - 1` before it, newest first (for pickers)."""
    cur = current(on)
    return [shift(cur, -i) for i in range(n)]


def ended(quarter, on=None):
    """Whether the quarter's last day is behind us."""
    return bounds(quarter)[1] < (on or today())
