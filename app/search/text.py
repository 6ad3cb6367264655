"""Text folding for the index and the query: NFKC (full-width to half-width), pinyin, snippets."""
import re
import unicodedata

from markupsafe import Markup, escape

MAX_QUERY = 100
MAX_TERMS = 5
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def fold(value):
    """NFKC: full-width letters, digits and punctuation become their half-width forms."""
    return unicodedata.normalize("NFKC", value or "")


def like_escape(term):
    """`term` for a LIKE pattern, its own %, _ and \\ taken literally (ESCAPE '\\')."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(term):
    """A LIKE pattern finding `term` anywhere (ESCAPE '\\')."""
    return "%" + like_escape(term) + "%"


def pinyin_of(*names):
    """Full pinyin and initials of the Chinese in `names`: 张伟 -> "zhangwei zw"."""
    from pypinyin import Style, lazy_pinyin

    out = []
    for name in names:
        for run in HAN.findall(name or ""):
            syllables = lazy_pinyin(run, errors="ignore")
            if syllables:
                out.append("".join(syllables))
                out.append("".join(s[0] for s in lazy_pinyin(run, style=Style.FIRST_LETTER, errors="ignore")
                                   if s))
    return " ".join(out)[:600]


def terms_of(query):
    """The folded, lower-cased query split on white space (at most MAX_TERMS terms)."""
    q = fold(query).strip().lower()[:MAX_QUERY]
    seen = []
    for t in q.split():
        if t not in seen:
            seen.append(t)
    return seen[:MAX_TERMS]


def _pattern(terms):
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def highlight(value, terms):
    """`value` escaped, with each match of a term wrapped in <mark>."""
    if not value or not terms:
        return escape(value or "")
    out, last = [], 0
    for m in _pattern(terms).finditer(value):
        out.append(escape(value[last:m.start()]))
        out.append(Markup("<mark>%s</mark>") % value[m.start():m.end()])
        last = m.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)


def snippet(body, terms, width=120):
    """A short piece of `body` around the first match, escaped, matches highlighted."""
    body = " ".join((body or "").split())
    if not body:
        return Markup("")
    m = _pattern(terms).search(body) if terms else None
    start = 0 if m is None else max(0, m.start() - width // 3)
    end = min(len(body), start + width)
    piece = body[start:end]
    return (Markup("…") if start else Markup("")) + highlight(piece, terms) + (
        Markup("…") if end < len(body) else Markup(""))
