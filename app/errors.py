"""Friendly error pages in the user's language; htmx gets a short message."""
from flask import render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.concurrency import StaleEdit
from app.extensions import db
from app.inputguard import NulByte
from app.translate import gettext as _


def is_unique_violation(error):
    """Whether an IntegrityError is a unique index refusing a duplicate (PostgreSQL or SQLite)."""
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)


def init_app(app):
    """Register handlers for 400 (and NUL bytes)/403/404/405/413/500 and CSRF failures."""

    def page(code, title, message):
        if request.headers.get("HX-Request") == "true":
            return render_template("errors/_message.html", code=code, title=title, message=message), code
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(400)
    def bad_request(e):
        return page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(NulByte)
    def nul_byte(e):
        return page(400, _("Text the workspace cannot store"), _("What you sent contains an invisible NUL character (often from a copy out of another program or a damaged file). Remove it, or type the text again, and send it once more."))

    @app.errorhandler(413)
    def too_large(e):
        limit = request.max_content_length or 0
        return page(413, _("Too large"), _("What you sent is larger than the workspace takes at once (%(mb)s MB). Send a smaller file or a shorter text.", mb=round(limit / 1024 / 1024, 1)))

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return page(400, _("Form expired"), _("The form was missing its security token. Reload the page and try again; what you typed is still in your browser's back history."))

    @app.errorhandler(403)
    def forbidden(e):
        return page(403, _("Not allowed"), _("You can see this, but your role does not let you change it."))

    @app.errorhandler(404)
    def not_found(e):
        return page(404, _("Not found"), _("There is nothing here, or it is not yours to see."))

    @app.errorhandler(405)
    def not_allowed(e):
        return page(405, _("Not allowed"), _("That action is not available here."))

    @app.errorhandler(429)
    def too_many(e):
        return page(429, _("Too many attempts"), _("Too many failed log-ins. Wait a few minutes, then try again."))

    @app.errorhandler(IntegrityError)
    def duplicate(e):
        """The safety net behind every unique index: a racing request made the same row first.

        Other integrity errors (a missing foreign key, a NULL) are bugs and stay 500s.
        """
        db.session.rollback()
        if not is_unique_violation(e):
            raise e
        app.logger.info("unique index refused a write: %s", e.orig)
        return page(409, _("Already saved"), _("Someone saved the same thing at the same moment, so yours was not added twice. Reload the page to see what is stored now."))
    @app.errorhandler(StaleEdit)
    @app.errorhandler(StaleDataError)
    def stale(e):
        # A save that raced a teammate's on a path without its own 409 form: still not a 500.
        db.session.rollback()
        return page(409, _("Someone else saved this first"), _("A teammate changed this while you were working on it, so nothing of yours was saved over theirs. Reload the page to see their version, then make your change again."))

    @app.errorhandler(500)
    def server_error(e):
        db.session.rollback()
        return page(500, _("Something went wrong"), _("The error has been logged. Nothing you saved before this was lost."))
