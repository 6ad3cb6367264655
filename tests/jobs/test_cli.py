"""`flask jobs list|run|ping`, and the queue's configuration."""
from app import create_app
from app.jobs import JOBS, huey, storage_for
from tests.conftest import make_config


def test_jobs_list_names_every_periodic_job(runner):
    out = runner.invoke(args=["jobs", "list"]).output
    for name in ("health-snapshots", "cleanup", "export-sweep"):
        assert name in out
    assert "queue: immediate" in out


def test_jobs_run_runs_a_job_and_refuses_unknown_names(runner):
    assert "export(s) given up" in runner.invoke(args=["jobs", "run", "export-sweep"]).output
    bad = runner.invoke(args=["jobs", "run", "no-such-job"])
    assert bad.exit_code != 0 and "Known:" in bad.output


def test_jobs_ping_answers_in_immediate_mode(runner):
    out = runner.invoke(args=["jobs", "ping"]).output
    assert out.startswith("pong")


def test_every_job_has_a_schedule_in_words_and_a_description(runner):
    runner.invoke(args=["jobs", "list"])
    for name, (func, when, description) in JOBS.items():
        assert callable(func) and when and description, name


def test_the_queue_storage_follows_the_settings(tmp_path, _schema):
    base = make_config(_schema)
    sqlite_app = create_app(dict(base, HUEY_IMMEDIATE=False, HUEY_SQLITE=str(tmp_path / "q.sqlite")))
    kind, kwargs = storage_for(sqlite_app)
    assert kind.__name__ == "SqliteStorage" and kwargs["filename"].endswith("q.sqlite")
    redis_app = create_app(dict(base, HUEY_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:6379/12"))
    kind, kwargs = storage_for(redis_app)
    assert kind.__name__ == "RedisStorage" and kwargs == {"url": "redis://127.0.0.1:6379/12"}
    create_app(base)  # back to immediate for the other tests
    assert huey.immediate
