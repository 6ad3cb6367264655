"""Channel, complaint and status-step forms. Choices that depend on the account are set by views."""
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from app.complaints.models import (
    CATEGORIES,
    CHANNEL_KINDS,
    SEVERITIES,
    STATUSES,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
)
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l

REQUIRED = _l("This field is required.")
WHEN_FORMAT = "%Y-%m-%dT%H:%M"
BREACH_CHOICES = [("", _l("Any")), ("breached", _l("Breached")), ("response", _l("Response breached")),
                  ("resolution", _l("Resolution breached")), ("on_time", _l("On time")),
                  ("escalated", _l("Escalated"))]


@limits_from(ComplaintChannel)
class ChannelForm(FlaskForm):
    """A complaint channel; `version` guards against overwriting a teammate."""

    kind = SelectField(_l("Kind"), choices=CHANNEL_KINDS.choices)
    owner_id = SelectField(_l("Owner on our side"), coerce=int, validate_choice=True)
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=60)])
    email = StringField(_l("E-mail"), validators=[
        Optional(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))])
    portal = StringField(_l("Portal"), validators=[
        Optional(), Length(max=255), URL(message=_l("Enter a web address like https://example.com."))])
    hours = StringField(_l("Hours"), validators=[Optional(), Length(max=120)],
                        render_kw={"placeholder": _l("Mon–Fri 9:00–18:00")})
    response_hours = IntegerField(_l("Response target (hours)"), default=24, validators=[
        DataRequired(REQUIRED), NumberRange(min=1, max=2000, message=_l("Enter 1 to 2000 hours."))])
    resolution_hours = IntegerField(_l("Resolution target (hours)"), default=120, validators=[
        DataRequired(REQUIRED), NumberRange(min=1, max=10000, message=_l("Enter 1 to 10000 hours."))])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()

    FIELDS = ("kind", "owner_id", "phone", "email", "portal", "hours", "response_hours",
              "resolution_hours", "notes")

    def values(self):
        """Cleaned values for the service."""
        data = {f: getattr(self, f).data for f in self.FIELDS}
        for f in ("phone", "email", "portal", "hours", "notes"):
            data[f] = (data[f] or "").strip()
        data["owner_id"] = data["owner_id"] or None
        return data


@limits_from(Complaint)
class ComplaintForm(FlaskForm):
    """Log a complaint; `received_at` is typed in the user's time zone."""

    channel_id = SelectField(_l("Came through"), coerce=int, validate_choice=True,
                             validators=[DataRequired(_l("Choose the channel it came through."))])
    contact_id = SelectField(_l("Raised by"), coerce=int, validate_choice=True)
    received_at = DateTimeLocalField(_l("Received at"), format=WHEN_FORMAT, validators=[
        DataRequired(_l("Enter the date and time it was received."))])
    subject = StringField(_l("Subject"), validators=[DataRequired(REQUIRED), Length(max=200)])
    category = SelectField(_l("Category"), choices=CATEGORIES.choices, default="quality")
    severity = SelectField(_l("Severity"), choices=SEVERITIES.choices, default="medium")
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=8000)])
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=True)


class ComplaintEditForm(ComplaintForm):
    """Correct a logged complaint; the channel and time received are not edited here."""

    channel_id = None
    received_at = None
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=True)
    version = HiddenField()

    FIELDS = ("subject", "description", "category", "severity", "contact_id", "owner_id")

    def values(self):
        return {f: getattr(self, f).data for f in self.FIELDS}


@limits_from(Complaint, ComplaintEvent)
class StepForm(FlaskForm):
    """Move a complaint to a later step; closing asks for the root cause and the prevention."""

    to_status = HiddenField(validators=[DataRequired()])
    at = DateTimeLocalField(_l("When"), format=WHEN_FORMAT, validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    resolution = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=8000)])
    root_cause = TextAreaField(_l("Root cause"), validators=[Optional(), Length(max=8000)])
    prevention = TextAreaField(_l("Prevention agreed"), validators=[Optional(), Length(max=8000)])
    version = HiddenField()


@limits_from(ComplaintEvent)
class EscalateForm(FlaskForm):
    """Hand the complaint to a higher channel."""

    channel_id = SelectField(_l("Escalate to"), coerce=int, validate_choice=True,
                             validators=[DataRequired(_l("Choose a higher channel."))])
    note = StringField(_l("Why"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


@limits_from(ComplaintEvent)
class ReopenForm(FlaskForm):
    """Reopen a resolved or closed complaint, saying why."""

    note = StringField(_l("Why is it reopened?"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    version = HiddenField()


class FilterForm(FlaskForm):
    """GET filters of complaint lists (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], choices=lambda: [
        ("", _l("Any")), ("unresolved", _l("Unresolved"))] + STATUSES.choices)
    severity = SelectField(_l("Severity"), validators=[Optional()],
                           choices=lambda: [("", _l("Any"))] + SEVERITIES.choices)
    breach = SelectField(_l("Targets"), validators=[Optional()], choices=BREACH_CHOICES)
