"""Translation catalogs: one core catalog plus one per feature, merged at run time.

Each feature keeps its Chinese strings in `app/<feature>/translations/zh/LC_MESSAGES/
messages.po`, so features can be built side by side without fighting over one file.
`python -m app.i18n compile` turns every .po into .mo (set-up runs it);
`python -m app.i18n missing` lists UI strings that have no Chinese yet.
"""
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

APP_DIR = Path(__file__).resolve().parent
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def catalog_dirs():
    """Translation directories relative to the app package: core first, then features."""
    dirs = ["translations"]
    dirs += sorted(str(p.relative_to(APP_DIR)) for p in APP_DIR.glob("*/translations") if p.is_dir())
    return dirs


def po_files(locale="zh"):
    return [APP_DIR / d / locale / "LC_MESSAGES" / "messages.po" for d in catalog_dirs()
            if (APP_DIR / d / locale / "LC_MESSAGES" / "messages.po").exists()]


def compile_all():
    """Write messages.mo next to every messages.po; returns how many were compiled."""
    n = 0
    for po in APP_DIR.glob("**/translations/*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalog = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)
        n += 1
    return n


def extracted_ids():
    """Every msgid the code and templates use: {msgid: first location}."""
    ids = {}
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
            str(APP_DIR), METHOD_MAP, options_map=options, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            ids.setdefault(msgid, f"{filename}:{lineno}")
    return ids


def translated_ids(locale="zh"):
    """msgids with a non-empty translation in any catalog of `locale`."""
    done = set()
    for po in po_files(locale):
        with po.open("rb") as f:
            for msg in read_po(f):
                if msg.id and msg.string and (all(msg.string) if isinstance(msg.string, tuple) else True):
                    done.add(msg.id[0] if isinstance(msg.id, tuple) else msg.id)
    return done


def missing(locale="zh"):
    """[(msgid, location)] used in the app but not translated."""
    done = translated_ids(locale)
    return sorted((m, loc) for m, loc in extracted_ids().items() if m not in done)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if cmd == "compile":
        print(f"compiled {compile_all()} catalogs")
    elif cmd == "missing":
        rows = missing()
        for msgid, loc in rows:
            print(f"{loc}\t{msgid!r}")
        print(f"{len(rows)} missing")
        sys.exit(1 if rows else 0)


def write_catalog(po_path, translations, locale="zh"):
    """Write (or extend) a .po file from {msgid: msgstr}; plural msgids map to (singular, plural)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    po_path = Path(po_path)
    if po_path.exists():
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=locale)
    else:
        catalog = Catalog(locale=locale, project="key-account workspace", charset="utf-8")
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr)
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True)
