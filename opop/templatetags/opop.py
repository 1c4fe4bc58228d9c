"""Template filters every page uses; loaded as a builtin, so no `{% load %}` is needed."""

from django import template
from django.utils.translation import get_language

from opop.formatting import format_date, format_rupiah, normalise_phone

register = template.Library()


@register.filter
def rupiah(value):
    """`{{ 15000|rupiah }}` → `Rp15.000`."""
    try:
        return format_rupiah(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def tanggal(value):
    """`{{ order.created_at|tanggal }}` → `22 Nov 2026` (WIB)."""
    return format_date(value, get_language() or "id")


@register.filter
def phone(value):
    """Show a stored phone number as +62…; leaves what cannot be read as it is."""
    try:
        return normalise_phone(value)
    except ValueError:
        return value


@register.filter
def public_name(user):
    """`{{ review.buyer|public_name }}` → `Siti R.`: how a person appears on public pages. Never the e-mail."""
    return getattr(user, "public_name", "") if user is not None else ""


@register.filter
def person_name(user):
    """`{{ event.actor|person_name }}` → `Siti Rahmawati`: seller and staff pages. Never the e-mail."""
    return getattr(user, "person_name", "") if user is not None else ""


@register.filter
def masked_date(value):
    """A birth date shown only by its year: `••/••/2008`."""
    return f"••/••/{value.year}" if value else ""


@register.filter
def opening_hours(value):
    """`{{ outlet.opening_hours|opening_hours }}`: day names in the active language (Sabtu → Saturday)."""
    from opop.formatting import format_opening_hours

    return format_opening_hours(value)
