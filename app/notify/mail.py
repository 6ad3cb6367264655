"""E-mail: a text and an HTML part from templates, in the recipient's language, with one-click
unsubscribe (RFC 8058). Sent by SMTP (Flask-Mailman) when MAIL_SERVER is set; otherwise written
as .eml files under instance/outbox/, which admins read on the Outbox page."""
import re
import secrets
from email import policy
from email.parser import BytesParser
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives, Mail

from app.timeutil import utcnow

mail = Mail()
OUTBOX_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}\.eml$")


def base_url():
    """Absolute links in mails and chat cards start here (BASE_URL, e.g. https://kam.example.com)."""
    return (current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")


def absolute(path):
    return base_url() + path if path.startswith("/") else path


def language_of(user):
    langs = current_app.config["LANGUAGES"]
    return user.language if user.language in langs else current_app.config["BABEL_DEFAULT_LOCALE"]


def timezone_of(user):
    """The zone the person reads times in: their own (on /me), else the workspace's."""
    from app.timezones import zone_of

    return zone_of(user)


def sender():
    return current_app.config.get("MAIL_DEFAULT_SENDER") or "Key-account workspace <noreply@localhost>"


def path_for(endpoint, **values):
    """A URL path outside any request (jobs, tasks): the app's URL map, no SERVER_NAME needed."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def build(user, template, make_context, unsubscribe_path):
    """An EmailMultiAlternatives for `user` from `template`.txt/.html, in their language.

    `make_context(lang, tz)` runs under the user's locale and returns the template values,
    with "subject" among them.
    """
    lang, tz = language_of(user), timezone_of(user)
    unsubscribe = absolute(unsubscribe_path)
    with force_locale(lang):
        ctx = dict(make_context(lang, tz), user=user, lang=lang, tz=tz, unsubscribe_url=unsubscribe,
                   base_url=base_url())
        subject = str(ctx["subject"])
        text = render_template(f"notify/mail/{template}.txt", **ctx)
        html = render_template(f"notify/mail/{template}.html", **ctx)
    domain = urlsplit(base_url()).hostname or "localhost"
    msg = EmailMultiAlternatives(
        subject=subject.replace("\n", " ")[:250], body=text, from_email=sender(),
        to=[formataddr((user.name, user.email))],
        headers={"List-Unsubscribe": f"<{unsubscribe}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 "Message-ID": make_msgid(domain=domain),
                 "Auto-Submitted": "auto-generated"})
    msg.attach_alternative(html, "text/html")
    return msg


def outbox_dir():
    return Path(current_app.config.get("MAIL_OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")


def deliver(msg):
    """Send by SMTP when a mail server is configured, else write the mail to the outbox."""
    cfg = current_app.config
    if cfg.get("MAIL_SERVER") or cfg.get("MAIL_BACKEND"):
        with mail.get_connection() as conn:
            msg.connection = conn
            msg.send(fail_silently=False)
        return None
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    path.write_bytes(msg.message().as_bytes())
    return path.name


def outbox(limit=100):
    """The newest mails in the outbox: [(name, subject, to, date)], parsed headers only."""
    folder = outbox_dir()
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if OUTBOX_NAME.match(p.name)), reverse=True)[:limit]
    parser = BytesParser(policy=policy.default)
    out = []
    for name in names:
        with (folder / name).open("rb") as f:
            head = parser.parse(f, headersonly=True)
        out.append((name, *(str(head[h] or "").strip() for h in ("Subject", "To", "Date"))))
    return out


def read_outbox(name):
    """(headers [(name, value)], text part, html part) of one outbox mail, or None."""
    if not OUTBOX_NAME.match(name or ""):
        return None
    path = outbox_dir() / name
    if not path.is_file():
        return None
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    headers = [(k, str(v).strip()) for k, v in msg.items()
               if k in ("From", "To", "Subject", "Date", "List-Unsubscribe", "List-Unsubscribe-Post")]
    return headers, text.get_content() if text else "", html.get_content() if html else ""
