"""Stakeholder forms. Choices that depend on the account are set by the view."""
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from app.concurrency import VersionedForm
from app.names import VisibleName, clean_name
from app.stakeholders.models import (
    DEPARTMENT_FUNCTION_LABELS,
    INTERACTION_KINDS,
    Contact,
    Department,
    Interaction,
)
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l
from app.vocab import (
    ATTITUDES,
    BUYING_ROLES,
    INFLUENCE,
    RELATIONSHIP_STRENGTH,
    SENIORITY,
)

REQUIRED = _l("This field is required.")
TEXT_MAX = 8000  # Text columns: the form's limit (the column has none)


def _id_or_none(value):
    """Select values: "" means none; anything else an id (bad input -> -1, refused by choices)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@limits_from(Department)
class DepartmentForm(FlaskForm):
    name = StringField(_l("Department"), filters=[clean_name],
                       validators=[VisibleName(), DataRequired(REQUIRED), Length(max=120)])
    function = SelectField(_l("Function"), choices=DEPARTMENT_FUNCTION_LABELS.choices, default="other")
    parent_id = SelectField(_l("Part of"), coerce=_id_or_none, validate_choice=True)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=TEXT_MAX)])

    FIELDS = ("name", "function", "parent_id", "notes")

    def values(self):
        return {k: getattr(self, k).data for k in self.FIELDS}


class DepartmentEditForm(VersionedForm, DepartmentForm):
    """Editing a department, from the version read."""


@limits_from(Contact)
class QuickContactForm(FlaskForm):
    """The fast in-place add row: the fields a KAM knows while mapping a room."""

    name = StringField(_l("Name"), filters=[clean_name],
                       validators=[VisibleName(), DataRequired(REQUIRED), Length(max=120)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=120)])
    department_id = SelectField(_l("Department"), coerce=_id_or_none, validate_choice=True)
    reports_to_id = SelectField(_l("Reports to"), coerce=_id_or_none, validate_choice=True)
    seniority = SelectField(_l("Seniority"), choices=SENIORITY.choices, default="staff")
    buying_role = SelectField(_l("Buying role"), choices=[("", "—")] + BUYING_ROLES.choices, default="")
    influence = SelectField(_l("Influence"), choices=INFLUENCE.choices, default="medium")
    attitude = SelectField(_l("Attitude"), choices=ATTITUDES.choices, default="neutral")

    FIELDS = ("name", "title", "department_id", "reports_to_id", "seniority", "buying_role",
              "influence", "attitude")

    def values(self):
        return {k: getattr(self, k).data for k in self.FIELDS}


@limits_from(Contact)
class ContactForm(QuickContactForm):
    """Every field of a contact."""

    interests = TextAreaField(_l("Personal interests and working style"), validators=[Optional(), Length(max=TEXT_MAX)])
    vested_interests = TextAreaField(_l("Vested interests our sale may threaten"), validators=[Optional(), Length(max=TEXT_MAX)])
    needs_short = TextAreaField(_l("Short-term needs"), validators=[Optional(), Length(max=TEXT_MAX)])
    needs_long = TextAreaField(_l("Long-term needs"), validators=[Optional(), Length(max=TEXT_MAX)])
    email = StringField(_l("E-mail"), validators=[
        Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=60)])
    version = HiddenField()

    FIELDS = QuickContactForm.FIELDS + ("interests", "vested_interests", "needs_short", "needs_long",
                                        "email", "phone")


@limits_from(Contact)
class LeaveForm(FlaskForm):
    left_on = DateField(_l("Left on"), validators=[Optional()])
    left_to = StringField(_l("Went to"), validators=[Optional(), Length(max=200)])


class ReportsToForm(VersionedForm, FlaskForm):
    """The org chart's "reports to" picker (and what a drag onto a card posts)."""

    reports_to_id = SelectField(_l("Reports to"), coerce=_id_or_none, validate_choice=True)


class PairingForm(FlaskForm):
    """Pair one of ours with a department or a contact: `target` is "d<id>" or "c<id>"."""

    user_id = SelectField(_l("Our person"), coerce=_id_or_none, validate_choice=True,
                          validators=[DataRequired(_l("Choose one of our people."))])
    target = SelectField(_l("Covers"), validate_choice=True,
                         validators=[DataRequired(_l("Choose a department or a contact."))])
    current_level = SelectField(_l("Current level"), choices=RELATIONSHIP_STRENGTH.choices, default="none")
    target_level = SelectField(_l("Target level"), choices=RELATIONSHIP_STRENGTH.choices, default="credible")

    def target_ids(self):
        """(department_id, contact_id) from the target choice."""
        kind, num = self.target.data[:1], int(self.target.data[1:])
        return (num, None) if kind == "d" else (None, num)


class LevelForm(VersionedForm, FlaskForm):
    current_level = SelectField(_l("Current level"), choices=RELATIONSHIP_STRENGTH.choices)
    target_level = SelectField(_l("Target level"), choices=RELATIONSHIP_STRENGTH.choices)


@limits_from(Interaction)
class InteractionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=INTERACTION_KINDS.choices, default="call")
    occurred_on = DateField(_l("Date"), validators=[DataRequired(_l("Give the date of the touch."))])
    contact_ids = SelectMultipleField(_l("With"), coerce=int, validate_choice=True,
                                      validators=[DataRequired(_l("Choose at least one contact."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
