"""Selection forms: criterion, score cell, decision, stage change, review setting, filters."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.concurrency import VersionedForm
from app.selection.models import DECISIONS, Criterion, Score, SelectionDecision, StageChange
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l
from app.vocab import STAGES, TIERS

REQUIRED = _l("This field is required.")
SCORE_MESSAGE = _l("Enter a whole number from 1 to 10.")


class WholeNumberField(IntegerField):
    """An IntegerField whose bad input ("abc", "7.5") fails with the field's own range message.

    The typed text stays in the input (IntegerField renders raw_data), so nothing is lost.
    """

    def process_formdata(self, valuelist):
        try:
            self.data = int(valuelist[0].strip()) if valuelist and valuelist[0].strip() else None
        except ValueError:
            self.data = None


@limits_from(Criterion)
class CriterionForm(FlaskForm):
    """Add or edit a criterion: names and descriptions in both languages, weight, active."""

    name_en = StringField(_l("Name (English)"), validators=[DataRequired(REQUIRED), Length(max=120)])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(REQUIRED), Length(max=120)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=500)])
    description_zh = TextAreaField(_l("Description (Chinese)"), validators=[Optional(), Length(max=500)])
    weight = WholeNumberField(_l("Weight"), default=10, validators=[
        InputRequired(_l("Enter a weight from 0 to 100.")),
        NumberRange(min=0, max=100, message=_l("Enter a weight from 0 to 100."))],
        render_kw={"inputmode": "numeric"})
    active = BooleanField(_l("Active"))

    FIELDS = ("name_en", "name_zh", "description_en", "description_zh", "weight", "active")

    def values(self):
        data = {f: getattr(self, f).data for f in self.FIELDS}
        for f in ("name_en", "name_zh", "description_en", "description_zh"):
            data[f] = (data[f] or "").strip()
        data["active"] = bool(data["active"])
        return data


class CriterionEditForm(VersionedForm, CriterionForm):
    """Edit a criterion, from the version the admin read."""


class WeightForm(VersionedForm, FlaskForm):
    """The quick weight / active controls of one criterion row (saved on change)."""

    weight = WholeNumberField(_l("Weight"), validators=[
        InputRequired(_l("Enter a weight from 0 to 100.")),
        NumberRange(min=0, max=100, message=_l("Enter a weight from 0 to 100."))])
    active = BooleanField(_l("Active"))


class SettingsForm(VersionedForm, FlaskForm):
    review_due_days = WholeNumberField(_l("Review due after (days)"), validators=[
        InputRequired(_l("Enter a number of days from 7 to 730.")),
        NumberRange(min=7, max=730, message=_l("Enter a number of days from 7 to 730."))])


@limits_from(Score)
class ScoreForm(FlaskForm):
    """One cell of the matrix: a score 1-10 and an optional note."""

    value = WholeNumberField(_l("Score"), validators=[
        InputRequired(SCORE_MESSAGE), NumberRange(min=1, max=10, message=SCORE_MESSAGE)],
        render_kw={"inputmode": "numeric", "min": 1, "max": 10, "autocomplete": "off"})
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    version = HiddenField()



@limits_from(SelectionDecision)
class DecisionForm(FlaskForm):
    """A selection review: promote, keep or demote, the tier after, and why."""

    decision = SelectField(_l("Decision"), choices=DECISIONS.choices, default="keep")
    tier_after = SelectField(_l("Tier after"), choices=TIERS.choices)
    rationale = TextAreaField(_l("Rationale"), validators=[
        DataRequired(_l("Give the reason for the decision.")), Length(max=4000)])
    tier_before = HiddenField()


@limits_from(StageChange)
class StageForm(FlaskForm):
    """Move the relationship stage, with the reason."""

    stage_after = SelectField(_l("New stage"), choices=STAGES.choices)
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason for the change.")), Length(max=4000)])
    stage_before = HiddenField()


class PortfolioFilterForm(FlaskForm):
    """GET filters of the portfolio (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    tier = SelectField(_l("Tier"), choices=lambda: [("", _l("All tiers"))] + TIERS.choices,
                       validators=[Optional()])
    sort = SelectField(_l("Order"), choices=[("", _l("By weighted score")), ("health", _l("By health, weakest first"))],
                       validators=[Optional()])
