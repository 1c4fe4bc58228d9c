"""Who may see what. Every view that lists or fetches tenant rows scopes its queryset here.

A user acts for organisations through memberships (owner, staff, cashier). Diskop UKM staff are
members of the Diskop organisation, optionally scoped to one kabupaten/kota; unscoped staff see the
whole province. Superusers see everything. Anyone else sees nothing through these helpers, so a
foreign id answers 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from opop.models import Membership, Organisation


@dataclass(frozen=True)
class Access:
    superuser: bool
    # (organisation id, organisation kind, role) for every membership
    memberships: tuple[tuple[int, str, str], ...]
    programme_staff: bool
    # Kabupaten/kota code a programme staff member is limited to; None means the whole province.
    region: str | None

    def organisation_ids(self, *, roles=None, kinds=None) -> list[int]:
        return [
            org_id
            for org_id, kind, role in self.memberships
            if (roles is None or role in roles) and (kinds is None or kind in kinds)
        ]

    @property
    def province_wide(self) -> bool:
        return self.superuser or (self.programme_staff and self.region is None)


NO_ACCESS = Access(superuser=False, memberships=(), programme_staff=False, region=None)

# Audiences an app defines about its own people (e.g. "santri": a santri's own account), for the navigation
# (AppConfig.nav_items' `who`) and the landing after sign-in (AppConfig.login_landings). The kernel names no app.
_audiences: dict[str, Callable[..., bool]] = {}


def audience_register(name: str, predicate: Callable[..., bool]) -> None:
    """Called from an AppConfig.ready(): `predicate(user=...)` says whether a signed-in user is in audience
    `name`. Registering a name again replaces it (ready() may run twice in tests)."""
    _audiences[name] = predicate


def is_in_audience(*, user, name: str) -> bool:
    """A signed-in user in an audience an app registered; False for an audience nobody registered."""
    predicate = _audiences.get(name)
    return bool(predicate and getattr(user, "is_authenticated", False) and predicate(user=user))


def access_for(user) -> Access:
    """What `user` may act for, read once per user object (one query) and kept on it."""
    if user is None or not user.is_authenticated:
        return NO_ACCESS
    cached = getattr(user, "_opop_access", None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.filter(user=user, organisation__is_active=True).values_list(
            "organisation_id", "organisation__kind", "role", "region_id"
        )
    )
    staff_rows = [row for row in rows if row[1] == Organisation.Kind.DISKOP]
    regions = {row[3] for row in staff_rows}
    access = Access(
        superuser=user.is_superuser,
        memberships=tuple((org_id, kind, role) for org_id, kind, role, _ in rows),
        programme_staff=bool(staff_rows),
        # Several staff memberships: an unscoped one wins; otherwise the single region.
        region=None if None in regions or len(regions) != 1 else next(iter(regions)),
    )
    user._opop_access = access
    return access


def is_organisation_member(*, user, organisation_id: int, roles=None) -> bool:
    """A member of this organisation (with one of `roles` when given). The apps' predicates build on this one
    (`is_pesantren_admin(user=..., pesantren=...)`): every predicate is called with keywords."""
    return organisation_id in access_for(user).organisation_ids(roles=roles)


def is_programme_staff(*, user) -> bool:
    """Diskop UKM staff (any region) or a superuser."""
    access = access_for(user)
    return access.superuser or access.programme_staff


def is_province_staff(*, user) -> bool:
    """Diskop UKM staff for the whole province (a membership scoped to no kabupaten/kota), or a superuser."""
    return access_for(user).province_wide


def is_programme_finance(*, user) -> bool:
    """Platform finance staff: the finance role in the Diskop UKM organisation (or a superuser)."""
    access = access_for(user)
    return access.superuser or any(
        kind == Organisation.Kind.DISKOP and role == Membership.Role.FINANCE for _id, kind, role in access.memberships
    )


def is_programme_staff_for_region(*, user, kabupaten_kota_id: str | None) -> bool:
    """Diskop UKM staff responsible for this kabupaten/kota (province-wide staff for all of them)."""
    access = access_for(user)
    return access.superuser or (access.programme_staff and access.region in (None, kabupaten_kota_id))


def scope_queryset(
    queryset: QuerySet,
    user,
    *,
    organisation_field: str | None = "organisation",
    region_field: str | None = None,
    roles=None,
) -> QuerySet:
    """Filter `queryset` to the rows `user` may see.

    - members see rows whose `organisation_field` is one of their organisations (limited to
      `roles` when given);
    - programme staff see rows in their region through `region_field` (a path to a
      KabupatenKota); pass `region_field=None` for rows staff must not see;
    - superusers see all rows.
    """
    access = access_for(user)
    staff_scope = region_field is not None and access.programme_staff
    if access.superuser or (staff_scope and access.region is None):
        return queryset
    condition = Q(pk__in=[])
    if organisation_field is not None:
        org_ids = access.organisation_ids(roles=roles)
        if org_ids:
            condition |= Q(**{f"{organisation_field}__in": org_ids})
    if staff_scope:
        condition |= Q(**{region_field: access.region})
    return queryset.filter(condition)


def get_for_user_or_404(queryset: QuerySet, user, /, *, scope: dict | None = None, **lookup) -> Model:
    """Fetch one row the user may see, or 404 — a foreign id looks the same as a missing one."""
    try:
        return scope_queryset(queryset, user, **(scope or {})).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None
