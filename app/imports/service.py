"""Run an import step (preview or apply) for an upload: inline for a small file, on the
job queue for a large one; either way the result lands in the upload's record."""
import time

from flask import current_app

from app.extensions import db
from app.imports import accounts, contacts, store

INLINE_BYTES = 512 * 1024  # larger uploads go through the queue, with a progress bar


def estimate_rows(path):
    """About how many rows a file has, for the progress bar (newlines, or the sheet's size)."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK"):
        import openpyxl
        try:
            with open(path, "rb") as fh:
                return max((openpyxl.load_workbook(fh, read_only=True).worksheets[0].max_row or 1) - 1, 1)
        except Exception:  # noqa: BLE001 - the real read reports the problem
            return 1
    with open(path, "rb") as fh:
        data = fh.read()
    return max(data.count(b"\n") or data.count(b"\r"), data.count(b"\n\x00"), 1)


def start(token, action, mapping, user_id):
    """Preview or apply now (small file) or queue it; returns the record as it stands."""
    from app.imports.jobs import run_import

    info = store.meta(token)
    mapping = {int(k): v for k, v in mapping.items()} if mapping is not None else None
    store.update(token, status="queued", action=action, done=0, total=estimate_rows(store.path_of(token)),
                 mapping=mapping, queued=time.time(), error="")
    if info["size"] <= INLINE_BYTES:
        run(token, action, mapping, user_id)
    else:
        run_import(token, action, mapping, user_id)
    return store.meta(token)


def run(token, action, mapping, user_id):
    """The body of an import step; writes status, progress and the result to the record."""
    from app.accounts.models import Account
    from app.auth.models import User

    info = store.meta(token)
    if info is None:
        return
    user = db.session.get(User, user_id)
    path, filename = store.path_of(token), info["filename"]
    total = max(info.get("total") or 1, 1)
    steps = 2 * total if action == "apply" and info["kind"] == "accounts" else total  # accounts: check, then write

    def progress(n):
        store.update(token, status="running", done=min(n, steps), total=steps)

    store.update(token, status="running")
    try:
        if info["kind"] == "contacts":
            account = db.session.get(Account, info["account_id"])
            if action == "apply":
                plan = contacts.apply(user, path, filename, account, mapping, progress=progress)
            else:
                plan = contacts.plan(path, filename, account, mapping, progress=progress)
        elif action == "apply":
            plan = accounts.apply(user, path, filename, mapping, progress=progress)
        else:
            plan = accounts.plan(path, filename, user, mapping, progress=progress)
    except Exception as exc:  # noqa: BLE001 - recorded for the page; the job must not vanish silently
        db.session.rollback()
        current_app.logger.exception("import %s failed", token)
        store.update(token, status="failed", error=type(exc).__name__)
        return
    result = plan.to_json()
    applied = action == "apply" and plan.ok
    store.update(token, status="applied" if applied else "done", result=result, header=plan.header,
                 mapping=result["mapping"], done=steps, total=steps)
