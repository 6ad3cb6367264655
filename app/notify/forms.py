"""Notification choices and chat-bot targets."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.concurrency import VersionedForm
from app.notify.kinds import CHANNEL_CHOICES, KINDS
from app.notify.models import WebhookTarget
from app.notify.webhooks import PLATFORMS
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l


class EmptyForm(FlaskForm):
    """A one-button POST that still carries a CSRF token."""


def _channel_field(kind):
    return SelectField(KINDS[kind], choices=CHANNEL_CHOICES, default="both")


class PreferencesForm(VersionedForm, FlaskForm):
    """Per kind of event: in the app, by e-mail, both or neither; the weekly digest on or off."""

    sla_warning = _channel_field("sla_warning")
    sla_breach = _channel_field("sla_breach")
    cadence_due = _channel_field("cadence_due")
    action_due = _channel_field("action_due")
    webhook_paused = _channel_field("webhook_paused")
    digest = BooleanField(_l("Send me the weekly digest on Monday morning"))

    def choices(self):
        return {k: getattr(self, k).data for k in KINDS}


def _at_least_one(form, field):
    if not field.data:
        raise ValidationError(_l("Choose at least one event."))


HOOK_EVENTS = [(k, KINDS[k]) for k in ("sla_warning", "sla_breach", "cadence_due", "action_due")]


@limits_from(WebhookTarget)
class WebhookForm(FlaskForm):
    """A chat bot: its platform, address, secret (DingTalk, Feishu) and the events it hears."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the bot a name.")), Length(max=120)])
    platform = SelectField(_l("Platform"), choices=list(PLATFORMS.items()), default="wecom")
    url = StringField(_l("Webhook address"), validators=[DataRequired(_l("Paste the bot's webhook address.")),
                                                         Length(max=1000)])
    secret = PasswordField(_l("Signing secret"), validators=[Optional(), Length(max=200)])
    # Checkboxes: no `required` flag, or the browser would demand every box ticked.
    events = SelectMultipleField(_l("Events it hears"), choices=HOOK_EVENTS, validators=[_at_least_one],
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    language = SelectField(_l("Language of the messages"), choices=[("zh", "中文"), ("en", "English")], default="zh")
    account_id = SelectField(_l("Account"), coerce=int, default=0, validate_choice=True)


class WebhookEditForm(VersionedForm, FlaskForm):
    """Switch a bot on or off and change what it hears (at the version the row was read at)."""

    events = SelectMultipleField(_l("Events it hears"), choices=HOOK_EVENTS,
                                 validators=[DataRequired(_l("Choose at least one event."))])
    active = BooleanField(_l("On"))
