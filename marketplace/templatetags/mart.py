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


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def product_json_ld(context, product):
    """schema.org Product structured data for the product page. Halal only from the product's synced
    certificate number (the same value as the card chip and the catalogue filter)."""
    import json

    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": product.description[:500],
        "url": context.get("canonical_url") or request.build_absolute_uri(product.get_absolute_url()),
        "brand": {"@type": "Brand", "name": product.store.name},
        "offers": {
            "@type": "Offer",
            "price": str(product.price),
            "priceCurrency": "IDR",
            "availability": "https://schema.org/InStock" if product.in_stock else "https://schema.org/OutOfStock",
        },
    }
    photos = list(product.photos.all()[:1])
    if photos:
        data["image"] = request.build_absolute_uri(photos[0].large.url)
    if product.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(product.rating_average),
            "reviewCount": product.rating_count,
        }
    if product.is_halal:
        data["hasCertification"] = {
            "@type": "Certification",
            "name": "Sertifikat Halal",
            "certificationIdentification": product.halal_certificate_number,
            "certificationStatus": "https://schema.org/CertificationActive",
            "issuedBy": {"@type": "Organization", "name": "BPJPH"},
        }
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        context.get("csp_nonce", ""),
        mark_safe(payload),  # noqa: S308 - JSON with <, > and & escaped
    )
