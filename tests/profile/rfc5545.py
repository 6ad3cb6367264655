"""A small, strict RFC 5545 reader for the tests: independent of `icalendar`.

It refuses what a picky client would: bare LF, lines over 75 octets, a folded first line,
bad property names, unbalanced BEGIN/END, unescaped commas/semicolons it cannot split.
It returns components as dicts: {"name", "props": [(NAME, {PARAM: value}, value)], "children"}.
"""
import re
from datetime import UTC, date, datetime, timedelta

NAME = re.compile(r"^[A-Za-z0-9-]+$")


class Strict(ValueError):
    pass


def unfold(data: bytes):
    """Content lines: CRLF only, each physical line at most 75 octets, folds joined."""
    if b"\n" in data.replace(b"\r\n", b""):
        raise Strict("bare LF")
    if not data.endswith(b"\r\n"):
        raise Strict("no final CRLF")
    lines = []
    for raw in data[:-2].split(b"\r\n"):
        if len(raw) > 75:
            raise Strict(f"line over 75 octets: {raw[:40]!r}")
        if raw[:1] in (b" ", b"\t"):
            if not lines:
                raise Strict("fold before the first line")
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return [line.decode("utf-8") for line in lines]  # folding may split a UTF-8 sequence


def _split_params(head):
    parts, cur, quoted = [], "", False
    for ch in head:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if quoted:
        raise Strict(f"unbalanced quote: {head}")
    parts.append(cur)
    name, params = parts[0], {}
    for p in parts[1:]:
        k, sep, v = p.partition("=")
        if not sep or not NAME.match(k):
            raise Strict(f"bad parameter {p!r}")
        if '"' in v.strip('"'):
            raise Strict(f"quote inside parameter value {p!r}")
        params[k.upper()] = v.strip('"')
    return name, params


def parse_line(line):
    quoted, colon = False, -1
    for pos, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            colon = pos
            break
    if colon < 0:
        raise Strict(f"no colon: {line!r}")
    i = colon
    name, params = _split_params(line[:i])
    if not NAME.match(name):
        raise Strict(f"bad name {name!r}")
    return name.upper(), params, line[i + 1:]


def parse(data: bytes):
    """The VCALENDAR as nested dicts."""
    stack, root = [], None
    for line in unfold(data):
        name, params, value = parse_line(line)
        if name == "BEGIN":
            comp = {"name": value.upper(), "props": [], "children": []}
            if stack:
                stack[-1]["children"].append(comp)
            elif root is None:
                root = comp
            else:
                raise Strict("two top-level components")
            stack.append(comp)
        elif name == "END":
            if not stack or stack[-1]["name"] != value.upper():
                raise Strict(f"END:{value} does not close {stack[-1]['name'] if stack else None}")
            stack.pop()
        else:
            if not stack:
                raise Strict(f"property outside a component: {name}")
            stack[-1]["props"].append((name, params, value))
    if stack or root is None or root["name"] != "VCALENDAR":
        raise Strict("unclosed or missing VCALENDAR")
    return root


def text(value):
    """Unescape a TEXT value (RFC 5545 3.3.11)."""
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            nxt = value[i + 1:i + 2]
            if nxt in ("n", "N"):
                out.append("\n")
            elif nxt in ("\\", ";", ","):
                out.append(nxt)
            else:
                raise Strict(f"bad escape \\{nxt}")
            i += 2
            continue
        if ch in ",;":
            raise Strict(f"unescaped {ch!r} in TEXT {value!r}")
        out.append(ch)
        i += 1
    return "".join(out)


def when(params, value):
    """A DATE or a UTC DATE-TIME; floating or TZID times are refused (the feed uses UTC)."""
    if params.get("VALUE") == "DATE":
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    if not re.fullmatch(r"\d{8}T\d{6}Z", value):
        raise Strict(f"not a UTC date-time: {value}")
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def events(cal):
    """[{NAME: (params, value)}] of the VEVENTs (first value of each property), checked for the basics."""
    out = []
    for comp in cal["children"]:
        if comp["name"] != "VEVENT":
            continue
        props = {}
        for name, params, value in comp["props"]:
            props.setdefault(name, (params, value))
        for required in ("UID", "DTSTAMP", "DTSTART"):
            if required not in props:
                raise Strict(f"VEVENT without {required}")
        if "DTEND" in props and when(*props["DTEND"]) <= when(*props["DTSTART"]) - timedelta(0):
            if when(*props["DTEND"]) < when(*props["DTSTART"]):
                raise Strict("DTEND before DTSTART")
        out.append(props)
    return out
