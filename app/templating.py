"""Template filters and globals: money, dates and vocabulary labels per language.

The formatters run once a cell on long tables, so each keeps Babel's parsed patterns per
locale (Babel parses a pattern string on every call) and reads the request's locale and zone by
the short path of app/translate.py: the format objects are built once a process and locale.
"""
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern
from flask import current_app, g
from flask_babel import format_date, format_datetime
from flask_login import current_user
from markupsafe import Markup, escape

from app import translate, vocab
from app.access import can
from app.translate import current_locale, current_timezone


@lru_cache(maxsize=64)
def _number(locale, fmt):
    """(Locale, parsed number pattern) for a locale and a pattern string."""
    return Locale.parse(locale), parse_pattern(fmt)


@lru_cache(maxsize=16)
def _decimal(locale):
    """(Locale, the locale's own decimal pattern)."""
    loc = Locale.parse(locale)
    return loc, loc.decimal_formats[None]


def money(value, currency="CNY"):
    """Money in the user's locale, without decimals (account sizes, not invoices)."""
    if value is None:
        return "—"
    return _money(value, currency, current_locale())


def pct(value, digits=0):
    """A percentage (value 0-100) in the user's locale."""
    if value is None:
        return "—"
    return _pct(value, digits, current_locale())


def number(value):
    """A number with the locale's grouping."""
    if value is None:
        return "—"
    return _number_text(value, current_locale())


# Pure functions of their arguments, and a page shows the same accounts' figures request after
# request: each distinct figure is formatted once a process (Babel's apply is ~50 µs with a currency).
@lru_cache(maxsize=4096)
def _money(value, currency, locale):
    loc, pattern = _number(locale, "¤#,##0")
    return pattern.apply(Decimal(value), loc, currency=currency, currency_digits=False)


@lru_cache(maxsize=4096)
def _pct(value, digits, locale):
    loc, pattern = _number(locale, "#,##0" + ("." + "0" * digits if digits else "") + "%")
    return pattern.apply(float(value) / 100, loc)


@lru_cache(maxsize=4096)
def _number_text(value, locale):
    loc, pattern = _decimal(locale)
    return pattern.apply(value, loc)


@lru_cache(maxsize=32)
def _patterns(locale, fmt):
    """The locale's parsed date, time and date-time patterns (Babel re-reads them on every call)."""
    loc = Locale.parse(locale)
    return loc, loc.date_formats[fmt], loc.time_formats[fmt], loc.datetime_formats[fmt]


def _one(fmt):
    """'short' and 'medium' both read as medium, so a page shows one date format per language."""
    return "medium" if fmt == "short" else fmt


def _local(value):
    """A (naive UTC or aware) datetime in the reader's zone (flask_babel.to_user_timezone)."""
    return _in_zone(value, current_timezone())


def _in_zone(value, tz):
    """A (naive UTC or aware) datetime in zone `tz`."""
    from pytz import UTC

    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return tz.normalize(value.astimezone(tz))


def date_(value, fmt="medium"):
    """A date in the user's language; a (UTC) datetime is first moved into the user's zone, so
    "received 3 Dec" is the reader's 3 Dec. A date stays the date it is, in every zone."""
    if not value:
        return "—"
    if fmt not in ("short", "medium", "long", "full"):
        return format_date(_local(value) if isinstance(value, datetime) else value, fmt)
    if isinstance(value, datetime):
        return _date_of(value, _one(fmt), current_locale(), current_timezone())
    return _date(value, _one(fmt), current_locale())


def datetime_(value, fmt="medium"):
    """A UTC datetime shown in the user's time zone and language; cached patterns keep long tables fast."""
    if not value:
        return "—"
    if fmt not in ("short", "medium", "long", "full"):
        return format_datetime(value, fmt)
    return _datetime(value, _one(fmt), current_locale(), current_timezone())


