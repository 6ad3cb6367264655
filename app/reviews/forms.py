"""Review forms: the commentary, next quarter's priorities (actions), finalising, and the quarter export."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.actions.models import ActionItem
from app.reviews import quarters
from app.reviews.models import ReviewNote
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l
from app.vocab import TIERS

PAPER_CHOICES = [("a4", "A4"), ("letter", _l("Letter"))]
LANG_CHOICES = [("", _l("My language")), ("en", "English"), ("zh", "中文")]


@limits_from(ReviewNote)
class CommentaryForm(FlaskForm):
    """The KAM's account of the quarter; `version` guards against overwriting a teammate."""

    commentary = TextAreaField(_l("The quarter in the KAM's words"), validators=[
        Optional(), Length(max=5000, message=_l("Keep the commentary under 5000 characters."))],
        render_kw={"rows": 6})
    quarter = HiddenField()
    version = HiddenField()


class ChoosePrioritiesForm(FlaskForm):
    """Open actions of the plan chosen as next quarter's priorities (choices set by the view)."""

    action_ids = SelectMultipleField(_l("Choose from the plan's open actions"), coerce=int,
                                     validators=[DataRequired(_l("Choose at least one action."))])
    quarter = HiddenField()


@limits_from(ActionItem)
class NewPriorityForm(FlaskForm):
    """A new action of the plan, a priority from the start: what, who, by when, for which objective."""

    title = StringField(_l("What"), validators=[DataRequired(_l("Say what is to be done.")), Length(max=300)])
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=True,
                           validators=[DataRequired(_l("Choose who owns it."))])
    due_on = DateField(_l("Due"), validators=[DataRequired(_l("Give a due date (for example 2027-03-31)."))])
    objective_id = SelectField(_l("For the objective"), coerce=int, validate_choice=True, default=0)
    quarter = HiddenField()


class FinaliseForm(FlaskForm):
    """Freeze the review of a quarter in one paper size and language."""

    quarter = HiddenField()
    paper = SelectField(_l("Paper"), choices=PAPER_CHOICES, default="a4", validate_choice=False)
    lang = SelectField(_l("Language"), choices=LANG_CHOICES, default="", validate_choice=False)
    early = BooleanField(_l("Finalise before the quarter ends: what happens in its last days stays out"))


class ExportForm(FlaskForm):
    """Which accounts, which quarter, which paper."""

    quarter = SelectField(_l("Quarter"))
    scope = SelectField(_l("Accounts"))
    paper = SelectField(_l("Paper"), choices=PAPER_CHOICES)
    lang = SelectField(_l("Language"), choices=LANG_CHOICES, default="", validate_choice=False)

    def __init__(self, *args, **kwargs):
        """Quarters: the recent ones; scope: my accounts or one tier."""
        super().__init__(*args, **kwargs)
        self.quarter.choices = [(q, q) for q in quarters.recent(8)]
        self.scope.choices = [("mine", _l("All my accounts"))] + [
            (v, _l("Tier: %(tier)s", tier=label)) for v, label in TIERS.choices]
