"""`flask health-snapshot [--quarter 2026-Q3]`: force a quarter's snapshot now (the `health-snapshots` job takes it at each close)."""
import click

from app.health import bp


@bp.cli.command("health-snapshot")
@click.option("--quarter", default=None, help="Quarter to store, e.g. 2026-Q3 (default: the one just closed).")
def health_snapshot_cmd(quarter):
    """Store every active account's health as its snapshot for the quarter."""
    from app.accounts.models import Account
    from app.extensions import db
    from app.health import services

    if quarter is None:
        quarter = services.shift_quarter(services.quarter_of_today(), -1)
    try:
        services.parse_quarter(quarter)
    except ValueError as e:
        raise click.BadParameter("use the form 2026-Q3", param_hint="--quarter") from e
    quarter = quarter.strip().upper()
    ids = db.session.scalars(db.select(Account.id).where(Account.archived_at.is_(None))).all()
    count = services.take_snapshots(ids, quarter)
    click.echo(f"Stored {count} health snapshots for {quarter}.")
