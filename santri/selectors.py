"""Reads of the Santripreneur pillar, scoped to the acting user, relations prefetched."""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from opop.models import KabupatenKota, Organisation
from opop.permissions import access_for, get_for_user_or_404, scope_queryset
from opop.web import url_for_each
from pesantren.models import Pesantren
from pesantren.services import ADMIN_ROLES
from santri.models import (
    ApiToken,
    Competition,
    CompetitionCertificate,
    Event,
    ExpoBooth,
    GuardianConsent,
    ImportBatch,
    Incubation,
    Proposal,
    Registration,
    Santri,
    SantriBusiness,
    SantriInvitation,
    TeamInvitation,
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
    """Pesantren whose santri the user may see, by name then id (5,000 pesantren share fewer names: without the id
    a page boundary inside a run of equal names would show a pesantren twice or never). No counts: a page of them
    gets its own from `pesantren_rows`."""
    queryset = Pesantren.objects.all()
    return scope_queryset(queryset, user, **PESANTREN_SCOPE).order_by("name", "pk")


@dataclass(slots=True)
class PesantrenRow:
    """One pesantren of the santripreneur home, with its santri and santripreneurs counted."""

    pk: int
    name: str
    region: str
    santri_total: int
    santripreneur_total: int
    list_url: str
    business_url: str


PESANTREN_ROW_COLUMNS = ("pk", "name", "kabupaten_kota__jenis", "kabupaten_kota__nama_singkat")


def pesantren_rows(pesantren: QuerySet[Pesantren]) -> list[PesantrenRow]:
    """The rows of one page of `pesantren_list` (`pesantren`: that page): its columns read as values, then the
    santri of just these pesantren counted in one grouped query (their santri, never the whole table), each
    link made without a reverse per row."""
    rows = list(pesantren.values(*PESANTREN_ROW_COLUMNS))
    counts = {
        row["pesantren_id"]: row
        for row in Santri.objects.filter(pesantren_id__in=[row["pk"] for row in rows])
        .values("pesantren_id")
        .annotate(total=Count("pk"), santripreneurs=Count("pk", filter=Q(santripreneur_since__isnull=False)))
        .order_by()
    }
    list_url, business_url = url_for_each("santri:list"), url_for_each("santri:business_list")
    result = []
    for row in rows:
        counted = counts.get(row["pk"], {})
        result.append(
            PesantrenRow(
                pk=row["pk"],
                name=row["name"],
                region=KabupatenKota.label_of(
                    jenis=row["kabupaten_kota__jenis"], nama_singkat=row["kabupaten_kota__nama_singkat"]
                ),
                santri_total=counted.get("total", 0),
                santripreneur_total=counted.get("santripreneurs", 0),
                list_url=list_url(row["pk"]),
                business_url=business_url(row["pk"]),
            )
        )
    return result


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
    if by in ("kabupaten_kota", "year"):  # the santripreneur home's tables, counted the one way they are
        figures = _santripreneur_figures_count(user=user)
        return figures.by_region if by == "kabupaten_kota" else figures.by_year
    raise ValueError(by)


# How long the santripreneur home's two tables are kept (in the shared cache) before they are counted again.
FIGURES_SECONDS = 300


@dataclass(slots=True)
class SantripreneurFigures:
    """The santripreneur home's two tables (rows as `santripreneur_counts` gives them) and when they were counted."""

    by_region: list[dict]
    by_year: list[dict]
    counted_at: datetime


def _figures_scope(user) -> str:
    """What the user's santri scope (SANTRI_SCOPE) depends on, as a cache key: the same for everyone who sees the
    same santri."""
    access = access_for(user)
    if access.province_wide:
        return "province"
    region = access.region if access.programme_staff else ""
    orgs = ",".join(str(org_id) for org_id in sorted(access.organisation_ids(roles=ADMIN_ROLES)))
    return f"region={region};orgs={orgs}"


def santripreneur_figures(*, user) -> SantripreneurFigures:
    """The santripreneur home's tables per kabupaten/kota and per year they became one, scoped like the santri
    themselves. Counted from one grouped query (region x year: at most 38 x the programme's years rows), which
    still reads every santripreneur of the scope (275,000 of a million santri province-wide), so the result is
    kept FIGURES_SECONDS for everyone of the same scope and the page says when it was counted."""
    key = f"santri.figures.v1:{_figures_scope(user)}"
    kept = cache.get(key)  # plain lists and a datetime, so a deploy that changes the dataclass reads them still
    if kept is not None:
        return SantripreneurFigures(*kept)
    figures = _santripreneur_figures_count(user=user)
    cache.set(key, (figures.by_region, figures.by_year, figures.counted_at), FIGURES_SECONDS)
    return figures


def _santripreneur_figures_count(*, user) -> SantripreneurFigures:
    queryset = scope_queryset(Santri.objects.filter(santripreneur_since__isnull=False), user, **SANTRI_SCOPE)
    grouped = (
        queryset.values(region=F("pesantren__kabupaten_kota_id"), year=ExtractYear("santripreneur_since"))
        .annotate(total=Count("pk"))
        .order_by()
    )
    by_region: dict[str, int] = {}
    by_year: dict[int, int] = {}
    for row in grouped:
        by_region[row["region"]] = by_region.get(row["region"], 0) + row["total"]
        by_year[row["year"]] = by_year.get(row["year"], 0) + row["total"]
    labels = {
        kode: KabupatenKota.label_of(jenis=jenis, nama_singkat=nama_singkat)
        for kode, jenis, nama_singkat in KabupatenKota.objects.filter(kode__in=by_region).values_list(
            "kode", "jenis", "nama_singkat"
        )
    }
    return SantripreneurFigures(
        by_region=[{"key": key, "label": labels.get(key, key), "total": by_region[key]} for key in sorted(by_region)],
        by_year=[{"key": year, "label": str(year), "total": by_year[year]} for year in sorted(by_year)],
        counted_at=timezone.now(),
    )


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


def _acting_santri_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Santri.objects.filter(user=user, status=Santri.Status.ACTIVE).values_list("pk", flat=True).first()


def proposals_visible(*, user, competition: Competition) -> QuerySet[Proposal]:
    """Staff and the competition's judges see every submitted proposal; admins see their own pesantren's
    (drafts too); a santri with an account sees their team's."""
    queryset = (
        competition.proposals.select_related("pesantren", "pesantren__kabupaten_kota")
        .prefetch_related("members", "budget_items")
        .order_by("created_at", "pk")
    )
    access = access_for(user)
    if access.superuser or access.programme_staff or competition.judges.filter(user=user).exists():
        return queryset.filter(status=Proposal.Status.SUBMITTED)
    condition = Q(pesantren__organisation_id__in=access.organisation_ids(roles=ADMIN_ROLES))
    santri_id = _acting_santri_id(user)
    if santri_id is not None:
        condition |= Q(members=santri_id)
    return queryset.filter(condition).distinct()


def proposal_get(*, user, pk) -> Proposal:
    queryset = Proposal.objects.select_related(
        "competition", "pesantren", "pesantren__organisation", "pesantren__kabupaten_kota"
    ).prefetch_related("budget_items", "members")
    try:
        proposal = queryset.get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    if not proposals_visible(user=user, competition=proposal.competition).filter(pk=proposal.pk).exists():
        raise Http404
    return proposal


def proposal_team(*, proposal: Proposal) -> QuerySet[TeamInvitation]:
    """The team as invitations: accepted ones (members) and those still waiting, with the santri."""
    return proposal.invitations.filter(
        status__in=[TeamInvitation.Status.ACCEPTED, TeamInvitation.Status.PENDING]
    ).select_related("santri")


def team_search(*, proposal: Proposal, query: str, limit: int = 10) -> list[Santri]:
    """Active santri of the proposal's pesantren (never another's) matching a name or NIS, not yet on the team."""
    query = (query or "").strip()[:60]
    if len(query) < 2:
        return []
    taken = proposal.invitations.filter(
        status__in=[TeamInvitation.Status.ACCEPTED, TeamInvitation.Status.PENDING]
    ).values("santri_id")
    return list(
        Santri.objects.filter(pesantren_id=proposal.pesantren_id, status=Santri.Status.ACTIVE)
        .filter(Q(name__icontains=query) | Q(nis__icontains=query))
        .exclude(pk__in=taken)
        .only("pk", "name", "nis", "entry_year", "user_id")
        .order_by("name", "nis")[:limit]
    )


def santri_team_invitations(santri: Santri) -> QuerySet[TeamInvitation]:
    """Invitations waiting for this santri's answer, on drafts of competitions still open (for the santri home)."""
    from django.utils import timezone

    return (
        TeamInvitation.objects.filter(
            santri=santri,
            status=TeamInvitation.Status.PENDING,
            proposal__status=Proposal.Status.DRAFT,
            proposal__competition__status=Competition.Status.OPEN,
            proposal__competition__deadline__gt=timezone.now(),
        )
        .select_related("proposal", "proposal__competition", "invited_by")
        .order_by("created_at")
    )


def competition_results(*, competition: Competition) -> QuerySet[Proposal]:
    """Published results: ranked proposals, province-wide order, with their region (frozen at publishing)."""
    return (
        competition.proposals.filter(status=Proposal.Status.SUBMITTED, rank__isnull=False)
        .select_related("pesantren", "pesantren__kabupaten_kota")
        .only(
            "pk",
            "team_name",
            "title",
            "category",
            "total_score",
            "rank",
            "region_rank",
            "is_winner",
            "competition_id",
            "pesantren__name",
            "pesantren__kabupaten_kota__kode",
            "pesantren__kabupaten_kota__jenis",
            "pesantren__kabupaten_kota__nama_singkat",
        )
        .order_by("rank")
    )


def certificate_by_number(*, number: str) -> CompetitionCertificate:
    """The certificate behind a public check; only what the check page shows is loaded."""
    try:
        return (
            CompetitionCertificate.objects.select_related(
                "santri", "proposal", "proposal__competition", "proposal__pesantren__kabupaten_kota"
            )
            .only(
                "number",
                "kind",
                "issued_on",
                "santri__name",
                "proposal__team_name",
                "proposal__region_rank",
                "proposal__rank",
                "proposal__competition__title",
                "proposal__pesantren__name",
                "proposal__pesantren__kabupaten_kota__jenis",
                "proposal__pesantren__kabupaten_kota__nama_singkat",
            )
            .get(number=(number or "").strip().upper()[:24])
        )
    except CompetitionCertificate.DoesNotExist:
        raise Http404 from None


def certificates_for(*, user, proposal: Proposal) -> QuerySet[CompetitionCertificate]:
    """A proposal's certificates: all for its editors and staff; a santri their own."""
    queryset = proposal.certificates.select_related("santri").order_by("number")
    access = access_for(user)
    if (
        access.superuser
        or access.programme_staff
        or proposal.pesantren.organisation_id in access.organisation_ids(roles=ADMIN_ROLES)
    ):
        return queryset
    return queryset.filter(santri_id=_acting_santri_id(user))


def activity_certificate_by_number(*, number: str) -> Registration:
    """The attended registration behind a public check of an `SK-` number; only what the page shows is loaded.
    A registration whose attendance was undone no longer checks as valid."""
    try:
        return (
            Registration.objects.select_related("santri", "event", "santri__pesantren__kabupaten_kota")
            .only(
                "certificate_number",
                "attendance_marked_at",
                "santri__name",
                "event__title",
                "event__kind",
                "event__starts_on",
                "event__ends_on",
                "event__organiser",
                "santri__pesantren__name",
                "santri__pesantren__kabupaten_kota__jenis",
                "santri__pesantren__kabupaten_kota__nama_singkat",
            )
            .get(attended=True, certificate_number=(number or "").strip().upper()[:24])
        )
    except Registration.DoesNotExist:
        raise Http404 from None


def certificate_get(*, user, pk) -> CompetitionCertificate:
    try:
        certificate = CompetitionCertificate.objects.select_related(
            "santri",
            "proposal",
            "proposal__competition",
            "proposal__pesantren__kabupaten_kota",
            "proposal__pesantren__organisation",
        ).get(pk=pk)
    except (CompetitionCertificate.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    if not certificates_for(user=user, proposal=certificate.proposal).filter(pk=certificate.pk).exists():
        raise Http404
    return certificate


# --- incubation ------------------------------------------------------------------------------------------------


def incubations_for(*, user) -> QuerySet[Incubation]:
    """Incubations the user takes part in: region staff their region's, the mentor theirs, admins their
    pesantren's, a santri their team's."""
    queryset = Incubation.objects.select_related(
        "business", "mentor", "proposal", "proposal__competition", "proposal__pesantren__kabupaten_kota"
    ).annotate(
        milestone_total=Count("milestones", distinct=True),
        milestone_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
    )
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    access = access_for(user)
    if access.superuser or (access.programme_staff and access.region is None):
        return queryset
    condition = Q(mentor=user)
    if access.programme_staff:
        condition |= Q(proposal__pesantren__kabupaten_kota_id=access.region)
    condition |= Q(proposal__pesantren__organisation_id__in=access.organisation_ids(roles=ADMIN_ROLES))
    santri_id = _acting_santri_id(user)
    if santri_id is not None:
        condition |= Q(proposal__members=santri_id)
    return queryset.filter(condition).distinct()


def incubation_get(*, user, pk) -> Incubation:
    try:
        return (
            incubations_for(user=user)
            .select_related("business__organisation", "proposal__pesantren__organisation")
            .get(pk=pk)
        )
    except (Incubation.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


# --- the santri's own pages and the accounts ------------------------------------------------------


def santri_of_user(*, user) -> Santri:
    """The santri whose account this is, or 404: the santri's own pages never take a santri id."""
    queryset = Santri.objects.select_related("pesantren", "pesantren__kabupaten_kota")
    try:
        return queryset.get(user=user) if user.is_authenticated else queryset.none().get()
    except Santri.DoesNotExist:
        raise Http404 from None


def user_is_santri(*, user) -> bool:
    """Whether this account is a santri's own (the one santri_of_user finds). Asked by the navigation on every
    page, so read once per user object, and not at all for staff, superusers and the members of a pesantren or
    another organisation (what access_for already read): a santri's account belongs to a santri business at most."""
    cached = getattr(user, "_santri_account", None)
    if cached is None:
        access = access_for(user)
        cached = (
            user.is_authenticated
            and not (access.superuser or access.programme_staff)
            and all(kind == Organisation.Kind.SANTRI_BUSINESS for _id, kind, _role in access.memberships)
            and Santri.objects.filter(user=user).exists()
        )
        user._santri_account = cached
    return cached


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
