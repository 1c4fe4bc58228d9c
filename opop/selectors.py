"""Reads of the shared kernel, scoped to the acting user."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from opop.models import KabupatenKota, Membership, Organisation
from opop.permissions import get_for_user_or_404, scope_queryset

ORG_SCOPE = {"organisation_field": "pk", "region_field": "kabupaten_kota"}


def organisation_list_for_user(*, user) -> QuerySet[Organisation]:
    """Organisations the user acts for (and, for programme staff, those in their region).

    `member_count` is a subquery, not a join and GROUP BY: the database counts members only for the rows of the
    page asked for (a paginated slice), not for every organisation of the province before it sorts.
    """
    members = (
        Membership.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Organisation.objects.select_related("kabupaten_kota").annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0)
    )
    return scope_queryset(queryset, user, **ORG_SCOPE).order_by("kind", "name", "pk")


def organisation_get_for_user(*, user, slug: str) -> Organisation:
    queryset = Organisation.objects.select_related("kabupaten_kota")
    return get_for_user_or_404(queryset, user, scope=ORG_SCOPE, slug=slug)


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user", "region").order_by("role", "user__email")


def kabupaten_kota_list() -> QuerySet[KabupatenKota]:
    return KabupatenKota.objects.all()
