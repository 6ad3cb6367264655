"""Text field limits come from the columns they are stored in: one place, no drift.

`@limits_from(Account)` on a form gives every text field named like a `String(n)` column of
the model a `ColumnLength(n)` (a field stored in a Text column keeps the form's own Length, in
the same form): an over-long value is a field error that states the limit and
keeps what was typed (never a database error, never cut). The limit is rendered as
`data-maxlength`, not `maxlength`: a browser silently truncates a paste into a `maxlength`
field, while app.js shows a live counter for `data-maxlength` (and turns any `maxlength` a
template writes by hand into one) and the server says what is too long.
"""
from sqlalchemy import String
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import Length, StopValidation

from app.translate import lazy_gettext as _l

TOO_LONG = _l("At most %(max)d characters; this has %(length)d. Nothing was cut: shorten it and save again.")


class ColumnLength(Length):
    """Length(max=the column's length) with a message that states the limit; no `maxlength`."""

    def __init__(self, max, message=None):
        super().__init__(max=max, message=message)
        self.field_flags = {}  # no maxlength attribute: the browser would truncate pastes silently

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.max:
            raise StopValidation(str(self.message or TOO_LONG) % {"max": self.max, "length": length})


def column_lengths(*models):
    """{attribute name: length} of the String(n) columns of `models` (the first model wins)."""
    out = {}
    for model in models:  # the table, not the mapper: forms are imported before mappers configure
        for col in model.__table__.columns:
            if isinstance(col.type, String) and col.type.length and col.key not in out:
                out[col.key] = col.type.length
    return out


def is_text_field(unbound):
    """A field a person types text into (not hidden, not a password)."""
    cls = unbound.field_class
    return (isinstance(cls, type) and issubclass(cls, StringField | TextAreaField)
            and not issubclass(cls, HiddenField | PasswordField))


def limits_from(*models, **renamed):
    """Class decorator: the form's text fields get their column's length (`renamed`: form field
    name -> model attribute, where they differ). Hand-written Length(max=...) validators on those
    fields are replaced, so the form can never allow more than the column holds."""
    def decorate(form_cls):
        lengths = column_lengths(*models)
        for name in dir(form_cls):
            unbound = getattr(form_cls, name, None)
            if not hasattr(unbound, "field_class") or not is_text_field(unbound):
                continue
            validators = unbound.kwargs.get("validators") or []
            hand = [v.max for v in validators if isinstance(v, Length) and v.max != -1]
            # A String(n) column's length wins; a Text column keeps the form's own limit.
            limit = lengths.get(renamed.get(name, name)) or (min(hand) if hand else None)
            if limit is None:
                continue
            validators = [v for v in validators if not (isinstance(v, Length) and v.max != -1)]
            unbound.kwargs["validators"] = [*validators, ColumnLength(limit)]
            unbound.kwargs["render_kw"] = {**(unbound.kwargs.get("render_kw") or {}), "data-maxlength": limit}
        form_cls.column_models = models
        return form_cls
    return decorate
