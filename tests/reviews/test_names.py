"""Review file names carry the account's name, Chinese kept (RFC 5987 filename*, UTF-8 in the ZIP)."""
import io
import zipfile
from types import SimpleNamespace
from urllib.parse import unquote

from app.reviews import export
from app.reviews.names import content_disposition, review_filename, safe_stem


def test_names_keep_the_account_name_in_any_script():
    assert review_filename("华东精密 East China Precision", "2026-Q4") == "华东精密-East-China-Precision-2026-Q4.pdf"
    assert review_filename("A/B: C?", "2026-Q4", 2) == "A-B-C-2026-Q4-v2.pdf"
    assert safe_stem("  ../  ") == "account"


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    header = content_disposition("华东精密-East-2026-Q4.pdf")
    plain, star = header.split("; filename*=UTF-8''")
    assert plain.startswith('attachment; filename="') and plain.isascii()
    assert unquote(star) == "华东精密-East-2026-Q4.pdf"


def test_zip_names_are_utf8():
    name = export.filename(SimpleNamespace(id=7, name="星辰半导体 Xingchen"), "2026-Q4")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, b"%PDF")
    info = zipfile.ZipFile(io.BytesIO(buf.getvalue())).infolist()[0]
    assert info.filename == "星辰半导体-Xingchen-2026-Q4.pdf" and info.flag_bits & 0x800
