"""Reads of the Santripreneur pillar, scoped to the acting user, relations prefetched."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404

from opop.permissions import access_for, get_for_user_or_404, scope_queryset
from pesantren.models import Pesantren
from pesantren.services import ADMIN_ROLES
from santri.models import (
    ApiToken,
    Competition,
    Event,
    ExpoBooth,
    GuardianConsent,
    ImportBatch,
    Proposal,
    Registration,
    Santri,
    SantriBusiness,
    SantriInvitation,
    WaitingListEntry,
)

# Admins (owner/staff) of the pesantren read and write; Diskop staff read in their region.
PESANTREN_SCOPE = {"organisation_field": "organisation", "region_field": "kabupaten_kota", "roles": ADMIN_ROLES}
SANTRI_SCOPE = {
    "organisation_field": "pesantren__organisation",
    "region_field": "pesantren__kabupaten_kota",
    "roles": ADMIN_ROLES,
}
ADMIN_ONLY_SCOPE = {"organisation_field": "pesantren__organisation", "region_field": None, "roles": ADMIN_ROLES}


def pesantren_list(*, user) -> QuerySet[Pesantren]:
    """Pesantren whose santri the user may see, with their santri counts."""
    queryset = Pesantren.objects.select_related("kabupaten_kota", "organisation").annotate(
        santri_total=Count("santri", distinct=True),
        santripreneur_total=Count("santri", filter=Q(santri__santripreneur_since__isnull=False), distinct=True),
    )
    return scope_queryset(queryset, user, **PESANTREN_SCOPE).order_by("name")


def pesantren_get(*, user, pk) -> Pesantren:
    queryset = Pesantren.objects.select_related("kabupaten_kota", "organisation")
    return get_for_user_or_404(queryset, user, scope=PESANTREN_SCOPE, pk=pk)


def admin_pesantren(*, user) -> QuerySet[Pesantren]:
    """The pesantren the user administers (owner or staff)."""
    queryset = Pesantren.objects.select_related("kabupaten_kota", "organisation")
    return scope_queryset(queryset, user, organisation_field="organisation", roles=ADMIN_ROLES).order_by("name")


def santri_list(*, pesantren: Pesantren, query: str = "", status: str = "") -> QuerySet[Santri]:
    queryset = Santri.objects.filter(pesantren=pesantren).only(
        "pk",
        "name",
        "nis",
        "nik",
        "gender",
        "entry_year",
        "status",
        "card_number",
        "santripreneur_since",
        "pesantren",
        "user",
    )
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(nis__icontains=query))
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("name", "nis")


def santri_get(*, user, pk) -> Santri:
    queryset = Santri.objects.select_related("pesantren", "pesantren__kabupaten_kota", "pesantren__organisation")
    return get_for_user_or_404(queryset, user, scope=SANTRI_SCOPE, pk=pk)


def santri_for_card(*, token) -> Santri:
    """The santri behind a Kartu Santri QR code; only what the public page needs is loaded."""
    queryset = Santri.objects.select_related("pesantren", "pesantren__kabupaten_kota").only(
        "name",
        "status",
        "card_number",
        "pesantren__name",
        "pesantren__status",
        "pesantren__kabupaten_kota__nama_singkat",
        "pesantren__kabupaten_kota__jenis",
    )
    try:
        return queryset.exclude(card_number=None).get(card_token=token)
    except (Santri.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def import_batch_get(*, user, pk) -> ImportBatch:
    queryset = ImportBatch.objects.select_related("pesantren", "pesantren__organisation")
    return get_for_user_or_404(queryset, user, scope=ADMIN_ONLY_SCOPE, pk=pk)


def api_tokens(*, pesantren: Pesantren) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(pesantren=pesantren).select_related("created_by")


def api_token_get(*, user, pk) -> ApiToken:
    return get_for_user_or_404(ApiToken.objects.select_related("pesantren"), user, scope=ADMIN_ONLY_SCOPE, pk=pk)


def businesses(*, pesantren: Pesantren) -> QuerySet[SantriBusiness]:
    return SantriBusiness.objects.filter(pesantren=pesantren).select_related("organisation").prefetch_related("members")


def business_get(*, user, pk) -> SantriBusiness:
    queryset = SantriBusiness.objects.select_related("pesantren", "pesantren__kabupaten_kota", "organisation")
    return get_for_user_or_404(queryset, user, scope=SANTRI_SCOPE, pk=pk)


def santripreneur_counts(*, user, by: str) -> list[dict]:
    """Santripreneurs counted per pesantren, per kabupaten/kota or per year they became one.

    `by` is "pesantren", "kabupaten_kota" or "year". Scoped like the santri themselves.
    """
    queryset = scope_queryset(Santri.objects.filter(santripreneur_since__isnull=False), user, **SANTRI_SCOPE)
    if by == "pesantren":
        rows = (
            queryset.values("pesantren_id", "pesantren__name").annotate(total=Count("pk")).order_by("pesantren__name")
        )
        return [{"key": r["pesantren_id"], "label": r["pesantren__name"], "total": r["total"]} for r in rows]
    if by == "kabupaten_kota":
        rows = (
            queryset.values(
                "pesantren__kabupaten_kota_id",
                "pesantren__kabupaten_kota__jenis",
                "pesantren__kabupaten_kota__nama_singkat",
            )
            .annotate(total=Count("pk"))
            .order_by("pesantren__kabupaten_kota_id")
        )
        return [
            {
                "key": r["pesantren__kabupaten_kota_id"],
                "label": ("Kab. " if r["pesantren__kabupaten_kota__jenis"] == "kabupaten" else "Kota ")
                + r["pesantren__kabupaten_kota__nama_singkat"],
                "total": r["total"],
            }
            for r in rows
        ]
    if by == "year":
        rows = queryset.annotate(year=ExtractYear("santripreneur_since")).values("year").annotate(total=Count("pk"))
        return [{"key": r["year"], "label": str(r["year"]), "total": r["total"]} for r in rows.order_by("year")]
    raise ValueError(by)


# --- events --------------------------------------------------------------------------------------


def event_list(*, user) -> QuerySet[Event]:
    """Staff see the events of their region (province-wide staff all); admins see open events and
    those their pesantren is invited to."""
    queryset = Event.objects.select_related("kabupaten_kota", "partner").annotate(
        registered=Count("registrations", distinct=True), waiting=Count("waiting_list", distinct=True)
    )
    access = access_for(user)
    if access.superuser or (access.programme_staff and access.region is None):
        return queryset
    if access.programme_staff:
        return queryset.filter(kabupaten_kota_id=access.region)
    org_ids = access.organisation_ids(roles=ADMIN_ROLES)
    if not org_ids:
        santri = Santri.objects.filter(user=user).only("pk", "pesantren_id").first() if user.is_authenticated else None
        if santri is None:
            return queryset.none()
        return queryset.filter(
            Q(invited_pesantren__isnull=True, invited_santri__isnull=True)
            | Q(invited_pesantren=santri.pesantren_id)
            | Q(invited_santri=santri)
        ).distinct()
    return queryset.filter(
        Q(invited_pesantren__isnull=True, invited_santri__isnull=True)
        | Q(invited_pesantren__organisation_id__in=org_ids)
        | Q(invited_santri__pesantren__organisation_id__in=org_ids)
    ).distinct()


def event_get(*, user, pk) -> Event:
    try:
        return event_list(user=user).get(pk=pk)
    except (Event.DoesNotExist, ValueError):
        raise Http404 from None


def event_registrations(*, user, event: Event) -> QuerySet[Registration]:
    """Staff see every registration; an admin only their own santri's."""
    queryset = event.registrations.select_related("santri", "santri__pesantren", "santri__pesantren__kabupaten_kota")
    access = access_for(user)
    if access.superuser or access.programme_staff:
        return queryset
    return queryset.filter(santri__pesantren__organisation_id__in=access.organisation_ids(roles=ADMIN_ROLES))


