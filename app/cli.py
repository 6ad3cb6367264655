"""Command-line commands: create-user, demo-data."""
import click
from flask.cli import with_appcontext


def init_app(app):
    """Register the CLI commands."""
    app.cli.add_command(create_user_cmd)
    app.cli.add_command(demo_data_cmd)
    from app.backup import backup_cmd, restore_cmd
    app.cli.add_command(backup_cmd)
    app.cli.add_command(restore_cmd)
    from app.jobs.cli import jobs_cli
    app.cli.add_command(jobs_cli)


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--admin", is_flag=True, help="Give the user the admin role.")
@click.option("--seniority", default="staff")
@with_appcontext
def create_user_cmd(email, name, password, admin, seniority):
    """Create a user who can log in."""
    from app.auth import services

    try:
        user = services.create_user(None, email=email, name=name, password=password,
                                    is_admin=admin, seniority=seniority)
    except services.UserError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Created {user.email} (id {user.id}){' as admin' if admin else ''}.")


@click.command("demo-data")
@with_appcontext
def demo_data_cmd():
    """Load a believable demo workspace (safe to run again)."""
    from app.demo import load_demo

    created = load_demo()
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
