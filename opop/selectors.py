"""Reads of the shared kernel, scoped to the acting user."""

from django.db.models import Count, QuerySet

from opop.models import KabupatenKota, Membership, Organisation
from opop.permissions import get_for_user_or_404, scope_queryset

ORG_SCOPE = {"organisation_field": "pk", "region_field": "kabupaten_kota"}


def organisation_list_for_user(*, user) -> QuerySet[Organisation]:
    """Organisations the user acts for (and, for programme staff, those in their region)."""
    queryset = Organisation.objects.select_related("kabupaten_kota").annotate(member_count=Count("memberships"))
    return scope_queryset(queryset, user, **ORG_SCOPE).order_by("kind", "name")


def organisation_get_for_user(*, user, slug: str) -> Organisation:
    queryset = Organisation.objects.select_related("kabupaten_kota")
    return get_for_user_or_404(queryset, user, scope=ORG_SCOPE, slug=slug)


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user", "region").order_by("role", "user__email")


def kabupaten_kota_list() -> QuerySet[KabupatenKota]:
    return KabupatenKota.objects.all()