def registration_get(*, user, pk) -> Registration:
    queryset = Registration.objects.select_related(
        "event",
        "event__kabupaten_kota",
        "event__partner",
        "santri",
        "santri__pesantren",
        "santri__pesantren__kabupaten_kota",
    )
    return get_for_user_or_404(
        queryset,
        user,
        scope={
            "organisation_field": "santri__pesantren__organisation",
            "region_field": "event__kabupaten_kota",
            "roles": ADMIN_ROLES,
        },
        pk=pk,
    )


# --- competitions --------------------------------------------------------------------------------


def competition_list() -> QuerySet[Competition]:
    """Competitions are public programme information (rubric, deadline, winners)."""
    return Competition.objects.annotate(proposal_total=Count("proposals")).prefetch_related("criteria")


def competition_get(*, pk) -> Competition:
    try:
        return Competition.objects.prefetch_related("criteria").get(pk=pk)
    except (Competition.DoesNotExist, ValueError):
        raise Http404 from None


def proposals_visible(*, user, competition: Competition) -> QuerySet[Proposal]:
    """Staff and the competition's judges see every proposal; admins see their own pesantren's."""
    queryset = competition.proposals.select_related("pesantren", "pesantren__kabupaten_kota").prefetch_related(
        "members"
    )
    access = access_for(user)
    if access.superuser or access.programme_staff or competition.judges.filter(user=user).exists():
        return queryset
    return queryset.filter(pesantren__organisation_id__in=access.organisation_ids(roles=ADMIN_ROLES))


