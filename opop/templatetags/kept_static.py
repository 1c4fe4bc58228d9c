"""Django's static tag library, loaded by every `{% load static %}` (TEMPLATES' `libraries` maps the label here),
with one change: the URL of a path written in the template (`{% static 'css/opop.css' %}`) is asked of the
static files storage once per process, not on every render. The manifest storage's lookup (a hashed name, a
join, a quote) runs for every stylesheet, script and icon of every page: about eight on a store page.

What is kept is forgotten when a setting the URL depends on changes (tests override the storage); a path the
storage refuses (not in the manifest) is never kept, so it fails on every render as Django's tag does."""

from django import template
from django.core.signals import setting_changed
from django.templatetags import static

register = template.Library()
register.tags.update(static.register.tags)
register.filters.update(static.register.filters)

_kept: dict[str, str] = {}
_SETTINGS = {"STORAGES", "STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS", "INSTALLED_APPS", "DEBUG"}


def _forget(*, setting, **kwargs):
    if setting in _SETTINGS:
        _kept.clear()


setting_changed.connect(_forget)


class KeptStaticNode(static.StaticNode):
    """`{% static 'written/path' %}` (or `… as name`): the storage's URL for it, kept per process."""

    def url(self, context):
        path = self.path.var  # a written string: the filter expression's value itself
        url = _kept.get(path)
        if url is None:
            url = _kept[path] = self.handle_simple(path)
        return url


def _written(node: static.StaticNode) -> bool:
    expression = node.path
    return not expression.filters and isinstance(expression.var, str)


@register.tag("static")
def do_static(parser, token):
    node = static.do_static(parser, token)
    if not _written(node):
        return node
    return KeptStaticNode(varname=node.varname, path=node.path)
