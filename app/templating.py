"""Template filters and globals: money, dates and vocabulary labels per language."""
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from flask import g
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    to_user_timezone,
)
from flask_login import current_user

from app import vocab
from app.access import can


def money(value, currency="CNY"):
    """Money in the user's locale, without decimals (account sizes, not invoices)."""
    if value is None:
        return "—"
    from babel.numbers import format_currency
    return format_currency(Decimal(value), currency, locale=str(get_locale()),
                           format="¤#,##0", currency_digits=False)


def pct(value, digits=0):
    if value is None:
        return "—"
    return format_percent(float(value) / 100, format="#,##0" + ("." + "0" * digits if digits else "") + "%")


@lru_cache(maxsize=32)
def _patterns(locale, fmt):
    """The locale's parsed date, time and date-time patterns (Babel re-reads them on every call)."""
    loc = Locale.parse(locale)
    return loc, loc.date_formats[fmt], loc.time_formats[fmt], loc.datetime_formats[fmt]


def _one(fmt):
    """'short' and 'medium' both read as medium, so a page shows one date format per language."""
    return "medium" if fmt == "short" else fmt


def date_(value, fmt="medium"):
    """A date in the user's language; a (UTC) datetime is first moved into the user's zone, so
    "received 3 Dec" is the reader's 3 Dec. A date stays the date it is, in every zone."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    if fmt not in ("short", "medium", "long", "full"):
        return format_date(value, fmt)
    loc, date_p, _time_p, _dt = _patterns(str(get_locale()), _one(fmt))
    return date_p.apply(value, loc)


def datetime_(value, fmt="medium"):
    """A UTC datetime shown in the user's time zone and language; cached patterns keep long tables fast."""
    if not value:
        return "—"
    if fmt not in ("short", "medium", "long", "full"):
        return format_datetime(value, fmt)
    loc, date_p, _time_p, dt_p = _patterns(str(get_locale()), _one(fmt))
    time_p = _patterns(str(get_locale()), "short")[2]  # hours and minutes: never seconds
    local = to_user_timezone(value)
    return dt_p.replace("{1}", date_p.apply(local, loc)).replace("{0}", time_p.apply(local, loc))


def init_app(app):
    """Register filters and globals."""
    app.jinja_env.filters.update(money=money, pct=pct, date=date_, datetime=datetime_,
                                 number=lambda v: "—" if v is None else format_decimal(v))
    from app.audit import labels
    app.jinja_env.globals.update(vocab=vocab, can=can, get_locale=get_locale, audit=labels)

    @app.context_processor
    def inject_user_context():
        return {"membership": g.get("membership"), "user": current_user}
