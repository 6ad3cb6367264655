"""python -m bench: query counts, server time against a bare-Flask floor, PDF time, throughput.

Writes bench/results.json and prints a Markdown table. See README "Benchmark".
"""
import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from app import create_app
from app.extensions import db
from bench import data, load
from bench.pages import PAGES
from config import TestConfig

OUT = Path(__file__).resolve().parent / "out"
RESULTS = Path(__file__).resolve().parent / "results.json"
TARGET_P95_MS = 50
TARGET_QUERIES = 15
# Pages with a target of their own: the 200-person org chart is drawn on the server (issue 21).
PAGE_TARGET_P95_MS = {"org_chart_200": 300, "org_chart_200_whole": 300}


def make_app(url):
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(SQLALCHEMY_DATABASE_URI=url, TESTING=False, DEBUG=False, SECRET_KEY="bench-" + "k" * 40,
               WTF_CSRF_ENABLED=False)
    return create_app(cfg)


def logged_in_client(app, ctx):
    """A test client with the bench user's login cookie (set up in a context of its own)."""
    from app.auth.models import User

    client = app.test_client()
    with app.app_context():
        user_key = db.session.get(User, ctx.ids["users"][1]).get_id()
    with client.session_transaction() as s:
        s["_user_id"] = user_key
        s["_fresh"] = True
    return client


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def time_get(client, url, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        resp = client.get(url)
        resp.get_data()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def count_queries(app, client, url):
    """The SQL statements one request runs."""
    with app.app_context():
        engine = db.engine
    count = [0]

    def before(*_a, **_k):
        count[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        client.get(url).get_data()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return count[0]


def measure_pages(app, ctx, n):
    """{page: {queries, p50_ms, p95_ms, floor_p50_ms, status}} for one scale.

    Requests run outside any app context, so each gets its own app context and database
    session, as under a real server: nothing is served from an earlier request's identity map.
    """
    results = {}
    client = logged_in_client(app, ctx)
    for name, url_of in PAGES.items():
        url = url_of(ctx)
        resp = client.get(url)
        if resp.status_code == 404 and not _route_exists(app, url):
            results[name] = {"status": "not built"}
            continue
        body = resp.get_data()
        queries = count_queries(app, client, url)
        time_get(client, url, 3)  # warm-up: SQLite's page cache, Jinja's compiled templates
        gc.collect()  # not the garbage of building the dataset or of the page before
        times = time_get(client, url, n)
        floor = time_get(_floor_client(body), "/", n)
        results[name] = {"status": resp.status_code, "queries": queries,
                         "p50_ms": round(statistics.median(times), 2),
                         "p95_ms": round(percentile(times, 95), 2),
                         "floor_p50_ms": round(statistics.median(floor), 3),
                         "bytes": len(body)}
    return results


def _route_exists(app, url):
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(url)
        return True
    except Exception:
        return False


def _floor_client(body):
    """A bare Flask app returning the same bytes: the cost of Flask itself."""
    floor = Flask("floor")
    floor.add_url_rule("/", "page", lambda: body)
    return floor.test_client()


def build(url, scale):
    app = make_app(url)
    with app.app_context():
        t0 = time.perf_counter()
        ctx = data.build(scale)
        print(f"  built {scale} on {url.split(':')[0]} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return app, ctx


def measure_pdf(app, ctx, renders=5):
    """Median seconds over `renders` quarterly-review PDFs of a big account, then peak MB of one
    more render traced by tracemalloc (tracing slows rendering, so it is not timed). Each is
    rendered: the cache of rendered PDFs (app/pdf.py) is off here, or the median would be of
    the kept bytes."""
    try:
        from app.reviews.pdf import render_review_pdf
    except ImportError:
        return None, None
    import tracemalloc

    from app.accounts.models import Account
    from app.auth.models import User
    from bench.pages import first_account

    times = []
    app.config["PDF_CACHE_MB"] = 0
    app.extensions.pop("pdf_cache", None)
    with app.test_request_context():
        account = db.session.get(Account, first_account(ctx))
        user = db.session.get(User, ctx.ids["users"][1])
        render_review_pdf(account, user, quarter=None)  # warm-up: fonts, templates
        for _ in range(renders):
            t0 = time.perf_counter()
            render_review_pdf(account, user, quarter=None)
            times.append(time.perf_counter() - t0)
        tracemalloc.start()
        render_review_pdf(account, user, quarter=None)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return round(statistics.median(times), 3), round(peak / 2**20, 1)


def table(results):
    lines = ["| page | queries small | queries large | p50 ms | p95 ms | floor p50 ms | verdict |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name, r in results["pages"].items():
        if r.get("status") == "not built":
            lines.append(f"| {name} | – | – | – | – | – | not built yet |")
            continue
        ok = (r["queries_small"] == r["queries_large"] and r["queries_large"] <= TARGET_QUERIES
              and r["p95_ms"] < PAGE_TARGET_P95_MS.get(name, TARGET_P95_MS) and r["status"] == 200)
        lines.append(f"| {name} | {r['queries_small']} | {r['queries_large']} | {r['p50_ms']} | {r['p95_ms']} "
                     f"| {r['floor_p50_ms']} | {'✓' if ok else '✗ (status ' + str(r['status']) + ')' if r['status'] != 200 else '✗'} |")
    lines.append("")
    lines.append(f"PDF median {results['pdf_median_s']} s, peak {results['pdf_peak_mb']} MB; "
                 f"throughput SQLite {results['rps_sqlite']} req/s, PostgreSQL {results['rps_postgres']} req/s; "
                 f"errors {results['errors']}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    ap.add_argument("--load-requests", type=int, default=600, help="requests in each throughput run")
    ap.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL",
                                                         "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--no-load", action="store_true", help="skip the gunicorn throughput runs")
    ap.add_argument("--pages", default="", help="only the pages whose name starts with this, or with one of these (e.g. search or plan,home); "
                    "prints the table, leaves results.json alone")
    ap.add_argument("--against", metavar="REV", help="compare this tree with REV, interleaved on the same data "
                    "(bench/against.py)")
    ap.add_argument("--pg", action="store_true", help="with --against: PostgreSQL too (--postgres URL, emptied)")
    ap.add_argument("--pg-url", help="with --against: PostgreSQL too, at this URL (emptied)")
    ap.add_argument("--scale", default="large", help="with --against: small, large or xlarge (default large)")
    ap.add_argument("--pdf-renders", type=int, default=5, help="with --against: timed PDF renders each")
    ap.add_argument("--fresh-rounds", type=int, default=2, help="with --against: fresh-worker first PDFs each")
    ap.add_argument("--load-rounds", type=int, default=2, help="with --against: throughput runs each, a page")
    ap.add_argument("--reuse-data", action="store_true", help="with --against: the data of the last run at this "
                    "scale and URL, if any (the compat columns it has stay)")
    ap.add_argument("--no-pdf", action="store_true", help="with --against: skip the PDF")
    ap.add_argument("--remove-worktree", action="store_true", help="with --against: remove the worktree after")
    args = ap.parse_args(argv)
    if args.against:
        from bench import against

        against.main(args)
        return
    if args.pages:
        for name in [n for n in PAGES if not n.startswith(tuple(args.pages.split(",")))]:
            del PAGES[name]
    OUT.mkdir(exist_ok=True)

    per_scale = {}
    for scale in ("small", "large"):
        url = f"sqlite:///{OUT / f'bench_{scale}.sqlite'}"
        app, ctx = build(url, scale)
        per_scale[scale] = measure_pages(app, ctx, args.requests)
        if scale == "large":
            pdf_median, pdf_peak = measure_pdf(app, ctx) if not args.pages else (None, None)
            large_ctx, large_url = ctx, url
    pages = {}
    for name, large in per_scale["large"].items():
        if large.get("status") == "not built":
            pages[name] = {"status": "not built"}
            continue
        pages[name] = {"queries_small": per_scale["small"][name]["queries"], "queries_large": large["queries"],
                       "p50_ms": large["p50_ms"], "p95_ms": large["p95_ms"],
                       "floor_p50_ms": large["floor_p50_ms"], "status": large["status"]}

    rps_sqlite = rps_pg = None
    errors = 0
    if not args.no_load:
        urls = [u for u in (PAGES[n](large_ctx) for n, r in pages.items() if r.get("status") == 200)]
        rps_sqlite, err = load.run(large_url, urls, args.load_requests)
        errors += err
        try:
            pg_app, pg_ctx = build(args.postgres, "large")
            rps_pg, err = load.run(args.postgres, urls, args.load_requests)
            errors += err
        except Exception as e:  # no PostgreSQL here: say so, do not hide it
            print(f"  PostgreSQL run skipped: {e}", file=sys.stderr)
    results = {"pages": pages, **{n: pages[n] for n in pages}, "pdf_median_s": pdf_median,
               "pdf_peak_mb": pdf_peak, "rps_sqlite": rps_sqlite, "rps_postgres": rps_pg, "errors": errors}
    if not args.pages:
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(table(results))


if __name__ == "__main__":
    main()
