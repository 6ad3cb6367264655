"""`flask jobs list`, `flask jobs run NAME` (every periodic job, runnable at once: cron, tests)
and `flask jobs ping` (is a worker consuming the queue?)."""
import time
import uuid

import click
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="List and run the periodic jobs; check the worker.")


@jobs_cli.command("list")
def list_cmd():
    """List the periodic jobs with their schedules."""
    from app.jobs import describe, load_jobs

    for name, (_func, when, description) in sorted(load_jobs().items()):
        click.echo(f"{name:<18} {when:<50} {description}")
    click.echo(f"queue: {describe()}")


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


@jobs_cli.command("ping")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for a worker.")
def ping_cmd(timeout):
    """Enqueue a no-op task and wait for a worker to run it."""
    from app.jobs import describe, load_jobs
    from app.jobs.jobs import ping

    load_jobs()
    started = time.monotonic()
    result = ping(f"ping:{uuid.uuid4().hex}")
    try:
        answer = result.get(blocking=True, timeout=timeout) if result is not None else "pong"
    except Exception as exc:  # huey's ResultTimeout, or the task's own error
        raise click.ClickException(f"no worker answered within {timeout:g} s ({describe()})") from exc
    click.echo(f"{answer} from a worker in {time.monotonic() - started:.2f} s ({describe()})")
