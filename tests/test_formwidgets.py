"""The short option writer gives WTForms' own bytes (app/formwidgets.py)."""
from collections import namedtuple

import pytest
from wtforms.widgets import Select

from app import formwidgets

Choice = namedtuple("Choice", "value label selected render_kw")


@pytest.mark.parametrize("choice", [
    Choice(3, "王伟", False, None), Choice(3, "王伟", True, None), Choice("", "— none —", False, None),
    Choice('a"b<c>&', 'x"y<z>&', True, None), Choice(True, "yes", False, None), Choice(False, "", True, None),
    Choice(None, None, False, None), Choice("7", "", False, None), Choice(1, "x", False, {"disabled": True}),
])
def test_same_bytes_as_wtforms(choice):
    ours = Select.render_option(choice)
    theirs = formwidgets._wtforms_render_option(Select, choice)
    assert ours == theirs and type(ours) is type(theirs)


def test_installed_for_the_app(app):
    from wtforms.widgets import HiddenInput

    assert Select.__dict__["render_option"].__func__ is formwidgets.render_option
    assert HiddenInput.__call__ is formwidgets.hidden_input


def test_a_hidden_input_gives_wtforms_bytes(app):
    """Plain hidden fields (the CSRF token, a version) take the short path; anything it does
    not write (keyword arguments, a flag) still goes through WTForms, with the same bytes."""
    from flask_wtf import FlaskForm
    from markupsafe import Markup
    from wtforms import HiddenField

    class F(FlaskForm):
        version = HiddenField()
        odd = HiddenField(id='i"d<')

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.test_request_context():
            form = F(formdata=None, version=7, odd=Markup('a"b<c>&amp;'))
            form.version.flags.disabled = None
            fields = [form.csrf_token, form.version, form.odd]
            for f in fields:
                ours, theirs = f(), formwidgets._wtforms_input_call(f.widget, f)
                assert ours == theirs and type(ours) is type(theirs)
                assert f(data_x="1") == formwidgets._wtforms_input_call(f.widget, f, data_x="1")
            form.version.flags.disabled = True
            assert form.version() == formwidgets._wtforms_input_call(form.version.widget, form.version)
            assert "disabled" in form.version()
            assert form.hidden_tag().count("<input") == 3
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
