"""Django's i18n tag library, loaded by every `{% load i18n %}` (TEMPLATES' `libraries` maps the label here), with
one change: a `{% translate "…" %}` of a string written in the template is translated once per language and
template node, not on every render. A page's header, footer and menus hold about forty of them."""

from django import template
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class KeptTranslateNode(i18n.TranslateNode):
    """`{% translate "text" %}` (or `… as name`) with no filter, context or noop: the rendered text kept per
    language and autoescape setting on the node, which the cached template loader keeps per process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept: dict[tuple, str] = {}

    def render(self, context):
        key = (get_language(), context.autoescape)
        value = self._kept.get(key)
        if value is None:  # Django's node translates (and with `as`, sets the variable) the first time
            rendered = super().render(context)
            self._kept[key] = context[self.asvar] if self.asvar else rendered
            return rendered
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _written(node: i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    return (
        not node.noop
        and node.message_context is None
        and not expression.filters
        and isinstance(expression.var, template.Variable)
        and isinstance(expression.var.literal, str)
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    if not _written(node):
        return node
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
