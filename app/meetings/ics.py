"""A meeting as an iCalendar (.ics) file that Outlook and phone calendars open.

Times are written in UTC ("Z"), which every client converts to its own zone; UID is
stable per meeting and SEQUENCE follows the row's version, so downloading it again
after a change updates the calendar entry instead of adding a second one.
"""
from datetime import UTC, timedelta

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from app.timeutil import utcnow

PRODID = "-//Key-account workspace//Meetings//EN"


def _utc(dt):
    return dt.replace(tzinfo=UTC)


def meeting_ics(meeting, account, host, description=""):
    """Bytes of a one-event calendar for `meeting` (attendees with e-mail addresses included)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    ev = Event()
    ev.add("uid", f"meeting-{meeting.id}@{host}")
    ev.add("dtstamp", _utc(utcnow()))
    ev.add("dtstart", _utc(meeting.starts_at))
    ev.add("dtend", _utc(meeting.ends_at))
    ev.add("summary", f"{meeting.title} · {account.name}")
    if meeting.location:
        ev.add("location", meeting.location)
    if description:
        ev.add("description", description)
    ev.add("sequence", meeting.version)
    ev.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    for person in list(meeting.our_attendees) + list(meeting.their_attendees):
        if not person.email:
            continue
        who = vCalAddress(f"mailto:{person.email}")
        who.params["cn"] = vText(person.name)
        who.params["role"] = vText("REQ-PARTICIPANT")
        ev.add("attendee", who, encode=0)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", meeting.title)
    alarm.add("trigger", timedelta(minutes=-30))
    ev.add_component(alarm)
    cal.add_component(ev)
    return cal.to_ical()
