"""Names people see (a person's, a contact's, a department's, an account's): never blank-looking,
never reversing the text around them.

`clean_name` strips the bidi embedding / override / isolate controls (U+202A-U+202E,
U+2066-U+2069: "‮gnp.exe" shows as "exe.png"), turns line breaks and other whitespace runs into
one space, and trims invisible characters (whitespace, zero-width spaces and joiners, direction
marks, BOM, soft hyphens, other format controls) from both ends. Inside the name, joiners stay:
emoji sequences and Persian or Indic words need them. A name with nothing visible left is refused:
`VisibleName` in a form, `is_blank` in a service.
"""
import re
import unicodedata

from wtforms.validators import StopValidation

from app.translate import lazy_gettext as _l

BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Invisible at either end: every format control (Cf: zero-width space / joiners, LRM, RLM, ALM,
# BOM, soft hyphen, word joiner...), every control character (Cc) and every separator (Z*).
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
BLANK_MESSAGE = _l("Use visible characters: this name would show as blank.")


# Letters that render as nothing (Hangul fillers, the Braille blank, the Mongolian separator).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def _invisible(ch):
    return unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp") or ch.isspace() or ch in BLANK_LETTERS


def clean_name(value):
    """The name as it should be stored and shown (see the module docstring); None stays None."""
    if value is None:
        return None
    value = str(value).translate(BIDI_CONTROLS)
    value = _SPACES.sub(" ", value)
    start, end = 0, len(value)
    while start < end and _invisible(value[start]):
        start += 1
    while end > start and _invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def is_blank(value):
    """True when nothing visible is left of `value` (after clean_name)."""
    return not clean_name(value or "")


class VisibleName:
    """Form validator: a name typed with characters but none visible is refused with a clear
    message (a truly empty field is left to DataRequired). Use with `filters=[clean_name]`."""

    def __init__(self, message=BLANK_MESSAGE):
        self.message = message

    def __call__(self, form, field):
        typed = (field.raw_data or [""])[0] or ""
        if typed and not field.data:
            raise StopValidation(str(self.message))
