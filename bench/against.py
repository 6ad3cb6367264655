"""`python -m bench --against REV`: this tree (B) against revision REV (A), interleaved, same data.

REV is checked out in a temporary git worktree (/tmp/bench-REV). Its requirements are checked
against the running venv: when every one is met by what is installed, the same interpreter runs
both versions (printed); otherwise REV gets a venv of its own in its worktree.

The data is built once, by this tree's bench.data, at the chosen scale, in a SQLite file under
bench/out/ and (with --pg) in a PostgreSQL database, which is emptied. Both versions then read the
same rows: REV's models may name a column the newer schema dropped; such columns are added to the
built data, nullable and empty, and listed in the results (`compat_columns`). A table REV has that
the data lacks stops the run.

Each version's app runs in a subprocess of its own (bench/worker.py, a Flask test client), and
requests alternate between them: A, B, then B, A, so the machine's other load falls on both alike.
Per page: the queries, median and p95 server time of each, and A/B (above 1: B is faster). Then
the review PDF (median of interleaved renders), each version's first PDF in a fresh gunicorn
worker, and the gunicorn throughput (2 workers) of the accounts list and an account overview,
runs alternating A, B, A, B.
"""
import json
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import load
from bench.pages import PAGES, first_account

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
WORKER = Path(__file__).resolve().parent / "worker.py"
SECRET = "bench-" + "k" * 40
BENCH_EMAIL = "bench1@example.com"


def percentile(values, p):
    """The p-th percentile, linear between the two nearest values."""
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def checkout(rev):
    """A worktree of `rev` under /tmp with compiled catalogs; (path, full commit)."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    path = Path("/tmp") / f"bench-{rev}"
    if path.exists():
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True).stdout.strip()
        if head != commit:
            raise SystemExit(f"{path} holds {head[:10]}, not {rev}: remove it (git worktree remove {path})")
    else:
        subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=ROOT, check=True,
                       capture_output=True)
    return path, commit


def python_for(tree):
    """(interpreter for `tree`, how it was chosen): this venv if it meets `tree`'s requirements."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    unmet = []
    for line in (tree / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        try:
            have = version(req.name)
        except PackageNotFoundError:
            unmet.append(f"{req} (not installed)")
            continue
        if have not in req.specifier:
            unmet.append(f"{req} (have {have})")
    if not unmet:
        return sys.executable, "this venv: every requirement of the revision is met by it"
    venv = tree / ".venv-bench"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r", str(tree / "requirements.txt")],
                       check=True)
    return str(venv / "bin" / "python"), "own venv in the worktree; unmet here: " + "; ".join(unmet)


def compile_catalogs(tree, python):
    """The revision's .mo files (they are not in git)."""
    subprocess.run([python, "-m", "app.i18n", "compile"], cwd=tree, check=True, capture_output=True)


class Worker:
    """One version's app in a subprocess, answering JSON commands (bench/worker.py)."""

    def __init__(self, name, tree, python, url):
        self.name, self.tree, self.python = name, tree, python
        self.proc = subprocess.Popen([python, str(WORKER), url], cwd=tree, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, **cmd):
        """Send one command, return its answer."""
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.name} died (see its stderr above)")
        return json.loads(line)

    def close(self):
        """Stop the subprocess."""
        try:
            self.ask(op="quit")
        except Exception:
            pass
        self.proc.stdin.close()
        self.proc.wait(10)


def add_compat_columns(url, missing):
    """Add REV's columns the data lacks, nullable; [table.column]."""
    from sqlalchemy import create_engine, text

    added = []
    tables = [t for t, c, _ in missing if c is None]
    if tables:
        raise SystemExit(f"the revision has tables the built data lacks ({', '.join(tables)}): "
                         "build it with the revision's own code instead")
    engine = create_engine(url)
    with engine.begin() as conn:
        for table, col, sqltype in missing:
            conn.execute(text(f'ALTER TABLE "{table}" ADD COLUMN "{col}" {sqltype}'))
            added.append(f"{table}.{col}")
    engine.dispose()
    return added