# A table repeats its dates (due dates, scoring days, one meeting's time): each distinct
# (value, format, language, zone) is formatted once a process; the functions are pure.
@lru_cache(maxsize=4096)
def _date(value, fmt, locale):
    loc, date_p, _time_p, _dt = _patterns(locale, fmt)
    return date_p.apply(value, loc)


@lru_cache(maxsize=4096)
def _date_of(value, fmt, locale, tz):
    loc, date_p, _time_p, _dt = _patterns(locale, fmt)
    return date_p.apply(_in_zone(value, tz), loc)


@lru_cache(maxsize=4096)
def _datetime(value, fmt, locale, tz):
    loc, date_p, _time_p, dt_p = _patterns(locale, fmt)
    time_p = _patterns(locale, "short")[2]  # hours and minutes: never seconds
    local = _in_zone(value, tz)
    return dt_p.replace("{1}", date_p.apply(local, loc)).replace("{0}", time_p.apply(local, loc))


@lru_cache(maxsize=1024)
def _vocab_options(choices, selected, locale):
    return Markup("".join(f'<option value="{escape(v)}" {"selected" if v == selected else ""}>{escape(label)}</option>'
                          for v, label in choices.pairs))


def vocab_options(choices, selected):
    """The <option>s of a vocabulary with `selected` chosen, as a row's inline select writes them
    (`{% for v, l in V.choices %}<option value="{{ v }}" {% if v == x %}selected{% endif %}>...`).
    A list shows one select a row and rows repeat their choices, so each (vocabulary, choice,
    locale) is built once a process: a Jinja loop of them was 20 µs a select."""
    return _vocab_options(choices, selected, current_locale())


_FRAGMENTS = {}  # rendered rows by (template, macro, language, key): see fragment
FRAGMENTS_KEPT = 8192


def fragment(template, macro, key, *args):
    """`macro` of `template` called with `args`, rendered once a process for each `key` and
    language (issue 22): a list's rows repeat request after request, and a row of health macros
    cost more to render than its data to read. `key` must hold everything the row shows (the
    language is added here); a change to any of it is a new row. Kept up to FRAGMENTS_KEPT rows,
    then begun again. A `key` of None renders the macro without keeping it."""
    if key is None:
        return Markup(getattr(current_app.jinja_env.get_template(template).module, macro)(*args))
    full = (template, macro, str(current_locale()), key)
    html = _FRAGMENTS.get(full)
    if html is None:
        if len(_FRAGMENTS) >= FRAGMENTS_KEPT:
            _FRAGMENTS.clear()
        module = current_app.jinja_env.get_template(template).module
        html = _FRAGMENTS[full] = Markup(getattr(module, macro)(*args))
    return html


def _request_csrf_token(app):
    """Templates' `csrf_token()`: Flask-WTF's token, by the short path once the request made it.

    Flask-WTF's `generate_csrf` reads four settings through the app proxy before it finds the
    token it keeps on `g` for the request; a list with a form a row (50 on the actions page) asked
    for it as often. The field it keeps it under is fixed when the app starts."""
    from flask.globals import _cv_app
    from flask_wtf.csrf import generate_csrf

    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")

    def csrf_token():
        ctx = _cv_app.get(None)
        token = ctx.g.__dict__.get(field) if ctx is not None else None
        return token if token is not None else generate_csrf()
    return csrf_token


def init_app(app):
    """Register filters and globals."""
    app.jinja_env.filters.update(money=money, pct=pct, date=date_, datetime=datetime_,
                                 number=number)
    translate.init_app(app)
    from app import formwidgets
    formwidgets.install()
    from app.audit import labels
    app.jinja_env.globals.update(vocab=vocab, vocab_options=vocab_options, can=can, get_locale=current_locale, audit=labels,
                                 csrf_token=_request_csrf_token(app))

    @app.context_processor
    def inject_user_context():
        return {"membership": g.get("membership"), "user": current_user}
