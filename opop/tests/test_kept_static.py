import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import engines
from django.templatetags.static import StaticNode

from opop.templatetags.kept_static import KeptStaticNode


def _template(source):
    template = engines["django"].from_string("{% load static %}" + source)
    return template, list(template.template.nodelist.get_nodes_by_type(StaticNode))


def test_a_written_path_is_asked_of_the_storage_once_per_process(monkeypatch):
    asked = []
    url = staticfiles_storage.url

    def counting(path):
        asked.append(path)
        return url(path)

    monkeypatch.setattr(staticfiles_storage, "url", counting)
    template, nodes = _template("{% static 'css/opop.css' %}|{% static 'js/kept-test.js' as script %}{{ script }}")
    assert [type(node) for node in nodes] == [KeptStaticNode, KeptStaticNode]
    first = template.render({})
    assert first == f"{url('css/opop.css')}|{url('js/kept-test.js')}"
    assert template.render({}) == first and template.render({}) == first
    assert asked.count("js/kept-test.js") == 1


def test_a_path_from_a_variable_is_djangos_node(monkeypatch):
    template, nodes = _template("{% static path %}")
    assert [type(node) for node in nodes] == [StaticNode]
    assert template.render({"path": "css/opop.css"}) == staticfiles_storage.url("css/opop.css")


def test_a_storage_change_is_followed_and_a_refused_path_fails_every_time(settings, tmp_path):
    template, _nodes = _template("{% static 'css/opop.css' %}")
    plain = template.render({})
    settings.STATIC_URL = "/elsewhere/"
    assert template.render({}) == "/elsewhere/css/opop.css" != plain
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path  # an empty manifest: every path is refused
    missing, _nodes = _template("{% static 'css/kept-missing.css' %}")
    for _ in range(2):
        with pytest.raises(ValueError, match="kept-missing"):
            missing.render({})