def build_data(url, scale, reuse=False):
    """This tree's synthetic workspace at `scale` in `url`; the ctx (ids). With `reuse`, the data
    built last time at this URL and scale (its ids are kept beside it in bench/out/)."""
    import hashlib

    from app.extensions import db
    from bench import data
    from bench.__main__ import make_app

    saved = OUT / f"against-{hashlib.sha1(f'{url} {scale}'.encode()).hexdigest()[:12]}.json"
    if reuse and saved.exists():
        ctx = data.Ctx(scale=data.SCALES[scale], rng=None, today=None, ids=json.loads(saved.read_text()))
        ctx.ids["team_of"] = {int(k): v for k, v in ctx.ids.get("team_of", {}).items()}
        print(f"  reusing the {scale} data at {url.split(':')[0]}", file=sys.stderr)
        return ctx
    app = make_app(url)
    with app.app_context():
        t0 = time.perf_counter()
        ctx = data.build(scale)
        print(f"  built {scale} on {url.split(':')[0]} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        db.session.remove()
        db.engine.dispose()
    saved.write_text(json.dumps(ctx.ids))
    return ctx


def _route_missing(resp):
    return resp["status"] == 404


def measure_pages(a, b, ctx, n, warm=3):
    """{page: {...}} with both versions' times, requests alternating A B / B A."""
    results = {}
    for name, url_of in PAGES.items():
        url = url_of(ctx)
        first = {w.name: w.ask(op="get", url=url) for w in (a, b)}
        if all(_route_missing(r) for r in first.values()):
            results[name] = {"status": "not built"}
            continue
        live = [w for w in (a, b) if not _route_missing(first[w.name])]
        for _ in range(warm):
            for w in live:
                w.ask(op="get", url=url)
        # Queries after the warm-up: a first visit may write what later ones read (health snapshots).
        first.update({w.name: w.ask(op="get", url=url, count=True) for w in live})
        for w in live:
            w.ask(op="gc")
        times = {w.name: [] for w in live}
        for i in range(n):
            for w in (live if i % 2 == 0 else live[::-1]):
                times[w.name].append(w.ask(op="get", url=url)["ms"])
        row = {"url": url}
        for w in (a, b):
            r = first[w.name]
            if w not in live:
                row[w.name] = {"status": "not built"}
                continue
            row[w.name] = {"status": r["status"], "queries": r["queries"], "bytes": r["bytes"],
                           "p50_ms": round(statistics.median(times[w.name]), 2),
                           "p95_ms": round(percentile(times[w.name], 95), 2)}
        if len(live) == 2:
            row["speedup_p50"] = round(row["A"]["p50_ms"] / row["B"]["p50_ms"], 2)
            row["speedup_p95"] = round(row["A"]["p95_ms"] / row["B"]["p95_ms"], 2)
        results[name] = row
        print(f"  {name}: " + ", ".join(f"{w.name} {row[w.name].get('p50_ms', '-')} ms" for w in (a, b))
              + (f", A/B {row['speedup_p50']}" if "speedup_p50" in row else ""), file=sys.stderr)
    return results


def measure_pdf(a, b, ctx, renders):
    """Median seconds of the review PDF over interleaved renders, after one warm-up each:
    {"render": {A, B}} with the cache of rendered PDFs off (each request renders), and
    {"repeat": {A, B}} with it on, as a server runs (a version without the cache renders again)."""
    url = f"/accounts/{first_account(ctx)}/reviews/review.pdf"
    out = {}
    for mode, mb in (("render", 0), ("repeat", 32)):
        times = {a.name: [], b.name: []}
        for w in (a, b):
            w.ask(op="pdf_cache", mb=mb)
            w.ask(op="get", url=url)
        for i in range(renders):
            for w in ((a, b) if i % 2 == 0 else (b, a)):
                r = w.ask(op="get", url=url)
                if r["status"] != 200:
                    raise RuntimeError(f"PDF {w.name}: status {r['status']}")
                times[w.name].append(r["ms"] / 1000)
        out[mode] = {w: round(statistics.median(t), 3) for w, t in times.items()}
    return out


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """A tree's app under gunicorn on 127.0.0.1 (its gunicorn.conf.py, if any, applies)."""

    def __init__(self, tree, python, url, workers):
        import os

        self.port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
        self.proc = subprocess.Popen([python, "-m", "gunicorn", "--workers", str(workers), "--bind",
                                      f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"],
                                     cwd=tree, env=env)

    def get(self, path, cookie="", timeout=60):
        """(status, seconds) of one GET."""
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        t0 = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp.status, time.perf_counter() - t0

    def wait_ready(self):
        """Until a worker answers the log-in page: it has loaded the app and run its start hooks."""
        for _ in range(600):
            try:
                if self.get("/login", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def stop(self):
        """SIGTERM and wait."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(20)


def first_pdf(workers, url, ctx, rounds):
    """Seconds of the first PDF of a fresh one-worker gunicorn, per version, rounds alternating."""
    path = f"/accounts/{first_account(ctx)}/reviews/review.pdf"
    out = {w.name: [] for w in workers}
    for i in range(rounds):
        for w in (workers if i % 2 == 0 else workers[::-1]):
            g = Gunicorn(w.tree, w.python, url, 1)
            try:
                g.wait_ready()
                status, secs = g.get(path, w.cookie)
                if status != 200:
                    raise RuntimeError(f"first PDF {w.name}: status {status}")
                out[w.name].append(secs)
            finally:
                g.stop()
    return {w: round(statistics.median(t), 3) for w, t in out.items()}


def throughput(workers, url, ctx, n, rounds):
    """Requests a second with 2 gunicorn workers, per page and version, rounds alternating."""
    pages = {"accounts_list": "/accounts", "account_overview": f"/accounts/{first_account(ctx)}"}
    out = {}
    for page, path in pages.items():
        got = {w.name: [] for w in workers}
        errors = 0
        for i in range(rounds):
            for w in (workers if i % 2 == 0 else workers[::-1]):
                g = Gunicorn(w.tree, w.python, url, 2)
                try:
                    g.wait_ready()
                    rps, err = load.drive(g.port, [path], n, w.cookie)
                    got[w.name].append(rps)
                    errors += err
                finally:
                    g.stop()
        out[page] = {**{w: round(statistics.median(v), 1) for w, v in got.items()}, "errors": errors}
        out[page]["speedup"] = round(out[page]["B"] / out[page]["A"], 2)
    return out


def run_db(label, url, scale, a_tree, a_python, n, args):
    """Everything measured on one database."""
    ctx = build_data(url, scale, args.reuse_data)
    a = Worker("A", a_tree, a_python, url)
    b = Worker("B", ROOT, sys.executable, url)
    try:
        compat = add_compat_columns(url, a.ask(op="missing")["missing"])
        missing_b = b.ask(op="missing")["missing"]
        if missing_b:
            raise RuntimeError(f"this tree's models and its own built data differ: {missing_b}")
        for w in (a, b):
            w.ask(op="login", email=BENCH_EMAIL)
            w.cookie = w.ask(op="cookie")["cookie"]
        print(f"{label}: pages ({n} requests each, interleaved)", file=sys.stderr)
        pages = measure_pages(a, b, ctx, n)
        result = {"url": url.split("@")[-1], "compat_columns": compat, "pages": pages}
        if not args.no_pdf:
            print(f"{label}: PDF", file=sys.stderr)
            result["pdf_median_s"] = measure_pdf(a, b, ctx, args.pdf_renders)
    finally:
        for w in (a, b):
            w.close()
    workers = [a, b]
    if not args.no_pdf:
        result["pdf_first_s"] = first_pdf(workers, url, ctx, args.fresh_rounds)
    if not args.no_load:
        print(f"{label}: throughput", file=sys.stderr)
        result["throughput_rps"] = throughput(workers, url, ctx, args.load_requests, args.load_rounds)
    return result


def table(label, res):
    """A Markdown table of one database's results."""
    lines = [f"**{label}** (A = {res['rev']}, B = this tree; A/B above 1: B is faster)", "",
             "| page | queries A | queries B | A p50 ms | B p50 ms | A/B p50 | A p95 ms | B p95 ms | A/B p95 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in res["pages"].items():
        if r.get("status") == "not built":
            continue
        a, b = r["A"], r["B"]
        lines.append(f"| {name} | {a.get('queries', '–')} | {b.get('queries', '–')} | {a.get('p50_ms', '–')} "
                     f"| {b.get('p50_ms', '–')} | {r.get('speedup_p50', '–')} | {a.get('p95_ms', '–')} "
                     f"| {b.get('p95_ms', '–')} | {r.get('speedup_p95', '–')} |")
    lines.append("")
    if "pdf_median_s" in res:
        p, f = res["pdf_median_s"], res.get("pdf_first_s", {})
        r, k = p["render"], p["repeat"]
        lines.append(f"PDF rendered (cache off) median A {r['A']} s, B {r['B']} s (A/B {round(r['A'] / r['B'], 2)}); "
                     f"the same PDF again (cache on) A {k['A']} s, B {k['B']} s (A/B {round(k['A'] / k['B'], 2)}); "
                     f"first PDF of a fresh worker A {f.get('A')} s, B {f.get('B')} s")
    for page, t in res.get("throughput_rps", {}).items():
        lines.append(f"gunicorn 2 workers, {page}: A {t['A']} req/s, B {t['B']} req/s (B/A {t['speedup']}), "
                     f"errors {t['errors']}")
    if res.get("compat_columns"):
        lines.append(f"Columns added for A: {', '.join(res['compat_columns'])}")
    return "\n".join(lines)


def pg_vs_sqlite(results):
    """B's PostgreSQL p50 over its SQLite p50, per page."""
    sq, pg = results["sqlite"]["pages"], results["postgres"]["pages"]
    out = {}
    for name, r in pg.items():
        if "B" in r and "p50_ms" in r["B"] and "p50_ms" in sq.get(name, {}).get("B", {}):
            out[name] = round(r["B"]["p50_ms"] / sq[name]["B"]["p50_ms"], 2)
    return out


def main(args):
    """Run the comparison and write results.json's "against" entry."""
    OUT.mkdir(exist_ok=True)
    tree, commit = checkout(args.against)
    python, why = python_for(tree)
    print(f"A = {args.against} ({commit[:10]}) in {tree}; interpreter: {why}", file=sys.stderr)
    compile_catalogs(tree, python)
    if args.pages:
        for name in [n for n in PAGES if not n.startswith(tuple(args.pages.split(",")))]:
            del PAGES[name]
    dbs = {"sqlite": f"sqlite:///{OUT / f'against_{args.scale}.sqlite'}"}
    if args.pg or args.pg_url:
        dbs["postgres"] = args.pg_url or args.postgres
    results = {"rev": args.against, "commit": commit, "interpreter": why, "scale": args.scale,
               "requests": args.requests, "when": time.strftime("%Y-%m-%d %H:%M")}
    for label, url in dbs.items():
        results[label] = {**run_db(label, url, args.scale, tree, python, args.requests, args), "rev": args.against}
    if "postgres" in results:
        results["postgres_over_sqlite_B"] = pg_vs_sqlite(results)
    print()
    for label in dbs:
        print(table(label, results[label]))
        print()
    if "postgres_over_sqlite_B" in results:
        worst = sorted(results["postgres_over_sqlite_B"].items(), key=lambda kv: -kv[1])[:8]
        print("B on PostgreSQL over B on SQLite (p50), highest: " + ", ".join(f"{k} {v}" for k, v in worst))
    if not args.pages:
        path = ROOT / "bench" / "results.json"
        previous = json.loads(path.read_text()) if path.exists() else {}
        previous["against"] = results
        path.write_text(json.dumps(previous, indent=2, ensure_ascii=False))
    if args.remove_worktree:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT)
        shutil.rmtree(tree, ignore_errors=True)
    return results
