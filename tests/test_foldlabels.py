"""Labels folded into templates at compile time (app/foldlabels.py) mean what Jinja's gettext means."""
from flask import render_template_string
from flask_babel import force_locale
from markupsafe import Markup

from app.foldlabels import LabelEnvironment


def render(app, source, lang, **ctx):
    with app.test_request_context("/"), force_locale(lang):
        return render_template_string(source, **ctx)


def test_a_literal_label_is_the_translation_in_each_language(app):
    src = '<b>{{ _("Accounts") }}</b>'
    assert render(app, src, "en") == "<b>Accounts</b>"
    assert render(app, src, "zh") == "<b>客户</b>"
    assert render(app, src, "en") == "<b>Accounts</b>"  # each language its own compiled copy


def test_the_label_is_compiled_in_not_called(app):
    with app.test_request_context("/"), force_locale("zh"):
        env = app.jinja_env._language_env()
        code = env.compile('{{ _("Accounts") }}', raw=True)
    assert isinstance(app.jinja_env, LabelEnvironment)
    assert "客户" in code and "_gettext_alias" not in code and "'Accounts'" not in code


def test_variables_are_filled_in_and_escaped(app):
    src = '{{ _("Welcome, %(name)s", name=who) }}'
    out = render(app, src, "en", who="<script>x</script>")
    assert "<script>" not in out and "&lt;script&gt;" in out and out.startswith("Welcome, ")


def test_percent_signs_and_markup_as_in_new_style_gettext(app):
    assert render(app, '{{ _("100%% done") }}', "en") == "100% done"
    assert render(app, '{% set x = _("A & B") %}{{ x }}', "en") == "A & B"  # marked safe, as Jinja's


def test_labels_that_are_not_literals_still_translate_at_render(app):
    assert render(app, "{{ _(word) }}", "zh", word="Accounts") == "客户"
    assert render(app, '{{ ngettext("%(num)d open", "%(num)d open", n) }}', "en", n=3) == "3 open"


def test_autoescape_blocks_are_left_to_runtime(app):
    src = '{% autoescape false %}{{ _("Welcome, %(name)s", name=who) }}{% endautoescape %}'
    assert render(app, src, "en", who="<i>") == "Welcome, <i>"


def test_included_and_extended_templates_follow_the_language(app):
    with app.test_request_context("/"):
        with force_locale("zh"):
            zh = app.jinja_env.get_template("base.html")
        with force_locale("en"):
            en = app.jinja_env.get_template("base.html")
    assert zh is not en and zh.environment is not en.environment
    assert isinstance(Markup("x"), str)
