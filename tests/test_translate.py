"""The short translation path (app/translate.py) follows the locale as Flask-Babel does."""
from flask import render_template_string
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext

from app import vocab
from app.templating import money
from app.translate import gettext


def test_remembered_catalog_follows_force_locale(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Strategic") == "Strategic"
        assert str(vocab.TIERS.label("strategic")) == "Strategic"
        with force_locale("zh"):
            assert gettext("Strategic") == "战略"
            assert babel_gettext("Strategic") == "战略"
            assert str(vocab.TIERS.label("strategic")) == "战略"
            assert render_template_string("{{ _('Strategic') }}") == "战略"
        assert gettext("Strategic") == "Strategic"
        assert render_template_string("{{ _('Strategic') }} {{ vocab.TIERS.label('strategic') }}") == \
            "Strategic Strategic"


def test_each_request_its_own_locale(app):
    # Each request in an app context (and `g`) of its own, as under a server.
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert render_template_string("{{ _('Strategic') }}") == "战略"
        zh_money = money(1234567)
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('Strategic') }}") == "Strategic"
        assert money(1234567) == "CN¥1,234,567"
    assert "1,234,567" in zh_money


def test_placeholders_are_filled_and_escaped(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        out = render_template_string("{{ _('Hello %(name)s', name=n) }}", n="<b>")
        assert out == "Hello &lt;b&gt;"


def test_wtforms_messages_in_the_request_language(app):
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class F(FlaskForm):
        class Meta:
            csrf = False

        name = StringField(validators=[DataRequired()])

    with app.app_context(), app.test_request_context("/", method="POST", data={},
                                                     headers={"Accept-Language": "zh"}):
        form = F()
        assert not form.validate()
        zh = form.name.errors[0]
    with app.app_context(), app.test_request_context("/", method="POST", data={},
                                                     headers={"Accept-Language": "en"}):
        form = F()
        form.validate()
        assert form.name.errors[0] == "This field is required."
    assert zh != "This field is required." and "必" in zh
