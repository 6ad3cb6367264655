"""flask search-reindex: rebuild the whole index from the tables."""
import click

from app.search import bp


@bp.cli.command("search-reindex")
def reindex_cmd():
    """Rebuild the search index (safe any time; it is kept in step on every write anyway)."""
    from app.extensions import db
    from app.search.index import rebuild

    click.echo(f"Search index rebuilt: {rebuild(db.session)} rows.")
