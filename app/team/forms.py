"""Team membership forms."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, Optional

from app.concurrency import VersionedForm
from app.translate import lazy_gettext as _l
from app.vocab import FUNCTIONS, TEAM_ROLES


class MemberForm(FlaskForm):
    """Add somebody to the team; `user_id` choices are set by the view."""

    user_id = SelectField(_l("Person"), coerce=int, validate_choice=True, id="member-user",
                          validators=[DataRequired(_l("Choose a person."))])
    role = SelectField(_l("Team role"), choices=TEAM_ROLES.choices, default="member")
    function = SelectField(_l("Function"), choices=FUNCTIONS.choices, default="sales")
    joined_on = DateField(_l("Joined"), validators=[Optional()])


class RoleForm(VersionedForm, FlaskForm):
    role = SelectField(_l("Team role"), choices=TEAM_ROLES.choices)
    function = SelectField(_l("Function"), choices=FUNCTIONS.choices)
