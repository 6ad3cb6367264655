"""The part of an import both kinds share: rows of the file through the mapping into
checked values, outcomes row by row, and a plan the preview shows and apply follows."""
from dataclasses import dataclass, field

from app.imports import fields as F
from app.imports.cells import Refused, convert
from app.sheets import reader
from app.translate import lazy_gettext as _l

PREVIEW_ROWS = 300    # rows shown on the preview page (refused ones first); counts cover all
MAX_ROWS = 100_000
ACTIONS = ("create", "update", "unchanged", "refuse")


@dataclass
class Outcome:
    line: int
    label: str
    action: str = "create"
    changes: list = field(default_factory=list)   # field keys that change
    errors: list = field(default_factory=list)

    def refuse(self, message):
        self.action = "refuse"
        self.errors.append(str(message))


@dataclass
class Plan:
    kind: str
    header: list = field(default_factory=list)
    mapping: dict = field(default_factory=dict)   # column index -> field key
    preset: str = ""
    encoding: str = ""
    separator: str = ""
    problems: list = field(default_factory=list)  # file-level refusals
    hint: bool = False
    outcomes: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    new_departments: list = field(default_factory=list)
    total: int = 0

    @property
    def ok(self):
        return not self.problems and self.total > 0 and not self.counts["refuse"]

    def count(self):
        self.counts = dict.fromkeys(ACTIONS, 0)
        for o in self.outcomes:
            self.counts[o.action] += 1
        self.total = len(self.outcomes)

    def to_json(self):
        """What the preview page needs, small whatever the file's size."""
        shown = sorted(self.outcomes, key=lambda o: (o.action != "refuse", o.line))[:PREVIEW_ROWS]
        shown.sort(key=lambda o: o.line)
        return {"kind": self.kind, "header": self.header, "mapping": {str(k): v for k, v in self.mapping.items()},
                "preset": self.preset, "encoding": self.encoding, "separator": self.separator,
                "problems": [str(p) for p in self.problems], "hint": self.hint, "counts": self.counts,
                "total": self.total, "new_departments": self.new_departments,
                "rows": [[o.line, o.label, o.action, o.changes, o.errors] for o in shown]}


def open_plan(kind, path, filename, mapping=None):
    """(plan, table): the file opened and its columns mapped, or a plan with the problem."""
    plan = Plan(kind)
    try:
        table = reader.open_table(path, filename)
    except reader.Unreadable as exc:
        plan.problems.append(str(exc.message))
        plan.hint = exc.hint
        return plan, None
    plan.header, plan.encoding, plan.separator = table.header, table.encoding, table.separator
    plan.preset = F.preset_of(kind, table.header)
    plan.mapping = clean_mapping(kind, table.header, mapping) if mapping is not None \
        else F.auto_map(kind, table.header)
    if "name" not in plan.mapping.values() and not (
            kind == "contacts" and {"first_name", "last_name"} & set(plan.mapping.values())):
        plan.problems.append(_l("No column is matched to the name. Choose which column holds it."))
    return plan, table


def clean_mapping(kind, header, mapping):
    """A submitted mapping kept to real columns and fields, each field once."""
    keys = {f.key for f in F.FIELDS[kind]}
    out, used = {}, set()
    for col, key in (mapping or {}).items():
        try:
            col = int(col)
        except (TypeError, ValueError):
            continue
        if 0 <= col < len(header) and key in keys and key not in used:
            out[col] = key
            used.add(key)
    return out


def rows(plan, table, progress=None):
    """(line, values, errors) of every non-empty data row, through the mapping."""
    fields = {i: F.field_of(plan.kind, key) for i, key in plan.mapping.items()}
    try:
        for n, (line, cells) in enumerate(table.rows, start=1):
            if n > MAX_ROWS:
                plan.problems.append(_l("At most %(n)d rows can be imported at once.", n=MAX_ROWS))
                return
            if not any(str(c).strip() for c in cells):
                continue
            values, errors = {}, []
            for i, f in fields.items():
                raw = cells[i] if i < len(cells) else ""
                try:
                    values[f.key] = convert(f, raw)
                except Refused as exc:
                    errors.append(f"{plan.header[i]}: {exc}")
            if progress and n % 500 == 0:
                progress(n)
            yield line, values, errors
    except reader.Unreadable as exc:
        plan.problems.append(str(exc.message))
        plan.hint = exc.hint


def same(old, new):
    """Whether a stored value equals an imported one ('' and None are both empty)."""
    if old in ("", None) and new in ("", None):
        return True
    if hasattr(old, "quantize") and new is not None:
        try:
            return float(old) == float(new)
        except (TypeError, ValueError):
            return False
    return old == new
