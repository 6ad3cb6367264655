"""The worker start-up (app/warmup.py): the PDF warm-up renders, and both steps can be turned off."""
import gc

from app.warmup import warm_pdf, worker_start
from config import Config


def test_warm_pdf_renders_with_the_static_only_fetcher(app):
    assert warm_pdf(app) > 0


def test_environment_turns_the_steps_off():
    cfg = Config.from_env({"PDF_WARMUP": "0", "GC_FREEZE": "false"})
    assert cfg["PDF_WARMUP"] is False and cfg["GC_FREEZE"] is False
    assert Config.from_env({})["PDF_WARMUP"] is True


def test_worker_start_does_nothing_when_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_WARMUP", False)
    monkeypatch.setitem(app.config, "GC_FREEZE", False)
    monkeypatch.setitem(app.config, "GC_THRESHOLD", None)
    called = []
    monkeypatch.setattr("app.warmup.warm_pdf", lambda a: called.append(a))
    before = gc.get_freeze_count()
    worker_start(app)
    assert called == [] and gc.get_freeze_count() == before


def test_worker_start_raises_the_collector_thresholds(app, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_WARMUP", False)
    monkeypatch.setitem(app.config, "GC_FREEZE", False)
    before = gc.get_threshold()
    try:
        worker_start(app)
        assert gc.get_threshold() == (100_000, 50, 100)
    finally:
        gc.set_threshold(*before)


def test_gc_threshold_from_the_environment():
    import pytest

    assert Config.from_env({"GC_THRESHOLD": "0"})["GC_THRESHOLD"] is None
    assert Config.from_env({"GC_THRESHOLD": "20000, 20"})["GC_THRESHOLD"] == (20000, 20)
    with pytest.raises(RuntimeError, match="GC_THRESHOLD"):
        Config.from_env({"GC_THRESHOLD": "lots"})
