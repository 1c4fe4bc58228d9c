"""Reads of the Pesantrenpreneur pillar, scoped to the acting user, relations prefetched."""

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opop.models import KabupatenKota, Membership, Organisation
from opop.permissions import access_for, get_for_user_or_404, scope_queryset
from opop.web import url_for_each
from pesantren.models import (
    Aspect,
    BusinessUnit,
    MentoringSession,
    MonthlyReport,
    MonthlyReportRevision,
    Partner,
    Pesantren,
    PotentialMapping,
    StatusChange,
)

# Least privilege: the pesantren's owner and staff see its file (profile, reports, card); programme staff see
# the pesantren of their region. A Samsat cashier or supervisor of the same organisation works the counter
# (pesantren.samsat), not the file: their role is left out, so its pages answer 404 for them.
FILE_ROLES = (Membership.Role.OWNER, Membership.Role.STAFF)
PESANTREN_SCOPE = {"organisation_field": "organisation", "region_field": "kabupaten_kota", "roles": FILE_ROLES}
REPORT_SCOPE = {
    "organisation_field": "pesantren__organisation",
    "region_field": "pesantren__kabupaten_kota",
    "roles": FILE_ROLES,
}


def current_month():
    return timezone.localdate().replace(day=1)


def _latest_mapping(field: str):
    latest = PotentialMapping.objects.filter(pesantren=OuterRef("pk")).order_by("-assessed_on", "-id")
    return Subquery(latest.values(field)[:1])


@lru_cache(maxsize=1)
def _pesantren_with_scores(month) -> QuerySet[Pesantren]:
    """Built once a month and shared by every request: resolving the six subqueries took longer (1.2 ms) than the
    database takes to run them. Never evaluated itself: every caller chains a method, which makes a copy."""
    return Pesantren.objects.select_related("kabupaten_kota", "organisation").annotate(
        **{f"latest_{aspect}": _latest_mapping(f"{aspect}_score") for aspect in Aspect.values},
        reported_this_month=Exists(MonthlyReport.objects.filter(pesantren=OuterRef("pk"), month=month)),
    )


def pesantren_list(*, user) -> QuerySet[Pesantren]:
    """Pesantren the user may see, with the latest mapping scores and whether this month is reported.

    One query whatever the number of rows: the scores are subqueries, the region is joined.
    """
    queryset = _pesantren_with_scores(current_month())
    return scope_queryset(queryset, user, **PESANTREN_SCOPE).order_by("name", "pk")


@dataclass(slots=True, frozen=True)
class StaffListRow:
    """One pesantren as the staff list shows it: `latest_<aspect>` is the latest mapping's score (None unmapped)."""

    pk: int
    url: str
    name: str
    flagship_product: str
    region: str
    cohort: int | None
    status: str
    status_label: str
    latest_kelembagaan: int | None
    latest_sdm: int | None
    latest_produk: int | None
    latest_pemasaran: int | None
    latest_pembiayaan: int | None
    reported_this_month: bool


STAFF_LIST_COLUMNS = (
    "pk",
    "name",
    "flagship_product",
    "kabupaten_kota__jenis",
    "kabupaten_kota__nama_singkat",
    "cohort",
    "status",
    *(f"latest_{aspect}" for aspect in Aspect.values),
    "reported_this_month",
)


def staff_list_rows(pesantren: QuerySet) -> list[StaffListRow]:
    """The rows of one page of `pesantren_list` (`pesantren`: that page), read as values in one query, with each
    status label translated once and each link made without a reverse per row."""
    statuses = {value: str(label) for value, label in Pesantren.Status.choices}
    detail_url = url_for_each("pesantren:detail")
    rows = []
    for row in pesantren.values(*STAFF_LIST_COLUMNS):
        jenis, nama_singkat = row.pop("kabupaten_kota__jenis"), row.pop("kabupaten_kota__nama_singkat")
        rows.append(
            StaffListRow(
                **row,
                url=detail_url(row["pk"]),
                region=KabupatenKota.label_of(jenis=jenis, nama_singkat=nama_singkat),
                status_label=statuses.get(row["status"], row["status"]),
            )
        )
    return rows


def pesantren_get(*, user, pk) -> Pesantren:
    queryset = Pesantren.objects.select_related("kabupaten_kota", "organisation")
    return get_for_user_or_404(queryset, user, scope=PESANTREN_SCOPE, pk=pk)


def pesantren_for_member(*, user) -> QuerySet[Pesantren]:
    """The pesantren the user acts for as a member (not what they see as staff)."""
    queryset = Pesantren.objects.select_related("kabupaten_kota", "organisation")
    return scope_queryset(
        queryset, user, organisation_field="organisation", region_field=None, roles=FILE_ROLES
    ).order_by("name")


