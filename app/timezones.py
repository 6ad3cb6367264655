"""Time zones: which one a reader sees times in, and the list people choose from.

Every timestamp column is naive UTC. Shown and typed, a time is in the reader's zone: the
zone on their /me page, else the workspace default an admin set, else the TIMEZONE setting.
"""
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from flask import current_app, g, has_app_context

WORKSPACE_KEY = "timezone"


@lru_cache(maxsize=1)
def all_zones():
    """Every IANA zone name this machine knows, sorted (legacy aliases such as "US/Pacific" kept out)."""
    return tuple(sorted(z for z in available_timezones()
                        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
                        ) + ["UTC"])


@lru_cache(maxsize=1)
def _known():
    return frozenset(available_timezones())


def is_zone(name):
    """True for a zone name zoneinfo can load."""
    return bool(name) and name in _known()


@lru_cache(maxsize=8)
def zone_choices(on_date):
    """[(name, "name (UTC+08:00)")] for every zone, offsets as on `on_date` (cached per day)."""
    noon = datetime.combine(on_date, datetime.min.time()).replace(hour=12)
    out = []
    for name in all_zones():
        off = noon.replace(tzinfo=ZoneInfo(name)).utcoffset()
        minutes = int(off.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        out.append((name, f"{name.replace('_', ' ')} (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"))
    return tuple(out)


def config_default():
    """The TIMEZONE setting (BABEL_DEFAULT_TIMEZONE), the last fallback."""
    babel = current_app.extensions.get("babel")
    name = str(getattr(babel, "default_timezone", "") or current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    return name if is_zone(name) else "UTC"


def workspace_default():
    """The admin's workspace default zone, else the TIMEZONE setting (one query, once per context)."""
    if "workspace_tz" not in g:
        from app.extensions import db
        from app.profile.models import WorkspaceSetting

        value = db.session.scalar(db.select(WorkspaceSetting.value).where(WorkspaceSetting.key == WORKSPACE_KEY))
        g.workspace_tz = value if is_zone(value) else None
    return g.workspace_tz or config_default()


def workspace_zone_expression():
    """SQL for the stored workspace zone, so the session-user query fetches it too (no extra query)."""
    from app.extensions import db
    from app.profile.models import WorkspaceSetting

    return (db.select(WorkspaceSetting.value).where(WorkspaceSetting.key == WORKSPACE_KEY)
            .scalar_subquery())


def zone_of(user):
    """The zone `user` reads times in (their own, else the workspace's, else TIMEZONE)."""
    own = getattr(user, "timezone", None)
    if is_zone(own):
        return own
    if hasattr(user, "workspace_tz"):  # fetched with the session user: no query
        return user.workspace_tz if is_zone(user.workspace_tz) else config_default()
    return workspace_default()


@contextmanager
def force_timezone(name):
    """Render with `name` as the reader's zone (a PDF built in the worker for its requester)."""
    from flask_babel import _get_current_context

    ctx = _get_current_context() if has_app_context() else None
    if ctx is None:
        yield
        return
    from pytz import timezone as pytz_timezone

    before = getattr(ctx, "babel_tzinfo", None)
    ctx.babel_tzinfo = pytz_timezone(name)
    try:
        yield
    finally:
        ctx.babel_tzinfo = before
