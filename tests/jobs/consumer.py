"""A real `huey_consumer` process for the tests, and the test process's queue pointed at the same storage."""
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from huey.storage import RedisStorage, SqliteStorage

from app.jobs import huey

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).parent / "huey_consumer"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def redis_available():
    """Whether the test Redis answers (the Redis test is skipped otherwise)."""
    try:
        import redis
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return False


@contextlib.contextmanager
def real_queue(tmp_path, backend="sqlite"):
    """Point the test process's huey at a real storage; yield the environment a consumer needs."""
    env = {"HUEY_SQLITE": str(tmp_path / "huey.sqlite")}
    if backend == "redis":
        storage_class, kwargs, env = RedisStorage, {"url": REDIS_URL}, {"REDIS_URL": REDIS_URL}
    else:
        storage_class, kwargs = SqliteStorage, {"filename": env["HUEY_SQLITE"]}
    saved = huey.storage_class, huey.storage_kwargs, huey.storage, huey._immediate
    huey.storage_class, huey.storage_kwargs, huey._immediate = storage_class, kwargs, False
    huey.storage = huey.create_storage()
    huey.storage.flush_all()
    try:
        yield env
    finally:
        huey.storage.flush_all()
        huey.storage_class, huey.storage_kwargs, huey.storage, huey._immediate = saved


class Consumer:
    """`huey_consumer app.jobs.worker.huey` in its own process group, stopped (or killed) by the test."""

    def __init__(self, app, env, tmp_path, workers=1):
        full = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "HUEY_SQLITE", "DATABASE_URL")}
        full.update(env, SECRET_KEY="consumer-test-secret-0123456789abcdef",
                    DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                    EXPORT_DIR=app.config["EXPORT_DIR"])
        self.log = tmp_path / "consumer.log"
        self.proc = subprocess.Popen(
            [str(CONSUMER), "app.jobs.worker.huey", "--workers", str(workers), "--no-periodic",
             "--delay", "0.05", "--max-delay", "0.2"],
            cwd=ROOT, env=full, stdin=subprocess.DEVNULL, stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        return self.log.read_text(errors="replace")

    def kill(self):
        """SIGKILL, as the out-of-memory killer does: no clean-up in the worker."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        """SIGINT, as Ctrl-C does; killed if it does not stop in 10 s."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(predicate, timeout=60, step=0.1):
    """Poll `predicate` until it is true; its last value (falsy on timeout)."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > end:
            return value
        time.sleep(step)
