"""Plan forms. Each editable form carries the `version` it was read at."""
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.accounts.forms import MONEY_RANGE, REQUIRED
from app.actions.models import ActionItem
from app.plans.models import BusinessSection, Objective, Opportunity, PositionSection, SwotItem
from app.plans.vocab import HORIZONS, OBJECTIVE_STATUS, OPPORTUNITY_STAGES, SWOT
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l
from app.vocab import ACTION_STATUS

TEXT = [Optional(), Length(max=8000, message=_l("Keep it under 8,000 characters."))]
PERCENT = NumberRange(min=0, max=100, message=_l("Enter a percentage from 0 to 100."))


def _money(label):
    """A money field: 0 or more, decimal keyboard on phones."""
    return DecimalField(label, places=2, validators=[Optional(), MONEY_RANGE],
                        render_kw={"inputmode": "decimal"})


def _owner_field(label=None):
    """An owner from the team; choices are set by the view."""
    return SelectField(label or _l("Owner"), coerce=int, validate_choice=True, default=0)


class VersionedForm(FlaskForm):
    """Fields listed in FIELDS go to the service; `version` guards against overwriting."""

    version = HiddenField()
    FIELDS: tuple = ()

    def values(self):
        """Cleaned values for the service."""
        data = {f: getattr(self, f).data for f in self.FIELDS}
        for k, v in data.items():
            if isinstance(getattr(self, k), StringField):  # TextAreaField too; missing -> ""
                data[k] = (v or "").strip()
        if "owner_id" in data:
            data["owner_id"] = data["owner_id"] or None
        return data


@limits_from(BusinessSection)
class BusinessForm(VersionedForm):
    strategy = TextAreaField(_l("Strategy and goals"), validators=TEXT)
    short_term_needs = TextAreaField(_l("Short-term needs"), validators=TEXT)
    long_term_needs = TextAreaField(_l("Long-term needs"), validators=TEXT)
    financial_notes = TextAreaField(_l("Financial notes"), validators=TEXT)
    initiatives = TextAreaField(_l("Current initiatives"), validators=TEXT)
    competitors = TextAreaField(_l("Competitors and their position with the customer"), validators=TEXT)
    industry_position = TextAreaField(_l("Industry position"), validators=TEXT)
    FIELDS = ("strategy", "short_term_needs", "long_term_needs", "financial_notes", "initiatives",
              "competitors", "industry_position")


@limits_from(PositionSection)
class PositionForm(VersionedForm):
    annual_value = _money(_l("Current annual value"))
    category_spend = _money(_l("Their total spend in our category"))
    potential = _money(_l("Potential annual value"))
    narrative = TextAreaField(_l("Our position in a few lines"), validators=TEXT)
    FIELDS = ("annual_value", "category_spend", "potential", "narrative")


@limits_from(SwotItem)
class SwotItemForm(VersionedForm):
    quadrant = SelectField(_l("List"), choices=SWOT.choices)
    text = StringField(_l("Text"), validators=[DataRequired(_l("Write something first.")), Length(max=500)])
    FIELDS = ("text",)


@limits_from(Objective)
class ObjectiveForm(VersionedForm):
    title = StringField(_l("Objective"), validators=[DataRequired(REQUIRED), Length(max=300)])
    horizon = SelectField(_l("Horizon"), choices=HORIZONS.choices)
    owner_id = _owner_field()
    target_date = DateField(_l("Target date"), validators=[Optional()])
    target_value = StringField(_l("Target value"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), choices=OBJECTIVE_STATUS.choices)
    progress = IntegerField(_l("Progress"), default=0, validators=[Optional(), PERCENT])
    FIELDS = ("title", "horizon", "owner_id", "target_date", "target_value", "status", "progress")

    def values(self):
        """Cleaned values for the service."""
        data = super().values()
        data["progress"] = data["progress"] or 0
        return data


@limits_from(ActionItem)
class ActionForm(VersionedForm):
    title = StringField(_l("What"), validators=[DataRequired(_l("Say what is to be done.")), Length(max=300)])
    owner_id = _owner_field()
    due_on = DateField(_l("Due"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=ACTION_STATUS.choices, default="open")
    FIELDS = ("title", "owner_id", "due_on", "status")


@limits_from(Opportunity)
class OpportunityForm(VersionedForm):
    name = StringField(_l("Opportunity"), validators=[DataRequired(REQUIRED), Length(max=200)])
    value = _money(_l("Value"))
    expected_close = DateField(_l("Expected close"), validators=[Optional()])
    probability = IntegerField(_l("Probability"), validators=[Optional(), PERCENT])
    stage = SelectField(_l("Stage"), choices=OPPORTUNITY_STAGES.choices)
    reason = TextAreaField(_l("Why won or lost"), validators=[Optional(), Length(max=2000)])
    FIELDS = ("name", "value", "expected_close", "probability", "stage", "reason")

    def values(self):
        """Cleaned values for the service."""
        from app.plans.vocab import STAGE_PROBABILITY

        data = super().values()
        data["value"] = data["value"] or 0
        if data["probability"] is None:
            data["probability"] = STAGE_PROBABILITY.get(data["stage"], 10)
        if data["stage"] in ("won", "lost"):
            data["probability"] = 100 if data["stage"] == "won" else 0
        return data
