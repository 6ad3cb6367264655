"""The uploaded file between preview and apply: kept on the server, under instance/imports/,
keyed by a random token, with a small JSON record of who uploaded it for what and how far
its job has got. The browser only ever holds the token, never a copy of the file."""
import json
import os
import re
import secrets
import shutil
import time
from pathlib import Path

from flask import current_app

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600


def root():
    path = Path(current_app.config.get("IMPORT_DIR") or Path(current_app.instance_path) / "imports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(stream, filename, user_id, kind, account_id=None, limit=None):
    """Write an upload to disk in chunks; (token, size). Raises ValueError past `limit` bytes."""
    sweep()
    token = secrets.token_urlsafe(24)
    folder = root() / token
    folder.mkdir(mode=0o700)
    size = 0
    with open(folder / "file", "wb") as out:
        while chunk := stream.read(1 << 16):
            size += len(chunk)
            if limit and size > limit:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise ValueError(size)
            out.write(chunk)
    write_meta(token, {"user_id": user_id, "kind": kind, "account_id": account_id,
                       "filename": (filename or "")[:200], "size": size, "created": time.time(),
                       "status": "new", "done": 0, "total": 0})
    return token, size


def path_of(token):
    return root() / token / "file"


def meta(token, user_id=None, kind=None, account_id=None):
    """The record of an upload, or None when the token is unknown or not this user's."""
    if not token or not TOKEN.match(token):
        return None
    try:
        data = json.loads((root() / token / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    if user_id is not None and data.get("user_id") != user_id:
        return None
    if kind is not None and data.get("kind") != kind:
        return None
    if account_id is not None and data.get("account_id") != account_id:
        return None
    return data


def write_meta(token, data):
    """Replace the record atomically (the job writes progress while the page reads it)."""
    folder = root() / token
    tmp = folder / f"meta.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data, default=str))
    os.replace(tmp, folder / "meta.json")


def update(token, **changes):
    data = meta(token) or {}
    data.update(changes)
    write_meta(token, data)
    return data


def discard(token):
    if token and TOKEN.match(token):
        shutil.rmtree(root() / token, ignore_errors=True)


def sweep():
    """Forget uploads older than a day."""
    cutoff = time.time() - KEEP_SECONDS
    for folder in root().iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
