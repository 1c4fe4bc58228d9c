import pytest
from django.urls import NoReverseMatch, reverse

from opop.web import fixed_url, url_for_each


@pytest.mark.parametrize(
    ("viewname", "values"),
    [
        ("opop:deletion_process", [1, 42, 4071998253, 9876543210]),
        ("opop:organisation_detail", ["pp-darul-ulum", "OPM-261204-3A4E1F139D", "4071998253"]),
    ],
)
def test_url_for_each_makes_the_urls_reverse_makes(viewname, values):
    url = url_for_each(viewname)
    assert [url(value) for value in values] == [reverse(viewname, args=[value]) for value in values]


def test_url_for_each_refuses_a_url_without_one_argument():
    with pytest.raises(NoReverseMatch):
        url_for_each("opop:profile")


def test_fixed_url_is_the_reversed_url_and_none_where_there_is_none():
    assert fixed_url("opop:profile") == reverse("opop:profile")
    assert fixed_url("opop:no_such_page") is None


def _url_nodes(source):
    from django.template import engines
    from django.template.defaulttags import URLNode

    template = engines["django"].from_string(source)
    return template, list(template.template.nodelist.get_nodes_by_type(URLNode))


def test_a_url_written_in_the_template_is_reversed_once_per_process(monkeypatch):
    from opop import web
    from opop.templatetags.opop import KeptURLNode

    template, nodes = _url_nodes(
        "{% url 'opop:profile' %} {% url 'opop:deletion_process' 42 %} "
        "{% url 'opop:organisation_detail' 'pp-darul-ulum' %}"
    )
    assert all(isinstance(node, KeptURLNode) for node in nodes) and len(nodes) == 3
    expected = " ".join(
        [
            reverse("opop:profile"),
            reverse("opop:deletion_process", args=[42]),
            reverse("opop:organisation_detail", args=["pp-darul-ulum"]),
        ]
    )
    assert template.render({}) == expected
    calls = []
    monkeypatch.setattr(web, "reverse", lambda *a, **k: calls.append(a) or "/x/")
    assert template.render({}) == expected  # kept: the second render reverses nothing
    assert calls == []


def test_a_url_of_a_value_or_with_keywords_is_reversed_on_every_render():
    from opop.templatetags.opop import KeptURLNode

    template, nodes = _url_nodes(
        "{% url 'opop:deletion_process' pk %}|{% url 'opop:deletion_process' pk=7 %}|{% url name %}"
    )
    assert not any(isinstance(node, KeptURLNode) for node in nodes) and len(nodes) == 3
    assert template.render({"pk": 5, "name": "opop:profile"}).split("|") == [
        reverse("opop:deletion_process", args=[5]),
        reverse("opop:deletion_process", kwargs={"pk": 7}),
        reverse("opop:profile"),
    ]


def test_a_kept_url_that_does_not_exist_fails_as_djangos_does_and_is_empty_as_a_variable():
    from django.template import engines

    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'opop:no_such_page' %}").render({})
    source = "{% url 'opop:no_such_page' as u %}[{{ u }}]"
    assert engines["django"].from_string(source).render({}) == "[]"


def test_rendered_rows_renders_a_row_once_per_values_language_and_time_zone(monkeypatch, settings):
    from dataclasses import dataclass

    from django.template import engines
    from django.utils import timezone, translation

    from opop import web

    settings.DEBUG = False
    renders = []
    template = engines["django"].from_string('{% load i18n %}<tr><td>{{ row.name }}</td><td>{% translate "Yes" %}</td>')

    def get_template(name):
        renders.append(name)
        return template

    monkeypatch.setattr("django.template.loader.get_template", get_template)
    web._row_html.cache_clear()

    @dataclass(slots=True, frozen=True)
    class Row:
        name: str

    rows = [Row("<Al-Ikhlas>"), Row("Darul Ulum")]
    with translation.override("id"):
        first = web.rendered_rows("test/row.html", rows)
        assert first == "<tr><td>&lt;Al-Ikhlas&gt;</td><td>Ya</td><tr><td>Darul Ulum</td><td>Ya</td>"
        assert web.rendered_rows("test/row.html", rows) == first and len(renders) == 2  # kept: no render
        changed = web.rendered_rows("test/row.html", [Row("Darul Ulum 2"), rows[1]])
        assert changed.startswith("<tr><td>Darul Ulum 2</td>") and len(renders) == 3  # a new value: one render
    with translation.override("en"):
        assert web.rendered_rows("test/row.html", rows[:1]) == "<tr><td>&lt;Al-Ikhlas&gt;</td><td>Yes</td>"
    with translation.override("id"), timezone.override("Asia/Makassar"):
        web.rendered_rows("test/row.html", rows[:1])
    assert len(renders) == 5
    settings.DEBUG = True  # runserver: every row rendered from the (reloaded) template
    with translation.override("id"):
        web.rendered_rows("test/row.html", rows)
    assert len(renders) == 7
    web._row_html.cache_clear()
