"""The /me profile form and the admin's workspace time-zone form."""
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.auth.forms import language_choices
from app.auth.models import User
from app.concurrency import VersionedForm
from app.names import VisibleName, clean_name
from app.textlimits import limits_from
from app.timeutil import today
from app.timezones import zone_choices
from app.translate import lazy_gettext as _l


def _zones(default_label):
    return [("", default_label)] + list(zone_choices(today()))


@limits_from(User)
class ProfileForm(VersionedForm, FlaskForm):
    """Name, language and time zone of the user themself; `version` guards against a second tab."""

    name = StringField(_l("Name"), filters=[clean_name],
                       validators=[DataRequired(_l("Enter your name.")), VisibleName(), Length(max=120)])
    language = SelectField(_l("Language"), choices=language_choices)
    timezone = SelectField(_l("Time zone"), validate_choice=True)
    def set_zone_choices(self, workspace_zone):
        self.timezone.choices = _zones(_l("Workspace default (%(tz)s)", tz=workspace_zone))
        return self


class WorkspaceZoneForm(VersionedForm, FlaskForm):
    """The zone of everyone who has not chosen one (at the version the admin read)."""

    timezone = SelectField(_l("Workspace default time zone"), validate_choice=True)

    def set_zone_choices(self, fallback):
        self.timezone.choices = _zones(_l("The server setting TIMEZONE (%(tz)s)", tz=fallback))
        return self
