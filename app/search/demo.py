"""Demo data: the search index ends in step with everything the other steps made."""
from app.demo import demo_step
from app.extensions import db


@demo_step(10_000)  # last: after every feature's data
def reindex(ctx):
    """Rebuild the index (the session events already kept it in step; this covers bulk inserts)."""
    from app.search.index import rebuild

    rebuild(db.session)
    return False  # the index follows the data; it never counts as new demo data