def proposal_get(*, user, pk) -> Proposal:
    queryset = Proposal.objects.select_related("competition", "pesantren", "pesantren__organisation")
    try:
        proposal = queryset.get(pk=pk)
    except (Proposal.DoesNotExist, ValueError):
        raise Http404 from None
    if not proposals_visible(user=user, competition=proposal.competition).filter(pk=proposal.pk).exists():
        raise Http404
    return proposal


# --- the santri's own pages and the accounts ------------------------------------------------------


def santri_of_user(*, user) -> Santri:
    """The santri whose account this is, or 404: the santri's own pages never take a santri id."""
    queryset = Santri.objects.select_related("pesantren", "pesantren__kabupaten_kota")
    try:
        return queryset.get(user=user) if user.is_authenticated else queryset.none().get()
    except Santri.DoesNotExist:
        raise Http404 from None


def santri_registrations(*, santri: Santri) -> QuerySet[Registration]:
    return santri.registrations.select_related("event", "event__kabupaten_kota", "event__partner").order_by(
        "-event__starts_on"
    )


def santri_waiting(*, santri: Santri) -> QuerySet[WaitingListEntry]:
    return santri.waiting_for.select_related("event", "event__kabupaten_kota")


def santri_registration_get(*, santri: Santri, pk) -> Registration:
    try:
        return santri_registrations(santri=santri).select_related("santri", "santri__pesantren").get(pk=pk)
    except (Registration.DoesNotExist, ValueError):
        raise Http404 from None


def santri_waiting_get(*, santri: Santri, pk) -> WaitingListEntry:
    try:
        return santri_waiting(santri=santri).select_related("santri", "santri__pesantren").get(pk=pk)
    except (WaitingListEntry.DoesNotExist, ValueError):
        raise Http404 from None


def santri_team_invitations(santri: Santri) -> list:
    """Hook for the business-idea teams (#21, the ideas work): the open invitations of this santri to
    join a team, each with `team_name`, `title`, `url`. Returns [] until teams exist."""
    return []


def santri_businesses(*, santri: Santri) -> QuerySet[SantriBusiness]:
    return santri.businesses.select_related("organisation").prefetch_related("members")


def santri_consents(*, santri: Santri) -> QuerySet[GuardianConsent]:
    return santri.guardian_consents.all()


def guardian_consents(*, pesantren: Pesantren) -> QuerySet[GuardianConsent]:
    """The confirmations the pesantren's santri asked for, waiting ones first."""
    return (
        GuardianConsent.objects.filter(santri__pesantren=pesantren)
        .select_related("santri", "requested_by", "decided_by")
        .order_by("-status", "-created_at")
    )


def guardian_consent_get(*, user, pk) -> GuardianConsent:
    queryset = GuardianConsent.objects.select_related("santri", "santri__pesantren")
    return get_for_user_or_404(
        queryset,
        user,
        scope={"organisation_field": "santri__pesantren__organisation", "region_field": None, "roles": ADMIN_ROLES},
        pk=pk,
    )


def santri_open_invitation(*, santri: Santri) -> SantriInvitation | None:
    return SantriInvitation.objects.filter(santri=santri, accepted_at=None, revoked_at=None).first()


def event_waiting_list(*, user, event: Event) -> QuerySet[WaitingListEntry]:
    """Staff see the whole waiting list in order; an admin only their own santri's places in it."""
    queryset = event.waiting_list.select_related("santri", "santri__pesantren").order_by("joined_at", "id")
    access = access_for(user)
    if access.superuser or access.programme_staff:
        return queryset
    return queryset.filter(santri__pesantren__organisation_id__in=access.organisation_ids(roles=ADMIN_ROLES))


def waiting_entry_get(*, user, pk) -> WaitingListEntry:
    queryset = WaitingListEntry.objects.select_related("event", "santri", "santri__pesantren")
    return get_for_user_or_404(queryset, user, scope=ADMIN_ONLY_SCOPE_SANTRI, pk=pk)


ADMIN_ONLY_SCOPE_SANTRI = {
    "organisation_field": "santri__pesantren__organisation",
    "region_field": None,
    "roles": ADMIN_ROLES,
}


def expo_booths(*, event: Event) -> QuerySet[ExpoBooth]:
    return event.booths.select_related("pesantren", "pesantren__kabupaten_kota").order_by("zone", "number")
