"""The kinds of event people are told about: their labels, titles and lines, per language.

Texts are rendered when shown (the bell, a mail, a chat card), in the reader's language and
time zone, from the plain values an event carries (`params`), so one stored event reads
right in Chinese and in English.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from app.complaints.models import CHANNEL_KINDS, SEVERITIES
from app.translate import gettext as _
from app.translate import lazy_gettext as _l

# kind -> (label on the preferences page, who gets it by default)
KINDS = {
    "sla_warning": _l("A complaint is about to miss its response or resolution target"),
    "sla_breach": _l("A complaint missed its target (and climbs the escalation path)"),
    "cadence_due": _l("An executive meeting is due within 7 days or overdue"),
    "action_due": _l("An action is due tomorrow or overdue"),
    "webhook_paused": _l("A chat bot kept failing and was paused (admins)"),
}
CHANNEL_CHOICES = (("both", _l("In the app and by e-mail")), ("in_app", _l("In the app only")),
                   ("email", _l("By e-mail only")), ("none", _l("Neither")))
TARGETS = {"response": _l("response"), "resolution": _l("resolution")}


def when(value, tz, locale, fmt=None):
    """A stored UTC time (ISO string or datetime) or a date, in `tz` and `locale`."""
    if not value:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=ZoneInfo("UTC"))
        return format_datetime(aware, fmt or "short", tzinfo=ZoneInfo(str(tz)), locale=locale)
    return format_date(value, fmt or "medium", locale=locale)


def title(kind, p):
    """One line that says what happened (the bell, the mail subject, the card title)."""
    target = str(TARGETS.get(p.get("target"), ""))
    if kind == "sla_warning":
        return _("Due soon, %(target)s: %(subject)s · %(account)s", target=target,
                 subject=p.get("subject", ""), account=p.get("account", ""))
    if kind == "sla_breach":
        return _("Overdue, %(target)s: %(subject)s · %(account)s", target=target,
                 subject=p.get("subject", ""), account=p.get("account", ""))
    if kind == "cadence_due":
        if p.get("overdue"):
            return _("Executive meeting overdue: %(executive)s with %(contact)s · %(account)s",
                     executive=p.get("executive", ""), contact=p.get("contact", ""), account=p.get("account", ""))
        return _("Executive meeting due: %(executive)s with %(contact)s · %(account)s",
                 executive=p.get("executive", ""), contact=p.get("contact", ""), account=p.get("account", ""))
    if kind == "action_due":
        if p.get("overdue"):
            return _("Action overdue: %(title)s · %(account)s", title=p.get("title", ""), account=p.get("account", ""))
        return _("Action due tomorrow: %(title)s · %(account)s", title=p.get("title", ""),
                 account=p.get("account", ""))
    if kind == "test":
        return _("Test message from the key-account workspace")
    if kind == "webhook_paused":
        return _("Chat bot paused after repeated failures: %(name)s", name=p.get("name", ""))
    return kind


def lines(kind, p, tz, locale):
    """The detail lines under the title."""
    out = []
    if kind in ("sla_warning", "sla_breach"):
        out.append(_("Severity: %(severity)s · channel: %(channel)s",
                     severity=SEVERITIES.label(p.get("severity", "")) or p.get("severity", ""),
                     channel=CHANNEL_KINDS.label(p.get("channel", "")) or p.get("channel", "")))
        out.append(_("Promised by %(due)s", due=when(p.get("due"), tz, locale)))
        if kind == "sla_breach" and p.get("hours_late") is not None:
            out.append(_("%(hours)s hours late", hours=p["hours_late"]))
        if p.get("escalated_to"):
            out.append(_("You are told as the owner of the %(channel)s channel, up the escalation path.",
                         channel=CHANNEL_KINDS.label(p["escalated_to"]) or p["escalated_to"]))
    elif kind == "cadence_due":
        out.append(_("Due on %(due)s", due=when(p.get("due"), tz, locale)))
        if p.get("overdue"):
            out.append(_("%(days)s days overdue", days=p["overdue"]))
    elif kind == "action_due":
        out.append(_("Due on %(due)s", due=when(p.get("due"), tz, locale)))
        if p.get("owner"):
            out.append(_("Owner: %(name)s", name=p["owner"]))
    elif kind == "test":
        out.append(_("If you can read this in your group chat, the bot works."))
    elif kind == "webhook_paused":
        out.append(_("Last error: %(error)s", error=p.get("error", "")))
        out.append(_("Fix the address or the secret, then switch the bot back on."))
    return out
