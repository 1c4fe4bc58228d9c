"""Halal template tags: `{% halal_badge product %}` (the badge on the product page) and
`{% legality_verified product %}` (the legal numbers staff verified, with their mark)."""

from django import template

register = template.Library()


@register.inclusion_tag("halal/badge.html")
def halal_badge(product):
    """The "Halal" badge with its certificate number, read from the synced number (services.product_halal_sync)."""
    return {"number": product.halal_certificate_number if product is not None else ""}


@register.inclusion_tag("halal/legality_verified.html")
def legality_verified(product):
    """The product's NIB, P-IRT and BPOM numbers that Diskop staff verified (unverified ones are not shown)."""
    from marketplace.halal.legality import verified_numbers

    return {"rows": verified_numbers(product)}
