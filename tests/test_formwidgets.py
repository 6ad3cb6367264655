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
    assert Select.__dict__["render_option"].__func__ is formwidgets.render_option
