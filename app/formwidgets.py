"""A select's options written in one step (issue 22).

WTForms writes each `<option>` through `html_params`: a dict, a sort, and a `Markup.format` per
attribute. The add-a-person select of a team (every user of the workspace) made that a fifth of
the account overview. An option with no attributes of its own is written here directly, the same
bytes as WTForms writes (`selected` before `value`, as its sorted attributes put them); any other
option still goes through WTForms.

A hidden input (a form's CSRF token, a row form's version) goes the same way: the coverage and
team lists write one a row form, 45 µs each through `html_params`.
"""
from markupsafe import Markup, escape
from wtforms.widgets import HiddenInput, Select

_wtforms_render_option = Select.__dict__["render_option"].__func__
_wtforms_input_call = HiddenInput.__call__
_QUOTE, _QUOTE_ENTITY = Markup('"'), Markup("&quot;")


def _attr(value):
    """An attribute value as WTForms' `html_params` writes it."""
    return escape(value).replace(_QUOTE, _QUOTE_ENTITY)


def hidden_input(self, field, **kwargs):
    """WTForms' `HiddenInput.__call__`, without its per-attribute work for a plain hidden field
    (no keyword arguments, no datalist, no flag it would write)."""
    flags = getattr(field, "flags", None)
    set_flags = vars(flags) if flags is not None else {}  # the flags WTForms' dir() would find
    if kwargs or getattr(field, "_datalist", None) is not None or any(k in set_flags for k in self.validation_attrs):
        return _wtforms_input_call(self, field, **kwargs)
    return Markup(f'<input id="{_attr(field.id)}" name="{_attr(field.name)}" type="{_attr(self.input_type)}" '
                  f'value="{_attr(field._value())}">')


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
    """Use the short paths for every Select (and Option) and HiddenInput widget of the process;
    idempotent."""
    Select.render_option = classmethod(render_option)
    HiddenInput.__call__ = hidden_input
