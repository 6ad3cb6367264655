"""Throughput: the app under gunicorn (2 workers), driven from a second process on 127.0.0.1."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DRIVER = r'''
import sys, time, json, http.client, threading
from concurrent.futures import ThreadPoolExecutor
port, n, cookie = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
urls = json.loads(sys.stdin.read())
errors = 0
lock = threading.Lock()
local = threading.local()
def get(i):
    global errors
    if not hasattr(local, "c"):
        local.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        local.c.request("GET", urls[i % len(urls)], headers={"Cookie": cookie})
        r = local.c.getresponse(); r.read()
        ok = r.status == 200
    except Exception:
        local.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30); ok = False
    if not ok:
        with lock: errors += 1
t0 = time.perf_counter()
with ThreadPoolExecutor(8) as ex:
    list(ex.map(get, range(n)))
print(json.dumps({"rps": n / (time.perf_counter() - t0), "errors": errors}))
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(db_url):
    """A session cookie for the bench KAM, signed with the server's secret."""
    from app import create_app
    from app.auth.models import User
    from app.extensions import db
    from bench.__main__ import make_app  # noqa: F401

    app = create_app({"SECRET_KEY": "bench-" + "k" * 40, "SQLALCHEMY_DATABASE_URI": db_url,
                      "LANGUAGES": ("en", "zh"), "BABEL_DEFAULT_LOCALE": "en", "TESTING": True})
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "bench1@example.com"))
        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
        cookie = client.get_cookie("session")
        return f"session={cookie.value}"


def run(db_url, urls, n):
    """(requests per second, errors) for `n` GETs over `urls` against gunicorn with 2 workers."""

    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "bench-" + "k" * 40}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        return drive(port, urls, n, session_cookie(db_url))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


def drive(port, urls, n, cookie):
    """(requests per second, errors) for `n` GETs over `urls` from a second process, 8 threads."""
    import json

    out = subprocess.run([sys.executable, "-c", DRIVER, str(port), str(n), cookie],
                         input=json.dumps(urls), capture_output=True, text=True, timeout=600)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return round(result["rps"], 1), result["errors"]
