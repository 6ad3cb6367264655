"""Log-in, password and user-admin forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.models import User
from app.concurrency import VersionedForm
from app.names import VisibleName, clean_name
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l
from app.vocab import LANGUAGES, SENIORITY

REQUIRED = _l("This field is required.")


class EmptyForm(FlaskForm):
    """A one-button POST that still carries a CSRF token."""


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(REQUIRED), Length(min=8, max=200, message=_l("Use 8 to 200 characters."))])
    confirm = PasswordField(_l("Repeat new password"), validators=[
        DataRequired(REQUIRED), EqualTo("new", message=_l("The two new passwords differ."))])


def language_choices():
    return [("", _l("Browser's language"))] + LANGUAGES.choices


@limits_from(User)
class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(REQUIRED), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])
    name = StringField(_l("Name"), filters=[clean_name],
                       validators=[VisibleName(), DataRequired(REQUIRED), Length(max=120)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=120)])
    seniority = SelectField(_l("Seniority"), choices=SENIORITY.choices)
    language = SelectField(_l("Language"), choices=language_choices)
    is_admin = BooleanField(_l("Admin"))

    FIELDS = ("email", "name", "title", "seniority", "language", "is_admin")


class UserEditForm(VersionedForm, UserForm):
    """An admin's edit of a user, from the version read (the /me page's form can do the same)."""


class NewUserForm(UserForm):
    password = PasswordField(_l("Initial password"), validators=[
        DataRequired(REQUIRED), Length(min=8, max=200, message=_l("Use 8 to 200 characters."))])
