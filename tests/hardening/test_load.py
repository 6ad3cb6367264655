"""Under load, nothing is lost: 12 clients edit the same things at once through gunicorn.

The app runs under gunicorn with 3 workers on the test database (PostgreSQL when
TEST_DATABASE_URL is PostgreSQL, else the suite's SQLite file). Twelve threads, each its own
log-in and cookie jar, talk plain HTTP to 127.0.0.1 only, for a bounded time and request
count. Each repeatedly reads the plan's business section, one complaint and the account's edit
form and saves them with the version it read. Every answer must be a save (2xx/3xx) or a 409
with the conflict message; never a 500. Afterwards: no two accepted saves were based on the
same version (no lost update), the final value is the last accepted save, and there is
exactly one audit record per accepted save.
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app.extensions import db
from tests import factories

pytestmark = pytest.mark.load

CLIENTS = 12
SECONDS = 15           # how long the clients edit
MAX_REQUESTS = 60      # per client: the loop is bounded in count as well as time
CONFLICT = "Someone else saved this while you were editing."
ROOT = Path(__file__).resolve().parents[2]
VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
NEXT_STEP = re.compile(r'name="to_status" value="(\w+)"')


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app, database_url, *options):
    """gunicorn on the test database (default 3 sync workers); stopped by its own pid after."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="load-test-secret-" + "x" * 24,
               PYTHONPATH=str(ROOT))
    env.pop("FLASK_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *(options or ("-w", "3")), "-b", f"127.0.0.1:{port}",
         "--timeout", "60", "--graceful-timeout", "5", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90  # a busy shared machine boots workers slowly
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])
    try:
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.fixture
def server(app, database_url):
    """gunicorn -w 3 on the test database."""
    with gunicorn(app, database_url) as port:
        yield port


class Client:
    """One person's browser: a cookie jar and plain HTTP to 127.0.0.1."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}
        self.token = None

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if self.token:
                headers["X-CSRFToken"] = self.token
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                self.cookies[k.strip()] = v.strip()
        return resp.status, text

    def login(self, email):
        status, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/login", {"email": email, "password": factories.PASSWORD,
                                                    "csrf_token": token})
        assert status == 302, status
        status, page = self.request("GET", "/")
        self.token = CSRF.search(page).group(1)


def edits(port, email, n, urls, log, stop_at):
    """One client's loop: read a version, save with it, note the outcome."""
    c = Client(port)
    c.login(email)
    for k in range(MAX_REQUESTS // 2):
        if time.monotonic() > stop_at:
            break
        what = ("plan", "complaint", "account")[k % 3]
        text = f"c{n}-e{k}-{what} 客户"
        if what == "plan":
            _, page = c.request("GET", urls["plan_edit"])
            version = int(VERSION.search(page).group(1))
            status, body = c.request("POST", urls["plan"], {"strategy": text, "version": version})
        elif what == "complaint":
            _, page = c.request("GET", urls["complaint"])
            version = int(VERSION.search(page).group(1))
            step = NEXT_STEP.search(page)
            if step:
                status, body = c.request("POST", urls["complaint"] + "/step", {
                    "to_status": step.group(1), "resolution": text, "root_cause": text,
                    "prevention": text, "version": version})
            else:
                what = "reopen"
                status, body = c.request("POST", urls["complaint"] + "/reopen",
                                         {"note": text, "version": version})
        else:
            _, page = c.request("GET", urls["account_edit"])
            version = int(VERSION.search(page).group(1))
            status, body = c.request("POST", urls["account_edit"], {
                "name": text, "procurement_model": "centralised", "purchase_pattern": "recurring",
                "currency": "CNY", "tier": "key", "revenue_this_year": "1000", "revenue_last_year": "900",
                "version": version})
        log.append((what, version, text, status, CONFLICT in body))


def test_concurrent_edits_lose_nothing(app, world, server):
    from app.accounts.models import Account
    from app.audit.models import AuditEvent
    from app.complaints.models import Complaint
    from app.plans import services as plans
    from app.plans.models import BusinessSection
    from tests.complaints.factories import make_channel, make_complaint

    account = world.account
    plan = plans.start_plan(None, account)
    complaint = make_complaint(account, make_channel(account))
    emails = []
    for n in range(CLIENTS):
        user = factories.make_user(f"Load {n}", email=f"load{n}@example.com")
        factories.make_member(account, user, role="member")
        emails.append(user.email)
    base = f"/accounts/{account.id}"
    urls = {"plan_edit": f"{base}/plans/{plan.id}/business/edit", "plan": f"{base}/plans/{plan.id}/business",
            "complaint": f"{base}/complaints/{complaint.id}", "account_edit": f"{base}/edit"}
    audit_before = Counter(db.session.scalars(db.select(AuditEvent.object_type)))
    db.session.remove()  # let the server have the database

    log, errors = [], []
    stop_at = time.monotonic() + SECONDS

    def run(n, email):
        try:
            edits(server, email, n, urls, log, stop_at)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(n, e)) for n, e in enumerate(emails)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[:3]

    statuses = Counter(s for *_, s, _c in log)
    assert not [s for s in statuses if s >= 500], statuses
    accepted = [e for e in log if e[3] < 400]
    refused = [e for e in log if e[3] >= 400]
    assert all(s == 409 and conflict for *_, s, conflict in refused), Counter(e[3] for e in refused)
    assert accepted and refused, statuses  # a test of contention only if there was contention

    db.session.expire_all()
    by_kind = {k: sorted((e for e in accepted if e[0] in kinds), key=lambda e: e[1])
               for k, kinds in (("plan", {"plan"}), ("complaint", {"complaint", "reopen"}),
                                ("account", {"account"}))}
    for kind, saves in by_kind.items():
        versions = [e[1] for e in saves]
        assert len(versions) == len(set(versions)), f"{kind}: two saves accepted on one version (lost update)"
    section = db.session.scalar(db.select(BusinessSection).where(BusinessSection.plan_id == plan.id))
    assert section.strategy == by_kind["plan"][-1][2]
    assert db.session.get(Account, account.id).name == by_kind["account"][-1][2]
    steps = [e for e in by_kind["complaint"] if e[0] == "complaint"]
    if steps:
        assert db.session.get(Complaint, complaint.id).resolution == steps[-1][2]

    audit_after = Counter(db.session.scalars(db.select(AuditEvent.object_type)))
    for kind, obj_type in (("plan", "BusinessSection"), ("complaint", "Complaint"), ("account", "Account")):
        assert audit_after[obj_type] - audit_before[obj_type] == len(by_kind[kind]), kind
    print(f"load: {len(log)} saves, {len(accepted)} accepted, {len(refused)} refused (409), {dict(statuses)}")
