"""Template helpers of OPOP Mart."""

from django import template

from marketplace.models import PILLAR_BY_KIND
from opop.permissions import access_for

register = template.Library()


@register.simple_tag(takes_context=True)
def mart_is_seller(context) -> bool:
    """Whether the visitor acts for a store's organisation; uses the access already read for the menu."""
    user = context.get("user")
    return bool(user and access_for(user).organisation_ids(kinds=list(PILLAR_BY_KIND), roles=["owner", "staff"]))
