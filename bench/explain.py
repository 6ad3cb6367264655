"""python -m bench.explain --pg-url URL [--scale large] [--reuse-data]: PostgreSQL's plans for
every statement of every page the benchmark measures, run with EXPLAIN (ANALYZE, BUFFERS).

The statements are caught as one request of each page sends them (as the bench KAM), then
explained with the same parameters on the same database. Writes bench/plans/<scale>.md: per
page, each SELECT's execution time and plan, the slowest first; the summary at the top lists
the statements over 1 ms (--plans-over), whose plans are written in full. The database is emptied and rebuilt unless --reuse-data finds it built.
"""
import argparse
import re
import sys
from pathlib import Path

from sqlalchemy import event

from bench.against import BENCH_EMAIL, build_data
from bench.pages import PAGES

PLANS = Path(__file__).resolve().parent / "plans"


def catch(app, client, url):
    """[(statement, parameters)] of one GET of `url`."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    caught = []

    def before(_conn, _cursor, statement, parameters, _context, _many):
        caught.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        client.get(url).get_data()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return caught


def explain(app, statement, parameters):
    """(execution ms, plan text) of one SELECT."""
    from app.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
            conn.rollback()
    plan = "\n".join(r[0] for r in rows)
    m = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return (float(m.group(1)) if m else 0.0), plan


def main(argv=None):
    """Build (or reuse) the data, catch every page's statements, explain them, write the report."""
    from app.auth.models import User
    from app.extensions import db
    from bench.__main__ import make_app

    ap = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    ap.add_argument("--pg-url", required=True)
    ap.add_argument("--scale", default="large")
    ap.add_argument("--reuse-data", action="store_true")
    ap.add_argument("--pages", default="", help="only pages whose name starts with this")
    ap.add_argument("--plans-over", type=float, default=1.0, help="write the plan of statements over this many ms "
                    "(the others get a line)")
    args = ap.parse_args(argv)
    ctx = build_data(args.pg_url, args.scale, args.reuse_data)
    app = make_app(args.pg_url)
    client = app.test_client()
    with app.app_context():
        key = db.session.scalar(db.select(User).where(User.email == BENCH_EMAIL)).get_id()
    with client.session_transaction() as s:
        s["_user_id"], s["_fresh"] = key, True
    report, slow = [], []
    for name, url_of in PAGES.items():
        if not name.startswith(args.pages):
            continue
        url = url_of(ctx)
        client.get(url).get_data()  # warm-up: a first visit may write (health snapshots)
        explained = []
        for statement, parameters in catch(app, client, url):
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            ms, plan = explain(app, statement, parameters)
            explained.append((ms, statement, plan))
        explained.sort(key=lambda e: -e[0])
        total = sum(e[0] for e in explained)
        report.append(f"## {name} `{url}`: {len(explained)} selects, {total:.2f} ms executing\n")
        for ms, statement, plan in explained:
            sql = " ".join(statement.split())
            if ms < args.plans_over:
                report.append(f"- {ms:.2f} ms `{sql[:140]}`")
                continue
            slow.append((ms, name, sql[:160]))
            report.append(f"### {ms:.2f} ms\n\n```sql\n{sql[:2000]}\n```\n\n```\n{plan}\n```\n")
        print(f"  {name}: {len(explained)} selects, {total:.2f} ms", file=sys.stderr)
    slow.sort(key=lambda s: -s[0])
    head = [f"# PostgreSQL plans at the {args.scale} scale\n",
            "Written by `python -m bench.explain`; EXPLAIN (ANALYZE, BUFFERS) of each page's selects, "
            "as the bench KAM (40 accounts).\n", f"## Statements over {args.plans_over:g} ms\n"]
    head += [f"- {ms:.2f} ms, {page}: `{sql}`" for ms, page, sql in slow] or ["- none"]
    head.append("\nPostgreSQL sessions run with max_parallel_workers_per_gather from PG_PARALLEL_WORKERS (0).")
    PLANS.mkdir(exist_ok=True)
    out = PLANS / f"{args.scale}.md"
    out.write_text("\n".join(head) + "\n\n" + "\n".join(report))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
