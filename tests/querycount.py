"""Count the SQL statements a block of code runs (for the no-N+1 tests)."""
from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db


class Counter:
    def __init__(self):
        self.count = 0
        self.statements = []


@contextmanager
def count_queries():
    """with count_queries() as q: ...; q.count is the number of statements run."""
    counter = Counter()

    def before(conn, cursor, statement, parameters, context, executemany):
        counter.count += 1
        counter.statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


def queries_for(client, url, **kwargs):
    """(response, number of queries) for one GET, after a warm-up request."""
    client.get(url, **kwargs)
    with count_queries() as q:
        resp = client.get(url, **kwargs)
    return resp, q.count
