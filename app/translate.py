"""Translations looked up once a request and locale, not once a label (issue 22).

Flask-Babel resolves the domain, its context namespace, the locale and the catalog cache on
every `gettext` (a dozen context-local lookups); a page that shows a tier, a status and a date
in each of 200 rows did that thousands of times. Here the request's translations object is
kept on Flask-Babel's own per-request namespace beside the locale it is for, so a label costs
one context lookup and a dict lookup. `force_locale` and `refresh` replace the namespace's
locale object, so the remembered catalog is used only while its locale is the current one.

`RequestDomain` makes Flask-Babel's own `gettext`, `lazy_gettext` and the vocabularies' lazy
labels take the same path; `install_jinja` gives templates the short path.
"""
from functools import lru_cache

from flask.globals import _cv_app
from flask_babel import Babel, Domain, get_locale, get_timezone, get_translations
from flask_babel.speaklater import LazyString

_MEMO = "kam_translations"


def _namespace():
    """Flask-Babel's per-request namespace, or None outside a context or before its first use."""
    ctx = _cv_app.get(None)  # the app context itself: not `g`'s proxy, asked on every label and date
    return ctx.g.__dict__.get("_flask_babel") if ctx is not None else None


class RequestDomain(Domain):
    """The default domain, remembering the request's translations for its locale."""

    def get_translations(self):
        """The catalog of the current locale: Flask-Babel's lookup once a request and locale."""
        ns = _namespace()
        if ns is not None:
            memo = ns.__dict__.get(_MEMO)
            loc = ns.__dict__.get("babel_locale")
            if memo is not None and loc is not None and memo[0] is loc and memo[2] is self:
                return memo[1]
        found = super().get_translations()
        ns = _namespace()
        if ns is not None:
            setattr(ns, _MEMO, (ns.__dict__.get("babel_locale"), found, self))
        return found


class RequestBabel(Babel):
    """Flask-Babel whose default domain is a RequestDomain."""

    @property
    def domain_instance(self):
        """One RequestDomain for every app (Flask-Babel's catalog cache is per domain, too)."""
        inst = self.__dict__.get("_request_domain")
        if inst is None:
            inst = self.__dict__["_request_domain"] = RequestDomain(domain=self.domain)
        return inst


def translations():
    """The current catalog, by the short path when this request has looked it up already."""
    ns = _namespace()
    if ns is not None:
        memo = ns.__dict__.get(_MEMO)
        loc = ns.__dict__.get("babel_locale")
        if memo is not None and loc is not None and memo[0] is loc:
            return memo[1]
    return get_translations()


def current_locale():
    """Flask-Babel's `get_locale()`, by the short path once the request has one."""
    ns = _namespace()
    loc = ns.__dict__.get("babel_locale") if ns is not None else None
    return loc if loc is not None else get_locale()


def current_timezone():
    """Flask-Babel's `get_timezone()`, by the short path once the request has one."""
    ns = _namespace()
    tz = ns.__dict__.get("babel_tzinfo") if ns is not None else None
    return tz if tz is not None else get_timezone()


def gettext(string, **variables):
    """Translate `string` in the current locale and fill in `variables`."""
    s = translations().ugettext(string)
    return s % variables if variables else s


def ngettext(singular, plural, num, **variables):
    """The plural form for `num`; `%(num)d` is available in the string, as in Flask-Babel."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string, **variables):
    """A string translated when shown, by the short path."""
    return LazyString(gettext, string, **variables)


def install_jinja(app):
    """Templates' `_`, `gettext`, `ngettext` by the short path (Flask-Babel installs the long one)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


@lru_cache(maxsize=8)
def _wtforms_catalog(locale):
    """WTForms' own messages ("This field is required.") for a locale, read once a process."""
    from babel import support
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """What Flask-WTF looks for on the request: WTForms' catalog for the request's locale.

    Flask-WTF parses WTForms' .mo file on every request that builds a form; this answers from
    the process's copy, in whatever locale is current when a message is shown."""

    def ugettext(self, string):
        return _wtforms_catalog(str(current_locale())).ugettext(string)

    def ungettext(self, singular, plural, n):
        return _wtforms_catalog(str(current_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = _WTFormsMessages()


def init_app(app):
    """Templates' gettext by the short path, and Flask-WTF's messages from the process's copy."""
    from flask import request

    install_jinja(app)

    @app.before_request
    def _wtforms_messages():
        request.wtforms_translations = WTFORMS_MESSAGES
