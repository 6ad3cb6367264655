"""A real consumer process, on SQLite and on Redis: a task enqueued here is run there."""
import uuid

import pytest
from huey.exceptions import ResultTimeout

from app.extensions import db
from app.jobs.jobs import ping
from app.jobs.sent import was_sent
from tests.jobs.consumer import Consumer, real_queue, redis_available


def run_ping_through(app, tmp_path, backend):
    key = f"ping:{uuid.uuid4().hex}"
    with real_queue(tmp_path, backend) as env:
        consumer = Consumer(app, env, tmp_path)
        try:
            result = ping(key)  # enqueued: nothing runs in this process
            db.session.rollback()
            assert not was_sent(key)
            try:
                answer = result.get(blocking=True, timeout=60)
            except ResultTimeout:
                pytest.fail("no answer from the consumer:\n" + consumer.output())
            assert answer == "pong"
        finally:
            consumer.stop()
    db.session.rollback()
    assert was_sent(key)  # the consumer's own database session wrote it
    assert consumer.proc.returncode is not None


def test_a_real_consumer_on_sqlite_runs_an_enqueued_task(app, tmp_path):
    run_ping_through(app, tmp_path, "sqlite")


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_a_real_consumer_on_redis_runs_an_enqueued_task(app, tmp_path):
    run_ping_through(app, tmp_path, "redis")
