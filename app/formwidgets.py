"""A select's options written in one step (issue 22).

WTForms writes each `<option>` through `html_params`: a dict, a sort, and a `Markup.format` per
attribute. The add-a-person select of a team (every user of the workspace) made that a fifth of
the account overview. An option with no attributes of its own is written here directly, the same
bytes as WTForms writes (`selected` before `value`, as its sorted attributes put them); any other
option still goes through WTForms.
"""
from markupsafe import Markup, escape
from wtforms.widgets import Select

_wtforms_render_option = Select.__dict__["render_option"].__func__


def render_option(cls, choice, **kwargs):
    """WTForms' `Select.render_option`, without its per-attribute work for a plain option."""
    if kwargs or choice.render_kw:
        return _wtforms_render_option(cls, choice, **kwargs)
    value = choice.value
    if isinstance(value, bool):
        value = str(value)
    label = escape(choice.label or choice.value)
    if choice.selected:
        return Markup(f'<option selected value="{escape(value)}">{label}</option>')
    return Markup(f'<option value="{escape(value)}">{label}</option>')


def install():
    """Use the short path for every Select (and Option) widget of the process; idempotent."""
    Select.render_option = classmethod(render_option)
