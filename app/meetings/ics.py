"""iCalendar (RFC 5545) text: one meeting's .ics, and the building blocks of the personal feed.

Written by hand rather than through `icalendar` objects: a feed of a user on 40 accounts holds
hundreds of entries, and building them as objects cost a second; these lines cost milliseconds.
The tests read the output back with `icalendar` and with a strict reader of their own.

Times are in UTC ("Z"), which every client converts to its own zone; dates that are dates are
VALUE=DATE, the same day everywhere. UID is stable per meeting (the feed uses the same one, so
the two never double up) and SEQUENCE is the meeting's `sequence` column, which rises with each
change a calendar shows, so importing it again updates the entry instead of adding a second one.
"""
import re
from datetime import timedelta

PRODID = "-//Key-account workspace//Meetings//EN"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_BREAKS = re.compile(r"\r\n|\r|\n")
_EMAIL = re.compile(r"^[^@\s\"<>,;:()\[\]\\]+@[^@\s\"<>,;:()\[\]\\]+\.[^@\s\"<>,;:()\[\]\\]+$")


def clean(text, limit=200):
    """One line of text for a parameter: no line breaks, control characters or double quotes."""
    return _CONTROL.sub(" ", _BREAKS.sub(" ", text or "")).replace('"', "'").strip()[:limit]


def escape(text):
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    text = _CONTROL.sub(" ", text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _BREAKS.sub("\\\\n", text)


def _param(value):
    value = clean(value)
    return f'"{value}"' if re.search(r"[:;,]", value) else value


def fold(line):
    """The content line as CRLF-terminated bytes, folded at 75 octets without splitting a character."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return raw + b"\r\n"
    out, start, limit = [], 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # not inside a UTF-8 sequence
            end -= 1
        out.append((b" " if start else b"") + raw[start:end])
        start, limit = end, 74
    return b"\r\n".join(out) + b"\r\n"


def utc_stamp(dt):
    """A naive UTC datetime as an iCalendar UTC DATE-TIME."""
    return dt.strftime("%Y%m%dT%H%M%SZ")


def address(person):
    """`;CN=name:mailto:e-mail` of a user or contact with a usable e-mail, else None."""
    email = clean(getattr(person, "email", "") or "", 254)
    if not _EMAIL.match(email):
        return None
    name = clean(getattr(person, "name", ""))
    return (f";CN={_param(name)}" if name else "") + f":mailto:{email}"


class Writer:
    """Collects content lines; `bytes()` is the calendar."""

    def __init__(self):
        self.parts = []

    def line(self, text):
        self.parts.append(fold(text))

    def prop(self, name, value):
        self.line(f"{name}:{escape(value)}")

    def begin_calendar(self, method=None, name=None, description=None):
        self.line("BEGIN:VCALENDAR")
        self.line(f"PRODID:{PRODID}")
        self.line("VERSION:2.0")
        self.line("CALSCALE:GREGORIAN")
        if method:
            self.line(f"METHOD:{method}")
        if name:
            self.prop("X-WR-CALNAME", name)
        if description:
            self.prop("X-WR-CALDESC", description)

    def end_calendar(self):
        self.line("END:VCALENDAR")

    def event(self, *, uid, stamp, start, end, summary, description="", location="", all_day=False,
              sequence=None, status=None, organizer=None, attendees=(), transparent=False, alarm=None):
        """One VEVENT; `start`/`end` naive UTC datetimes, or dates when `all_day`."""
        self.line("BEGIN:VEVENT")
        self.prop("UID", uid)
        self.line(f"DTSTAMP:{utc_stamp(stamp)}")
        if all_day:
            self.line(f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}")
            self.line(f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}")
        else:
            self.line(f"DTSTART:{utc_stamp(start)}")
            self.line(f"DTEND:{utc_stamp(end)}")
        self.prop("SUMMARY", summary)
        if location:
            self.prop("LOCATION", location)
        if description:
            self.prop("DESCRIPTION", description)
        if sequence is not None:
            self.line(f"SEQUENCE:{int(sequence)}")
        if status:
            self.line(f"STATUS:{status}")
        if transparent:
            self.line("TRANSP:TRANSPARENT")
        if organizer:
            self.line(f"ORGANIZER{organizer}")
        for who in attendees:
            self.line(f"ATTENDEE;ROLE=REQ-PARTICIPANT{who}")
        if alarm:
            self.line("BEGIN:VALARM")
            self.line("ACTION:DISPLAY")
            self.prop("DESCRIPTION", alarm)
            self.line("TRIGGER:-PT30M")
            self.line("END:VALARM")
        self.line("END:VEVENT")

    def __bytes__(self):
        return b"".join(self.parts)


def meeting_uid(meeting, host):
    return f"meeting-{meeting.id}@{host}"


def add_meeting(w, meeting, account_name, host, description="", stamp=None, alarm=True):
    """A meeting's VEVENT; `our_attendees`, `their_attendees` and `created_by` loaded."""
    people = [address(p) for p in list(meeting.our_attendees) + list(meeting.their_attendees)]
    cancelled = meeting.status == "cancelled"
    w.event(uid=meeting_uid(meeting, host), stamp=stamp or meeting.created_at, start=meeting.starts_at,
            end=meeting.starts_at + timedelta(minutes=meeting.duration_minutes or 60),
            summary=f"{meeting.title} · {account_name}", location=meeting.location, description=description,
            sequence=meeting.sequence or 0, status="CANCELLED" if cancelled else "CONFIRMED",
            organizer=address(meeting.created_by) if meeting.created_by_id else None,
            attendees=[p for p in people if p], alarm=None if cancelled or not alarm else meeting.title)


def uid_host():
    """The host in every meeting UID (download, feed, invitation), so a calendar that gets the
    same meeting two ways keeps one event: BASE_URL's host."""
    from urllib.parse import urlsplit

    from flask import current_app

    return urlsplit(current_app.config.get("BASE_URL") or "http://localhost").hostname or "localhost"


def meeting_ics(meeting, account, host=None, description="", stamp=None, method="PUBLISH"):
    """Bytes of a one-event calendar for `meeting` (organizer and attendees with e-mail addresses);
    METHOD:REQUEST or CANCEL for an invitation by mail (iTIP, RFC 5546)."""
    from app.timeutil import utcnow

    host = host or uid_host()
    w = Writer()
    w.begin_calendar(method)
    add_meeting(w, meeting, account.name, host, description, stamp=stamp or utcnow())
    w.end_calendar()
    return bytes(w)
