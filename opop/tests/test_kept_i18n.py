"""`{% load i18n %}` is Django's library, its written strings translated once per language (kept_i18n)."""

import pytest
from django.template import engines
from django.utils import translation

from opop.templatetags.kept_i18n import KeptTranslateNode


def _template(source):
    return engines["django"].from_string("{% load i18n %}" + source)


def _nodes(template, kind):
    return list(template.template.nodelist.get_nodes_by_type(kind))


def test_a_written_string_is_translated_per_language_and_kept(monkeypatch):
    template = _template('{% translate "Log out" %}|{% trans "Log in" as label %}[{{ label }}]')
    assert len(_nodes(template, KeptTranslateNode)) == 2
    with translation.override("id"):
        indonesian = template.render({})
        expected = f"{translation.gettext('Log out')}|[{translation.gettext('Log in')}]"
    with translation.override("en"):
        english = template.render({})
    assert english == "Log out|[Log in]"
    assert indonesian == expected and indonesian != english
    from django.utils.translation import trans_real

    monkeypatch.setattr(trans_real, "gettext", lambda message: pytest.fail(f"translated again: {message}"))
    with translation.override("en"):
        assert template.render({}) == english  # kept: no second translation


@pytest.mark.parametrize(
    "source",
    [
        '{% translate "Log out" %}',
        '{% translate "<b>&</b>" %}|{% autoescape off %}{% translate "<b>&</b>" %}{% endautoescape %}',
        '{% translate "50%% off" %}|{% translate "Cart" as c %}{{ c|upper }}',
    ],
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_kept_text_is_the_text_djangos_tag_renders(source, language):
    from django.template import Context, Engine

    djangos = Engine(libraries={"i18n": "django.templatetags.i18n"}).from_string("{% load i18n %}" + source)
    with translation.override(language):
        assert _template(source).render({}) == djangos.render(Context({}))


def test_a_variable_a_filter_a_context_or_noop_is_translated_as_django_does():
    template = _template(
        '{% translate word %}|{% translate "log out"|upper %}|{% translate "May" context "month name" %}'
        '|{% translate "Log out" noop %}'
    )
    assert _nodes(template, KeptTranslateNode) == []
    with translation.override("en"):
        assert template.render({"word": "Cart"}) == "Cart|LOG OUT|May|Log out"


def test_i18n_and_static_are_the_only_template_tag_labels_that_name_two_modules():
    """Settings silence Django's templates.W003 for these two labels; any other clash still fails here."""
    from django.core.checks.templates import check_templates

    warnings = [warning for warning in check_templates(None) if warning.id == "templates.W003"]
    assert sorted(warning.msg for warning in warnings) == [
        "'i18n' is used for multiple template tag modules: 'django.templatetags.i18n', 'opop.templatetags.kept_i18n'",
        "'static' is used for multiple template tag modules: 'django.templatetags.static', "
        "'opop.templatetags.kept_static'",
    ]
