"""Optimistic locking: an edit based on an old version is refused, nothing is lost.

Models opt in with a `version` column named as SQLAlchemy's `version_id_col`, so
even two saves racing inside the same second cannot both win. Forms carry the
version they were read at; `check_version` compares it before the change.
"""
import inspect
from contextlib import contextmanager
from functools import wraps

from sqlalchemy.orm import Mapped, declared_attr, joinedload, mapped_column
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from app.extensions import db


class Versioned:
    """Model mixin: a `version` column SQLAlchemy bumps on every UPDATE and checks in its WHERE.

    `class Department(Versioned, db.Model)`; the migration adds `version INTEGER NOT NULL
    DEFAULT 1`. Every object a person edits in a form carries one (see the walk in
    tests/hardening/test_edit_forms.py).
    """

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


class VersionField(HiddenField):
    """The hidden version: only ever what the page sent, never filled from `obj=`, so a post
    without it cannot pass for the current version (it is refused as stale)."""

    def process_data(self, value):
        self.data = None


class VersionedForm:
    """Form mixin: the hidden `version` the form was read at.

    `class ProfileForm(VersionedForm, FlaskForm)`; on GET call `form.read_version(obj)`, pass
    `form.version.data` to the service's `check_version`, and on StaleEdit answer 409 with
    `theirs(form, obj)` beside the kept input (`conflict_notice` in macros/forms.html).
    """

    version = VersionField()

    def read_version(self, obj):
        """Carry `obj`'s current version (a GET, or after a 409: saving again overwrites knowingly)."""
        self.version.data = obj.version if obj is not None else 0
        return self


class RowConflict:
    """A 409 on one row of an in-place list (team roles, pairing levels, criteria): the row `id`,
    the person's `form` (kept, at the new version) and `theirs` for the notice."""

    def __init__(self, stale, row_id, form, fields):
        self.stale, self.id, self.form, self.theirs = stale, row_id, form, fields
        self.last_event = stale.last_event

    def value(self, row, name):
        """What the row's control shows: the person's kept choice on the conflicting row."""
        if row.id == self.id and name in self.form:
            return self.form[name].data
        return getattr(row, name)

    def version(self, row):
        return self.form.version.data if row.id == self.id else row.version


def theirs(form, obj, names=None):
    """[(label, their value as shown)] for the fields whose stored value differs from the input.

    Choice fields show their choice's label; `names` defaults to `form.FIELDS`, else every
    field the object has an attribute for.
    """
    if names is None:
        names = getattr(form, "FIELDS", None) or [
            f.short_name for f in form
            if f.short_name not in ("csrf_token", "version") and hasattr(obj, f.short_name)]
    out = []
    for name in names:
        field = form[name] if name in form else None
        if field is None or not hasattr(obj, name):
            continue
        cur = getattr(obj, name)
        shown = lambda v: "" if v is None else str(v)  # noqa: E731
        if shown(cur) == shown(field.data) or (isinstance(cur, bool) and cur == bool(field.data)):
            continue
        choices = getattr(field, "choices", None) or []
        label = {str(c[0]): c[1] for c in choices if isinstance(c, tuple | list) and len(c) >= 2}
        out.append((field.label.text, label.get(str(cur), shown(cur))))
    return out


class StaleEdit(Exception):
    """Somebody saved this object since the form was loaded."""

    def __init__(self, obj, last_event=None):
        super().__init__("stale edit")
        self.obj = obj
        self.last_event = last_event


def last_change(obj):
    """The newest audit event of an object (who saved it last, when)."""

    from app.audit.models import AuditEvent

    return db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()).limit(1)
    )


def check_version(obj, submitted):
    """Raise StaleEdit unless `submitted` (from the form) is the object's version."""
    try:
        submitted = int(submitted)
    except (TypeError, ValueError):
        submitted = -1
    if submitted != obj.version:
        raise StaleEdit(obj, last_change(obj))


@contextmanager
def stale_guard(obj):
    """Inside, a racing save turns into StaleEdit wherever it is detected.

    Another worker's commit shows up as StaleDataError at the first flush of our change: the
    commit, or an autoflush before any query the service runs after changing `obj` (reading an
    expired attribute, touching related rows). Either way it must answer 409, not 500.
    """
    try:
        yield
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(obj)
        raise StaleEdit(obj, last_change(obj)) from None


def commit_versioned(obj):
    """Commit; a concurrent save that got in first turns into StaleEdit."""
    with stale_guard(obj):
        db.session.commit()


def guarded(obj_arg):
    """Decorate a service saving a versioned object (its parameter `obj_arg`) so that a race
    detected anywhere inside it, not only at commit_versioned, raises StaleEdit."""
    def decorate(service):
        sig = inspect.signature(service)

        @wraps(service)
        def wrapper(*args, **kwargs):
            obj = sig.bind_partial(*args, **kwargs).arguments[obj_arg]
            with stale_guard(obj):
                return service(*args, **kwargs)
        return wrapper
    return decorate


def save_form(form, obj, save, refusals=()):
    """Run `save()` for a validated form carrying `obj`'s version: (saved, conflict, error).

    On StaleEdit the form moves to the current version, so saving again overwrites knowingly;
    an exception in `refusals` (a service's "cannot do that") becomes its message.
    """
    try:
        save()
    except StaleEdit as e:
        form.version.data = obj.version
        return False, e, None
    except refusals as e:
        return False, None, str(e)
    return True, None, None


@contextmanager
def refuse_duplicates(make_error):
    """Inside, a unique index refusing a row raises `make_error()` (a message for the person).

    The services check for a duplicate first, for the common case; two requests racing past
    that check at once are stopped by the database, and the loser is told the same thing.
    """
    from sqlalchemy.exc import IntegrityError

    try:
        yield
    except IntegrityError:
        db.session.rollback()
        raise make_error() from None
