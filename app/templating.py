"""Template filters and globals: money, dates and vocabulary labels per language."""
from decimal import Decimal

from flask import g
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
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


def date_(value, fmt="medium"):
    return format_date(value, fmt) if value else "—"


def datetime_(value, fmt="medium"):
    return format_datetime(value, fmt) if value else "—"


def init_app(app):
    """Register filters and globals."""
    app.jinja_env.filters.update(money=money, pct=pct, date=date_, datetime=datetime_,
                                 number=lambda v: "—" if v is None else format_decimal(v))
    from app.audit import labels
    app.jinja_env.globals.update(vocab=vocab, can=can, get_locale=get_locale, audit=labels)

    @app.context_processor
    def inject_user_context():
        return {"membership": g.get("membership"), "user": current_user}
