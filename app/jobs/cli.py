"""`flask jobs list` and `flask jobs run NAME`: every periodic job, runnable at once (cron, tests)."""
import click
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="List and run the periodic jobs.")


@jobs_cli.command("list")
def list_cmd():
    """List the periodic jobs with their schedules."""
    from app.jobs import load_jobs

    for name, (_func, when, description) in sorted(load_jobs().items()):
        click.echo(f"{name:<18} {when:<28} {description}")


@jobs_cli.command("run")
@click.argument("name")
def run_cmd(name):
    """Run one periodic job now, in this process."""
    from app.jobs import load_jobs

    jobs = load_jobs()
    if name not in jobs:
        raise click.ClickException(f"No job named {name!r}. Known: {', '.join(sorted(jobs))}.")
    result = jobs[name][0]()
    click.echo(f"{name}: {result if result is not None else 'done'}")
