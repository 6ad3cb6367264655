"""Templates' labels translated when a template is compiled, once a process and language (issue 22).

`{{ _("Open pipeline") }}` called two context-bound functions per label on every render (Jinja's
`_` alias, then its new-style gettext, each through `Context.call`), a thousand times on a page of
ten account cards. The words of a literal label are known when the template compiles, and the
language is known when the template is looked up; so the app's template environment keeps one
overlay a language (Jinja's `Environment.overlay`: the same loader, globals and filters, a cache
of its own), and each overlay compiles `_("literal")` and `gettext("literal")` into the
translated text itself, static output like the HTML around it.

The semantics are Jinja's new-style gettext, unchanged: the translation is a format string even
without variables (`%%` is one `%`), marked safe where the template autoescapes, and keyword
variables are filled in with `%` on the marked string (so they are escaped). Anything else stays
a runtime call: a label that is not a literal, `ngettext` (its form depends on the count), a
template with `{% autoescape %}` blocks, a literal whose formatting fails. The language is the
one current when the template is looked up, so `force_locale` (mails and PDFs for a recipient)
picks the right overlay, including for every `extends`, `include` and `import` under it.
"""
from flask.templating import Environment
from jinja2 import nodes
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

FOLDED = ("_", "gettext")
CACHE_SIZE = 400  # Jinja's default, per language


class _FoldLabels(NodeTransformer):
    """Replace literal gettext calls by their translation in one catalog."""

    def __init__(self, catalog, autoescape):
        self.catalog = catalog
        self.autoescape = autoescape

    def visit_Call(self, node):
        node = self.generic_visit(node)
        if not (isinstance(node.node, nodes.Name) and node.node.name in FOLDED and node.node.ctx == "load"
                and len(node.args) == 1 and isinstance(node.args[0], nodes.Const)
                and isinstance(node.args[0].value, str) and node.dyn_args is None and node.dyn_kwargs is None):
            return node
        text = self.catalog.ugettext(node.args[0].value)
        lineno = node.lineno
        if node.kwargs:
            base = nodes.MarkSafe(nodes.Const(text, lineno=lineno), lineno=lineno) if self.autoescape \
                else nodes.Const(text, lineno=lineno)
            pairs = [nodes.Pair(nodes.Const(kw.key, lineno=lineno), kw.value, lineno=lineno) for kw in node.kwargs]
            return nodes.Mod(base, nodes.Dict(pairs, lineno=lineno), lineno=lineno)
        try:
            value = (Markup(text) if self.autoescape else text) % {}
        except (KeyError, ValueError, TypeError, IndexError):
            return node  # as at runtime: let it fail there, where it is easier to see
        if self.autoescape:
            return nodes.MarkSafe(nodes.Const(str(value), lineno=lineno), lineno=lineno)
        return nodes.Const(value, lineno=lineno)


class LabelEnvironment(Environment):
    """Flask's template environment with one label-folding overlay per language."""

    def _language_env(self):
        """The overlay for the current language (self when this is one, or without a language)."""
        if self.__dict__.get("fold_language") is not None:
            return self
        from app.translate import current_locale, translations

        try:
            language = str(current_locale())
        except Exception:  # no app context: no language to fold for
            return self
        envs = self.__dict__.setdefault("fold_envs", {})
        env = envs.get(language)
        if env is None:
            env = self.overlay(cache_size=CACHE_SIZE)
            env.fold_language = language
            env.fold_catalog = translations()
            envs[language] = env
        return env

    def get_template(self, name, parent=None, globals=None):
        env = self._language_env()
        return (super() if env is self else env).get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        env = self._language_env()
        return (super() if env is self else env).select_template(names, parent, globals)

    def from_string(self, source, globals=None, template_class=None):
        env = self._language_env()
        return (super() if env is self else env).from_string(source, globals, template_class)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        catalog = self.__dict__.get("fold_catalog")
        if catalog is None or tree.find(nodes.ScopedEvalContextModifier) is not None \
                or tree.find(nodes.EvalContextModifier) is not None:
            return tree
        autoescape = self.autoescape(name) if callable(self.autoescape) else bool(self.autoescape)
        return _FoldLabels(catalog, autoescape).visit(tree)
