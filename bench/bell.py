"""python -m bench.bell [DATABASE_URL]: what the bell costs every page.

The unread count rides in the log-in loader's one SELECT (app.auth.services.USER_FLAGS), so it
adds no query; this times that SELECT with and without it, interleaved, on the bench's large
data (default: bench/out/bench_large.sqlite, built by `python -m bench`) for the measured KAM.
"""
import statistics
import sys
import time
from pathlib import Path

from app.auth import services as auth
from app.extensions import db
from bench.__main__ import make_app

ROUNDS = 4000


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    url = argv[0] if argv else "sqlite:///" + str(Path(__file__).resolve().parent / "out" / "bench_large.sqlite")
    app = make_app(url)
    with app.app_context():
        from app.auth.models import User

        uid = db.session.scalar(db.select(User.id).where(User.email == "bench1@example.com"))
        with_bell = tuple(auth.USER_FLAGS)
        without = tuple(n for n in with_bell if n != "unread")
        times = {with_bell: [], without: []}
        for i in range(ROUNDS):
            for names in ((with_bell, without) if i % 2 else (without, with_bell)):
                t = time.perf_counter()
                db.session.execute(auth._loader_statement(names), {"uid": uid}).first()
                times[names].append((time.perf_counter() - t) * 1000)
                db.session.expunge_all()
        for label, names in (("with the bell", with_bell), ("without it", without)):
            v = sorted(times[names][200:])  # after a warm-up
            print(f"{label:14s} median {statistics.median(v):.3f} ms  p95 {v[int(len(v) * .95)]:.3f} ms")


if __name__ == "__main__":
    main()
