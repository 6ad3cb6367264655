"""The account form."""
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from app.accounts.models import Account
from app.names import VisibleName, clean_name
from app.textlimits import limits_from
from app.translate import lazy_gettext as _l
from app.vocab import CURRENCIES, PROCUREMENT, PURCHASE_PATTERN, TIERS

REQUIRED = _l("This field is required.")
MONEY_RANGE = NumberRange(min=0, max=10**13, message=_l("Enter an amount from 0 to 10,000,000,000,000."))


@limits_from(Account)
class AccountForm(FlaskForm):
    """Create or edit an account."""

    name = StringField(_l("Name"), filters=[clean_name],
                       validators=[VisibleName(), DataRequired(REQUIRED), Length(max=200)])
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=120)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=120)])
    website = URLField(_l("Website"), validators=[
        Optional(), Length(max=255), URL(message=_l("Enter a web address like https://example.com."))])
    procurement_model = SelectField(_l("Procurement"), choices=PROCUREMENT.choices)
    purchase_pattern = SelectField(_l("Purchase pattern"), choices=PURCHASE_PATTERN.choices)
    currency = SelectField(_l("Currency"), choices=CURRENCIES.choices)
    revenue_this_year = DecimalField(_l("Revenue this year"), places=2, default=0,
                                     validators=[Optional(), MONEY_RANGE],
                                     render_kw={"inputmode": "decimal"})
    revenue_last_year = DecimalField(_l("Revenue last year"), places=2, default=0,
                                     validators=[Optional(), MONEY_RANGE],
                                     render_kw={"inputmode": "decimal"})
    margin_pct = DecimalField(_l("Margin"), places=1, validators=[
        Optional(), NumberRange(min=-100, max=100, message=_l("Enter a margin from -100 to 100."))])
    payment_terms = StringField(_l("Payment terms"), validators=[Optional(), Length(max=120)])
    credit_note = TextAreaField(_l("Credit and payment record"), validators=[Optional(), Length(max=4000)])
    tier = SelectField(_l("Tier"), choices=TIERS.choices, default="developing")

    FIELDS = ("name", "industry", "region", "website", "procurement_model", "purchase_pattern",
              "currency", "revenue_this_year", "revenue_last_year", "margin_pct", "payment_terms",
              "credit_note", "tier")  # the relationship stage moves with a reason: app.selection

    def values(self):
        """Cleaned values for the service."""
        data = {f: getattr(self, f).data for f in self.FIELDS if f in self}
        for f in ("name", "industry", "region", "website", "payment_terms", "credit_note"):
            data[f] = (data[f] or "").strip()
        for f in ("revenue_this_year", "revenue_last_year"):
            data[f] = data[f] or 0
        return data


class AccountEditForm(AccountForm):
    """Editing an account: the tier is not here. It moves only with a selection review
    (promote, keep or demote, with the reason), so the portfolio's history stays whole."""

    tier = None
    version = HiddenField()  # guards against overwriting a teammate's save
    FIELDS = tuple(f for f in AccountForm.FIELDS if f != "tier")


class SearchForm(FlaskForm):
    """GET filters of the account list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    tier = SelectField(_l("Tier"), choices=lambda: [("", _l("All tiers"))] + TIERS.choices,
                       validators=[Optional()])
