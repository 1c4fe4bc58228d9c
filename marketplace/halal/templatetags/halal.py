"""`{% load halal %}{% halal_badge product %}`: the "Halal" badge with its certificate number, only while valid."""

from django import template

from marketplace.halal.services import valid_certificate_for

register = template.Library()


@register.inclusion_tag("halal/badge.html")
def halal_badge(product):
    return {"certificate": valid_certificate_for(product) if product is not None else None}
