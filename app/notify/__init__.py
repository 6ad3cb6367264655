"""Telling people: in-app notifications (the bell), e-mail, chat-bot webhooks, preferences.

Sweeps and digests (jobs.py) find what is due or late; `services.emit` fans one event out to
its recipients' chosen channels and to the account's chat targets, once per event.
"""
from flask import Blueprint

bp = Blueprint("notify", __name__)


@bp.record_once
def _bind(state):
    """Bind Flask-Mailman to the app (one Mail instance, like the other extensions)."""
    from app.notify.mail import mail

    mail.init_app(state.app)


from app.notify import routes, routes_admin  # noqa: E402,F401
