"""A meeting as an iCalendar (.ics) file that Outlook and phone calendars open.

Times are written in UTC ("Z"), which every client converts to its own zone; UID is
stable per meeting (the personal feed uses the same one, so the two never double up)
and SEQUENCE is the meeting's `sequence` column, which rises with every change a
calendar shows, so importing it again updates the entry instead of adding a second one.
"""
import re
from datetime import UTC, timedelta

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

PRODID = "-//Key-account workspace//Meetings//EN"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_EMAIL = re.compile(r"^[^@\s\"<>,;:()\[\]\\]+@[^@\s\"<>,;:()\[\]\\]+\.[^@\s\"<>,;:()\[\]\\]+$")


def utc(dt):
    """A naive UTC column value as an aware UTC datetime (written with "Z")."""
    return dt.replace(tzinfo=UTC)


def clean(text, limit=200):
    """One line of text for a property parameter: no line breaks or control characters."""
    return _CONTROL.sub(" ", text or "").strip()[:limit]


def address(person):
    """mailto: address of a user or contact with a usable e-mail, else None."""
    email = clean(getattr(person, "email", "") or "", 254)
    if not _EMAIL.match(email):
        return None
    who = vCalAddress(f"mailto:{email}")
    if clean(person.name):
        who.params["cn"] = vText(clean(person.name).replace('"', "'"))
    return who


def new_calendar(method=None, name=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def meeting_uid(meeting, host):
    return f"meeting-{meeting.id}@{host}"


def meeting_event(meeting, account_name, host, description="", stamp=None, alarm=True):
    """The VEVENT of a meeting; `meeting.our_attendees`, `their_attendees` and `created_by` loaded."""
    ev = Event()
    ev.add("uid", meeting_uid(meeting, host))
    ev.add("dtstamp", utc(stamp or meeting.created_at))
    ev.add("dtstart", utc(meeting.starts_at))
    ev.add("dtend", utc(meeting.ends_at))
    ev.add("summary", f"{meeting.title} · {account_name}")
    if meeting.location:
        ev.add("location", meeting.location)
    if description:
        ev.add("description", description)
    ev.add("sequence", meeting.sequence or 0)
    ev.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    organizer = address(meeting.created_by) if meeting.created_by_id else None
    if organizer is not None:
        ev.add("organizer", organizer, encode=0)
    for person in list(meeting.our_attendees) + list(meeting.their_attendees):
        who = address(person)
        if who is None:
            continue
        who.params["role"] = vText("REQ-PARTICIPANT")
        ev.add("attendee", who, encode=0)
    if alarm and meeting.status != "cancelled":
        al = Alarm()
        al.add("action", "DISPLAY")
        al.add("description", clean(meeting.title))
        al.add("trigger", timedelta(minutes=-30))
        ev.add_component(al)
    return ev


def meeting_ics(meeting, account, host, description="", stamp=None):
    """Bytes of a one-event calendar for `meeting` (attendees with e-mail addresses included)."""
    from app.timeutil import utcnow

    cal = new_calendar("PUBLISH")
    cal.add_component(meeting_event(meeting, account.name, host, description, stamp=stamp or utcnow()))
    return cal.to_ical()
