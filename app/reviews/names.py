"""File names that carry the account's name in any script: for downloads and inside the quarter ZIP."""
import re
import unicodedata
from urllib.parse import quote

# Characters no file system or browser likes in a name, and runs of white space.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+|\s+')


def safe_stem(name, limit=80):
    """'华东精密 East China Precision' -> '华东精密-East-China-Precision' (letters of any script kept)."""
    stem = _UNSAFE.sub("-", unicodedata.normalize("NFC", name or "")).strip("-.")
    stem = re.sub(r"-{2,}", "-", stem)[:limit].strip("-.")
    return stem or "account"


def review_filename(account_name, quarter, number=None, ext="pdf"):
    """'华东精密-East-China-Precision-2026-Q4.pdf', with '-v2' for a re-issued copy."""
    version = f"-v{number}" if number else ""
    return f"{safe_stem(account_name)}-{quarter}{version}.{ext}"


def ascii_fallback(filename):
    """The plain-ASCII name for clients that ignore filename* (non-ASCII letters become '_')."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^A-Za-z0-9._-]+", "_", folded).strip("_") or "review"
    return out


def content_disposition(filename, kind="attachment"):
    """RFC 6266 / RFC 5987: an ASCII filename= for old clients, the real name in filename*."""
    return f"{kind}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
