"""Calendar invitations by e-mail: scheduling a meeting can invite its attendees who have an
e-mail address (iTIP METHOD:REQUEST, RFC 5546), and cancelling it sends METHOD:CANCEL, so
Outlook, Google and Apple Calendar put it in (or take it out of) their calendars.

One mail per person, in their language and time zone (our people: their own; their people:
the organizer's), through the queue with retries. The UID and SEQUENCE are the meeting's, the
same as in the download and the feed, so a calendar keeps one event however it heard of it.
"""
from datetime import timedelta
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from flask import render_template
from flask_babel import force_locale, format_datetime, format_time
from flask_mailman import EmailMultiAlternatives

from app.accounts.models import Account
from app.auth.models import User
from app.extensions import db
from app.jobs import task
from app.meetings import ics
from app.notify import mail
from app.translate import gettext as _

METHODS = ("REQUEST", "CANCEL")


def recipients(meeting, organizer):
    """[(person, language, zone)]: attendees with a usable e-mail, each once, organizer excluded."""
    seen, out = set(), []
    their_lang, their_zone = mail.language_of(organizer), mail.timezone_of(organizer)
    for person, lang, zone in ([(u, mail.language_of(u), mail.timezone_of(u)) for u in meeting.our_attendees]
                               + [(c, their_lang, their_zone) for c in meeting.their_attendees]):
        email = (getattr(person, "email", "") or "").strip().lower()
        if not ics.address(person) or email in seen or email == (organizer.email or "").lower():
            continue
        seen.add(email)
        out.append((person, lang, zone))
    return out


def invitation(meeting, account, organizer, person, lang, zone, method):
    """The mail to one person: a text part, and the calendar as text/calendar (inline and attached)."""
    from app.timezones import force_timezone

    body = ics.meeting_ics(meeting, account, method=method)
    end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes or 60)
    with force_locale(lang), force_timezone(zone):
        subject = (_("Invitation: %(title)s · %(account)s", title=meeting.title, account=account.name)
                   if method == "REQUEST" else
                   _("Cancelled: %(title)s · %(account)s", title=meeting.title, account=account.name))
        when = f"{format_datetime(meeting.starts_at, 'full')} – {format_time(end, 'short')} ({zone})"
        text = render_template("meetings/invite.txt", m=meeting, account=account, organizer=organizer,
                               person=person, when=when, cancelled=method == "CANCEL")
    domain = urlsplit(mail.base_url()).hostname or "localhost"
    msg = EmailMultiAlternatives(
        subject=subject.replace("\n", " ")[:250], body=text, from_email=mail.sender(),
        to=[formataddr((person.name, person.email.strip()))],
        reply_to=[formataddr((organizer.name, organizer.email))] if organizer.email else None,
        headers={"Message-ID": make_msgid(domain=domain), "Auto-Submitted": "auto-generated"})
    msg.attach_alternative(body.decode(), f"text/calendar; method={method}; charset=UTF-8")
    msg.attach("invite.ics", body, f"application/ics; method={method}")
    return msg


@task(retries=4, retry_delay=30, retry_backoff=2)
def send_invitations(meeting_id, organizer_id, method):
    """Mail the invitation (or cancellation) of a meeting to each attendee with an e-mail."""
    from app.meetings.services import load_meeting

    if method not in METHODS:
        return 0
    meeting = load_meeting(meeting_id, organizer=True)
    organizer = (meeting.created_by or db.session.get(User, organizer_id)) if meeting else None
    if meeting is None or organizer is None:
        return 0
    account = db.session.get(Account, meeting.account_id)
    sent = 0
    for person, lang, zone in recipients(meeting, organizer):
        mail.deliver(invitation(meeting, account, organizer, person, lang, zone, method))
        sent += 1
    return sent
