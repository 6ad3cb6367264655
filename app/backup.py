"""`flask backup PATH` and `flask restore PATH`: the whole workspace to one file and back.

SQLite uses its online backup API (consistent while the app runs); PostgreSQL uses
pg_dump's custom format and pg_restore, which must be on the PATH (postgresql-client).
"""
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from app.extensions import db


def _pg_args(url):
    """Connection arguments for pg_dump/pg_restore, and the password for the environment."""
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def _run(cmd, env):
    import os

    if not shutil.which(cmd[0]):
        raise click.ClickException(f"{cmd[0]} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise click.ClickException(result.stderr.strip() or f"{cmd[0]} failed")


def backup(path):
    """Write a backup of the configured database to `path`."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        db.session.remove()
        src = sqlite3.connect(url.database)
        dst = sqlite3.connect(str(path))
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args], env)
    else:
        raise click.ClickException(f"Backups of {url.get_backend_name()} are not supported.")


def restore(path):
    """Replace the configured database's contents with the backup at `path`."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if not Path(path).is_file():
        raise click.ClickException(f"No backup file at {path}.")
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(str(path))
        dst = sqlite3.connect(url.database)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(path)], env)
    else:
        raise click.ClickException(f"Restores of {url.get_backend_name()} are not supported.")


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_cmd(path):
    """Back up the whole workspace to PATH."""
    backup(path)
    click.echo(f"Backed up to {path}.")


@click.command("restore")
@click.argument("path")
@click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
@with_appcontext
def restore_cmd(path, yes):
    """Replace the workspace's data with the backup at PATH."""
    if not yes:
        click.confirm("This replaces every record with the backup. Continue?", abort=True)
    restore(path)
    click.echo(f"Restored from {path}.")
