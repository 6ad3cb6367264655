"""Meeting, cadence and meeting-action forms. Choices that depend on the account are set by views."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.actions.models import ActionItem
from app.meetings.models import MEETING_KINDS, MEETING_STATUS, Meeting
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l

REQUIRED = _l("This field is required.")


@limits_from(Meeting)
class MeetingForm(FlaskForm):
    """Log or schedule a meeting; `starts_at` is typed in the user's time zone."""

    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=MEETING_KINDS.choices, default="executive")
    status = SelectField(_l("Status"), choices=MEETING_STATUS.choices, default="held")
    starts_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[
        DataRequired(_l("Enter when the meeting is."))])
    duration_minutes = IntegerField(_l("Duration (minutes)"), default=60, validators=[
        DataRequired(REQUIRED), NumberRange(min=5, max=1440, message=_l("Enter 5 to 1440 minutes."))])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=200)])
    our_attendees = SelectMultipleField(_l("Our attendees"), coerce=int, validators=[
        DataRequired(_l("Name at least one of our attendees."))])
    their_attendees = SelectMultipleField(_l("Their attendees"), coerce=int)
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=8000)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=8000)])
    decisions = TextAreaField(_l("Decisions"), validators=[Optional(), Length(max=8000)])
    satisfaction = IntegerField(_l("Customer satisfaction (1-10)"), validators=[
        Optional(), NumberRange(min=1, max=10, message=_l("Enter a score from 1 to 10."))])
    send_invites = BooleanField(_l("E-mail the attendees a calendar invitation (or the cancellation)"))
    version = HiddenField()

    FIELDS = ("title", "kind", "status", "duration_minutes", "location", "agenda", "summary",
              "decisions", "satisfaction")

    def values(self):
        """Cleaned values for the service (starts_at is converted by the view)."""
        data = {f: getattr(self, f).data for f in self.FIELDS}
        for f in ("title", "location", "agenda", "summary", "decisions"):
            data[f] = (data[f] or "").strip()
        return data


class CadenceForm(FlaskForm):
    """Which of our executives meets which decision-maker, how often."""

    executive_id = SelectField(_l("Our executive"), coerce=int, validate_choice=True,
                               validators=[DataRequired(_l("Choose our executive."))])
    contact_id = SelectField(_l("Their decision-maker"), coerce=int, validate_choice=True,
                             validators=[DataRequired(_l("Choose their decision-maker."))])
    every_days = IntegerField(_l("Every (days)"), default=90, validators=[
        DataRequired(REQUIRED), NumberRange(min=7, max=730, message=_l("Meet every 7 to 730 days."))])


class CadenceEditForm(FlaskForm):
    every_days = IntegerField(_l("Every (days)"), validators=[
        DataRequired(REQUIRED), NumberRange(min=7, max=730, message=_l("Meet every 7 to 730 days."))])
    version = HiddenField()


@limits_from(ActionItem)
class MeetingActionForm(FlaskForm):
    """An action item agreed at the meeting."""

    title = StringField(_l("What"), validators=[DataRequired(REQUIRED), Length(max=300)])
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=True)
    due_on = DateField(_l("Due"), validators=[Optional()])
