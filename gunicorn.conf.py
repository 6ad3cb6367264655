"""gunicorn settings read from the working directory (`gunicorn wsgi:app`, the Procfile's web).

Each worker, once it has loaded the app and before its first request, warms the PDF fonts and
freezes its start-up heap (app/warmup.py; PDF_WARMUP=0 or GC_FREEZE=0 turn them off).
"""


def post_worker_init(worker):
    """Run the app's worker start-up (fonts, gc.freeze) in this worker."""
    from flask import Flask

    from app.warmup import worker_start

    app = getattr(worker, "wsgi", None)
    if isinstance(app, Flask):
        worker_start(app, worker.log)
