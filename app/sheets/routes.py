"""Exports, each as .xlsx or CSV from the same columns and rows."""
from flask_login import current_user, login_required

from app.access import account_view
from app.sheets import bp, tables
from app.sheets.writer import export
from app.timeutil import today

FMT = "<any(xlsx,csv):fmt>"


@bp.route(f"/accounts/<int:account_id>/export/contacts.{FMT}")
@account_view()
def contacts(account, fmt):
    """The account's contacts (imports back as it is)."""
    cols, rows = tables.contacts(account.id)
    return export("Contacts", cols, rows, fmt, f"contacts-{account.id}-{today()}")


@bp.route(f"/accounts/<int:account_id>/export/complaints.{FMT}")
@account_view()
def complaints(account, fmt):
    """The complaint log with its SLA columns."""
    cols, rows = tables.complaints(account.id)
    return export("Complaints", cols, rows, fmt, f"complaints-{account.id}-{today()}")


@bp.route(f"/accounts/<int:account_id>/export/actions.{FMT}")
@account_view()
def actions(account, fmt):
    """The account's actions."""
    cols, rows = tables.actions(account.id)
    return export("Actions", cols, rows, fmt, f"actions-{account.id}-{today()}")


@bp.route(f"/accounts/<int:account_id>/export/coverage.{FMT}")
@account_view()
def coverage(account, fmt):
    """The coverage matrix."""
    cols, rows = tables.coverage(account.id)
    return export("Coverage", cols, rows, fmt, f"coverage-{account.id}-{today()}")


@bp.route(f"/portfolio/export.{FMT}")
@login_required
def portfolio(fmt):
    """The portfolio the user sees, with scores and health."""
    cols, rows = tables.portfolio(current_user)
    return export("Portfolio", cols, rows, fmt, f"portfolio-{today()}",
                  currency=lambda row: row[11])