def unregistered_organisations(*, user):
    """Pesantren organisations the user owns or staffs that have no profile yet."""
    roles = (Membership.Role.OWNER, Membership.Role.STAFF)
    ids = access_for(user).organisation_ids(roles=roles, kinds=[Organisation.Kind.PESANTREN])
    return Organisation.objects.filter(pk__in=ids, pesantren__isnull=True).order_by("name")


def pesantren_file(*, pesantren: Pesantren) -> dict:
    """Everything on a pesantren's full file, each list one query."""
    reports = (
        MonthlyReport.objects.filter(pesantren=pesantren)
        .select_related("business_unit", "submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=MonthlyReportRevision.objects.select_related("created_by").order_by("-number"),
            )
        )
        .order_by("-month", "business_unit__name")
    )
    return {
        "units": BusinessUnit.objects.filter(pesantren=pesantren).order_by("-is_active", "kind", "name"),
        "mappings": list(PotentialMapping.objects.filter(pesantren=pesantren).select_related("assessed_by")),
        "mentoring": MentoringSession.objects.filter(pesantren=pesantren).select_related("mentor", "partner"),
        "reports": reports,
        "history": StatusChange.objects.filter(pesantren=pesantren).select_related("actor"),
        "collaborators": pesantren.collaborators.all(),
    }


def public_pesantren_get(*, slug: str) -> Pesantren:
    """A verified or active pesantren by its organisation's slug; anything else is a 404."""
    queryset = Pesantren.objects.select_related("kabupaten_kota", "organisation").filter(
        status__in=[Pesantren.Status.VERIFIED, Pesantren.Status.ACTIVE]
    )
    return get_object_or_404(queryset, organisation__slug=slug)


def public_pesantren_list(*, kabupaten_kota: str | None = None) -> QuerySet[Pesantren]:
    """The public directory: verified and active pesantren, no private fields needed."""
    queryset = (
        Pesantren.objects.select_related("kabupaten_kota", "organisation")
        .filter(status__in=[Pesantren.Status.VERIFIED, Pesantren.Status.ACTIVE])
        .only(
            "name",
            "flagship_product",
            "desa",
            "kecamatan",
            "cohort",
            "logo",
            "kabupaten_kota__kode",
            "kabupaten_kota__nama_singkat",
            "kabupaten_kota__jenis",
            "organisation__slug",
        )
        .order_by("name")
    )
    if kabupaten_kota:
        queryset = queryset.filter(kabupaten_kota_id=kabupaten_kota)
    return queryset


def public_units(*, pesantren: Pesantren) -> QuerySet[BusinessUnit]:
    return BusinessUnit.objects.filter(pesantren=pesantren, is_active=True).order_by("kind", "name")


def card_get(*, token) -> Pesantren:
    """The pesantren behind a Kartu OPOP QR code (any status: the page says whether it is valid)."""
    queryset = Pesantren.objects.select_related("kabupaten_kota", "organisation").exclude(card_number=None)
    try:
        return queryset.get(card_token=token)
    except (Pesantren.DoesNotExist, ValueError):
        raise Http404 from None


def report_get(*, user, pk) -> MonthlyReport:
    queryset = MonthlyReport.objects.select_related("pesantren", "pesantren__kabupaten_kota", "business_unit")
    return get_for_user_or_404(queryset, user, scope=REPORT_SCOPE, pk=pk)


def unit_get(*, user, pk) -> BusinessUnit:
    queryset = BusinessUnit.objects.select_related("pesantren", "pesantren__kabupaten_kota")
    return get_for_user_or_404(queryset, user, scope=REPORT_SCOPE, pk=pk)


def verification_queue(*, user) -> dict:
    """Pesantren waiting for verification and reports waiting for review, in the user's region, oldest first.

    Unevaluated querysets, for the view to count and page: a province has thousands of reports waiting."""
    pesantren = scope_queryset(
        Pesantren.objects.select_related("kabupaten_kota").filter(status=Pesantren.Status.SUBMITTED),
        user,
        organisation_field=None,
        region_field="kabupaten_kota",
    ).order_by("status_changed_at", "pk")
    reports = scope_queryset(
        MonthlyReport.objects.select_related("pesantren", "pesantren__kabupaten_kota", "business_unit").filter(
            status=MonthlyReport.Status.SUBMITTED
        ),
        user,
        organisation_field=None,
        region_field="pesantren__kabupaten_kota",
    ).order_by("updated_at", "pk")
    return {"pesantren": pesantren, "reports": reports}


QUEUE_ROW_VIEWS = {"pesantren": "pesantren:detail", "reports": "pesantren:report_detail"}


def verification_queue_rows(*, name: str, rows) -> list:
    """One list of `verification_queue` (`name`; `rows`: a page of it) read, each row given the `url` of its page
    without a reverse per row."""
    url = url_for_each(QUEUE_ROW_VIEWS[name])
    rows = list(rows)
    for row in rows:
        row.url = url(row.pk)
    return rows


def partner_list() -> QuerySet[Partner]:
    return Partner.objects.all()
