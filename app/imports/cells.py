"""One cell of an import, checked and converted as its field wants; a refusal says why."""
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from flask_babel import force_locale

from app.sheets.reader import Formula
from app.sheets.writer import FORMULA_START
from app.translate import lazy_gettext as _l

LONG_LIMIT = 5000
EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]*"
                   r"[A-Za-z0-9\u00a1-\uffff])?(?:\.[A-Za-z0-9\u00a1-\uffff-]+)+$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%d.%m.%Y", "%m/%d/%Y")
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


class Refused(ValueError):
    """A cell that cannot be imported: the message names the column and the reason."""


def unneutralise(text):
    """Drop the quote our CSV export puts before formula-looking text, so it imports as it was."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


@lru_cache(maxsize=64)
def _vocab_table(voc):
    """{lower-case code or label in English or Chinese: code} (switching locale is slow: once)."""
    table = {}
    for lang in ("en", "zh"):
        with force_locale(lang):
            for value, label in voc.pairs:
                table.setdefault(str(label).strip().lower(), value)
    for value, _label in voc.pairs:
        table[str(value).lower()] = value
    return table


def _vocab_code(voc, text):
    low = text.strip().lower()
    table = _vocab_table(voc)
    return table.get(low, table.get(low.replace(" ", "_").replace("-", "_")))


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    head = text.split(" ", 1)[0].split("T", 1)[0]
    for fmt in DATE_FORMATS:
        for candidate in (head, text):
            try:
                return datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
    raise Refused(_l("write the date as YYYY-MM-DD"))


def _number(text):
    cleaned = re.sub(r"[\s,¥$€£%]|CNY|USD|EUR|RMB|元", "", str(text))
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise Refused(_l("not a number")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise Refused(_l("not a number"))
    return number


def convert(f, value):
    """The stored value of a cell for field `f`, or raise Refused."""
    if isinstance(value, Formula):
        raise Refused(_l("a formula (%(text)s); import takes values: paste the column as values",
                         text=str(value)[:40]))
    if f.kind == "date":
        return _date(value) if value not in ("", None) else None
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise Refused(_l("contains a NUL character"))
    text = unneutralise(text.strip())
    if f.kind in ("money", "pct"):
        if not text:
            return None
        number = _number(text)
        if f.kind == "pct":
            if isinstance(value, float | int) and abs(number) <= 1 and "%" not in text:
                number *= 100  # a workbook percentage cell holds 0.25 for 25 %
            if not -1000 < number < 1000:
                raise Refused(_l("a percentage between -999 and 999"))
            return number.quantize(Decimal("0.01"))
        return number.quantize(Decimal("0.01"))
    if f.kind == "vocab":
        if not text:
            return None
        code = _vocab_code(f.vocab, text)
        if code is None:
            raise Refused(_l("\"%(value)s\" is not one of the choices", value=text[:60]))
        return code
    if f.kind == "id":
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise Refused(_l("not a number")) from None
    single_line = f.kind != "long"
    if single_line and ("\n" in text or "\r" in text):
        raise Refused(_l("a line break is not allowed here"))
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise Refused(_l("contains a control character"))
    limit = LONG_LIMIT if f.kind == "long" else f.limit
    if len(text) > limit:
        raise Refused(_l("%(n)d characters; at most %(max)d", n=len(text), max=limit))
    if f.kind == "email" and text and not EMAIL.match(text):
        raise Refused(_l("\"%(value)s\" is not an e-mail address", value=text[:60]))
    if text and all(ch in INVISIBLE or ch.isspace() for ch in text):
        return ""
    return text
