"""Forms: the admin's health weights, the sponsor's check-in note, the snapshot button."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from app.concurrency import VersionedForm
from app.health.models import CheckInNote
from app.health.parts import PARTS
from app.health.sponsor import NOTE_MAX
from app.selection.forms import WholeNumberField
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l


@limits_from(CheckInNote)
class NoteForm(FlaskForm):
    """A check-in note: what the sponsor saw, asked or promised."""

    body = TextAreaField(_l("Check-in note"), validators=[
        DataRequired(_l("Write the note first.")), Length(max=NOTE_MAX)])


class EmptyForm(FlaskForm):
    """A one-button POST that still carries a CSRF token."""


def _weight_field(label, default):
    return WholeNumberField(label, default=default, validators=[
        NumberRange(0, 100, _l("A weight is a whole number from 0 to 100."))])


class WeightsForm(VersionedForm, FlaskForm):
    """One whole-number weight per health part."""

    def values(self):
        """{part key: weight}."""
        return {key: self[key].data for key, _label, _w in PARTS}


for _key, _label, _default in PARTS:
    setattr(WeightsForm, _key, _weight_field(_label, _default))
