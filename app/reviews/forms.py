"""Review forms: next quarter's priorities, finalising, and the quarter export."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from app.reviews import quarters
from app.reviews.models import ReviewNote
from app.textlimits import limits_from
from app.vocab import TIERS

PAPER_CHOICES = [("a4", "A4"), ("letter", _l("Letter"))]
LANG_CHOICES = [("", _l("My language")), ("en", "English"), ("zh", "中文")]


@limits_from(ReviewNote)
class PrioritiesForm(FlaskForm):
    """What the KAM commits to next quarter; `version` guards against overwriting a teammate."""

    priorities = TextAreaField(_l("Next quarter's priorities"), validators=[
        Optional(), Length(max=5000, message=_l("Keep the priorities under 5000 characters."))],
        render_kw={"rows": 6})
    commentary = TextAreaField(_l("The quarter in the KAM's words"), validators=[
        Optional(), Length(max=5000, message=_l("Keep the commentary under 5000 characters."))],
        render_kw={"rows": 6})
    quarter = HiddenField()
    version = HiddenField()


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
