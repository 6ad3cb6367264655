"""One version's app in its own process, for `python -m bench --against REV` (bench/against.py).

Run as `python /path/to/bench/worker.py DB_URL` with the working directory at the root of the
tree to measure: that tree's `app` is imported (not this file's), so the same worker serves the
current tree and an old revision. It uses only what every revision has: `create_app`,
`config.TestConfig`, `app.extensions.db`, `app.auth.models.User`.

Reads one JSON command a line on stdin, answers one JSON line on stdout:
  {"op": "missing"}                       columns this tree's models have that the database lacks
  {"op": "login", "email": E}             log the test client in as E
  {"op": "get", "url": U, "count": bool}  server time of one GET (ms), status, bytes, [queries]
  {"op": "gc"}                            collect garbage (between pages)
  {"op": "pdf_cache", "mb": N}            keep up to N MB of rendered PDFs (0: render every time;
                                          a revision without the cache ignores it)
  {"op": "cookie"}                        the session cookie, for a gunicorn run of this tree
  {"op": "quit"}
"""
import gc
import json
import os
import sys
import time

sys.path[0] = os.getcwd()  # this tree's app, not the tree this file lives in


def make_app(url):
    """The app as the benchmark runs it: test settings without CSRF, on `url`."""
    from app import create_app
    from config import TestConfig

    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(SQLALCHEMY_DATABASE_URI=url, TESTING=False, DEBUG=False, SECRET_KEY="bench-" + "k" * 40,
               WTF_CSRF_ENABLED=False)
    return create_app(cfg)


def missing_columns(app):
    """[(table, column, SQL type)] of this tree's models not in the database."""
    from sqlalchemy import inspect

    from app.extensions import db

    with app.app_context():
        insp = inspect(db.engine)
        tables = set(insp.get_table_names())
        out = []
        for table in db.metadata.sorted_tables:
            if table.name not in tables:
                out.append((table.name, None, None))
                continue
            have = {c["name"] for c in insp.get_columns(table.name)}
            out += [(table.name, c.name, c.type.compile(db.engine.dialect)) for c in table.columns
                    if c.name not in have]
        return out


def main():
    """Serve commands until stdin closes."""
    from sqlalchemy import event

    from app.extensions import db

    app = make_app(sys.argv[1])
    try:  # what this version's server does when a worker starts, if it does anything
        from app.warmup import worker_start
    except ImportError:
        worker_start = None
    with app.app_context():
        engine = db.engine
    if worker_start:
        worker_start(app)
    client = app.test_client()
    count = [0]
    counting = [False]

    def before(*_a, **_k):
        if counting[0]:
            count[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    out = sys.stdout
    sys.stdout = sys.stderr  # the app's prints must not mix with the answers
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "quit":
            break
        if op == "missing":
            answer = {"missing": missing_columns(app)}
        elif op == "login":
            from app.auth.models import User

            with app.app_context():
                user = db.session.scalar(db.select(User).where(User.email == cmd["email"]))
                key = user.get_id()
            with client.session_transaction() as s:
                s["_user_id"] = key
                s["_fresh"] = True
            answer = {"ok": True}
        elif op == "get":
            count[0], counting[0] = 0, bool(cmd.get("count"))
            t0 = time.perf_counter()
            resp = client.get(cmd["url"])
            body = resp.get_data()
            ms = (time.perf_counter() - t0) * 1000
            counting[0] = False
            answer = {"ms": ms, "status": resp.status_code, "bytes": len(body)}
            if cmd.get("count"):
                answer["queries"] = count[0]
        elif op == "gc":
            gc.collect()
            answer = {"ok": True}
        elif op == "pdf_cache":
            app.config["PDF_CACHE_MB"] = cmd["mb"]
            app.extensions.pop("pdf_cache", None)
            answer = {"ok": True}
        elif op == "cookie":
            answer = {"cookie": f"session={client.get_cookie('session').value}"}
        else:
            answer = {"error": f"unknown op {op}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
