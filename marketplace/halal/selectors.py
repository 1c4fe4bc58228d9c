"""Reads of the halal app, scoped to the acting user with their relations fetched in a fixed number of queries."""

from datetime import date

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.halal.models import BUSINESS_KINDS, CaseStatus, Certificate, FlagshipProposal, HalalCase
from marketplace.models import Product
from opop.models import Membership
from opop.permissions import access_for, scope_queryset

BUSINESS_ROLES = (Membership.Role.OWNER, Membership.Role.STAFF)

# Mandatory halal certification for micro and small food and beverage producers (UU 33/2014 as amended,
# PP 42/2024): the phase-in for these businesses ended on this day.
FOOD_DEADLINE = date(2026, 10, 17)
# Catalogue categories (by slug, a root or its children) whose products are food or beverages.
FOOD_CATEGORY_SLUGS = ("makanan-minuman", "beras", "madu")

QUEUE_STATUS_CHOICES = [
    ("certified", _("Certified")),
    ("none", _("No case yet")),
    *CaseStatus.choices,
]


def cases_for(*, user) -> QuerySet[HalalCase]:
    """Cases the user may open: their businesses' cases, their assignments, staff by region."""
    scoped = scope_queryset(
        HalalCase.objects.all(),
        user,
        organisation_field="organisation",
        region_field="organisation__kabupaten_kota",
        roles=BUSINESS_ROLES,
    )
    if user.is_authenticated:
        scoped = scoped | HalalCase.objects.filter(assignee=user)
    return scoped.select_related("organisation__kabupaten_kota", "assignee").prefetch_related("products")


def case_detail_for(*, user, pk: int) -> HalalCase:
    from django.http import Http404

    case = cases_for(user=user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def business_organisations(*, user):
    """Businesses the user may open cases for."""
    from opop.models import Organisation

    ids = access_for(user).organisation_ids(roles=BUSINESS_ROLES, kinds=BUSINESS_KINDS)
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name")


def food_products() -> QuerySet[Product]:
    food = Q(category__slug__in=FOOD_CATEGORY_SLUGS) | Q(category__parent__slug__in=FOOD_CATEGORY_SLUGS)
    return Product.objects.filter(food, is_active=True, store__organisation__kind__in=BUSINESS_KINDS)


def valid_certificates(*, on: date | None = None) -> QuerySet[Certificate]:
    on = on or timezone.localdate()
    return Certificate.objects.filter(revoked=False, issued_on__lte=on).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )


def annotate_halal(queryset: QuerySet[Product], *, on: date | None = None) -> QuerySet[Product]:
    latest_case = HalalCase.objects.filter(products=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        # `pk IN (certified products)`, not EXISTS: PostgreSQL hashes the list once, and the plan's cost stays low
        # enough that it does not JIT-compile a 50-row page (an EXISTS is costed per row: 1.7 s of JIT at 38,000).
        certified=ExpressionWrapper(Q(pk__in=certified_product_ids(on=on)), output_field=BooleanField()),
        case_status=Subquery(latest_case.values("status")[:1]),
        case_scheme=Subquery(latest_case.values("scheme")[:1]),
        case_pk=Subquery(latest_case.values("pk")[:1]),
    )


def certified_product_ids(*, on: date | None = None) -> QuerySet:
    """Ids of the products a valid certificate covers on `on` (today by default): a subquery without NULLs (a
    NULL in `pk IN (…)` would make every other product's status unknown rather than false)."""
    return Certificate.products.through.objects.filter(certificate__in=valid_certificates(on=on)).values("product_id")


def product_queue(*, user, on: date | None = None) -> QuerySet[Product]:
    """Food and beverage products of OPOP businesses with their halal status, scoped by region."""
    scoped = scope_queryset(
        food_products(),
        user,
        organisation_field="store__organisation",
        region_field="store__organisation__kabupaten_kota",
        roles=BUSINESS_ROLES,
    )
    return (
        annotate_halal(scoped, on=on)
        .select_related("store__organisation__kabupaten_kota", "category")
        .order_by("certified", "store__organisation__kabupaten_kota_id", "store__name", "name", "id")
    )


def latest_case_links() -> QuerySet:
    """The (case, product) links of each product's latest case (by created_at, then id): one row a product.

    An anti-join (no newer case of the same product), which the database runs as one join over the links rather
    than a subquery per product.
    """
    links = HalalCase.products.through.objects
    newer = links.filter(product_id=OuterRef("product_id")).filter(
        Q(halalcase__created_at__gt=OuterRef("halalcase__created_at"))
        | Q(halalcase__created_at=OuterRef("halalcase__created_at"), halalcase_id__gt=OuterRef("halalcase_id"))
    )
    return links.filter(~Exists(newer))


IN_PROCESS = (CaseStatus.SUBMITTED, CaseStatus.ASSIGNED, CaseStatus.VERIFICATION, CaseStatus.FATWA)


def queue_figures(queryset: QuerySet[Product], *, on: date | None = None) -> dict[str, int]:
    """Counts for the dashboards: certified, in process, and not started (no case, a draft or a rejection).

    Two grouped queries whatever the number of products: the list and its certified ones counted in SQL, then
    the latest case of the others by status; never a row per product in Python.
    """
    products = Product.objects.filter(pk__in=queryset.order_by().values("pk"))
    certified = certified_product_ids(on=on)
    counts = products.aggregate(total=Count("pk"), certified=Count("pk", filter=Q(pk__in=certified)))
    in_process = (
        latest_case_links()
        .filter(product__in=products.exclude(pk__in=certified).values("pk"), halalcase__status__in=IN_PROCESS)
        .count()
    )
    return {
        "total": counts["total"],
        "certified": counts["certified"],
        "in_process": in_process,
        "not_started": counts["total"] - counts["certified"] - in_process,
    }


def urgency(product, *, today: date | None = None) -> tuple[str, str]:
    """(css level, label) of how urgent a queue row is, after the 17 October 2026 deadline."""
    today = today or timezone.localdate()
    if product.certified:
        return "ok", str(_("Certified"))
    if today <= FOOD_DEADLINE:
        return "soon", str(_("%(days)s days to the deadline") % {"days": (FOOD_DEADLINE - today).days})
    days = (today - FOOD_DEADLINE).days
    if product.case_status in (None, CaseStatus.DRAFT, CaseStatus.REJECTED):
        return "critical", str(_("Overdue %(days)s days, not in process") % {"days": days})
    return "late", str(_("Overdue %(days)s days, in process") % {"days": days})


def flagship_proposals_for(*, user) -> QuerySet[FlagshipProposal]:
    return scope_queryset(
        FlagshipProposal.objects.all(),
        user,
        organisation_field="product__store__organisation",
        region_field="product__store__organisation__kabupaten_kota",
        roles=BUSINESS_ROLES,
    ).select_related("product__store__organisation__kabupaten_kota", "proposed_by", "decided_by")


def certificate_public(*, number: str) -> Certificate | None:
    return (
        Certificate.objects.filter(number=number.strip().upper())
        .select_related("organisation__kabupaten_kota")
        .prefetch_related("products")
        .first()
    )


def legality_records_for(*, user) -> QuerySet:
    from marketplace.halal.models import LegalityRecord

    return scope_queryset(
        LegalityRecord.objects.all(),
        user,
        organisation_field="product__store__organisation",
        region_field="product__store__organisation__kabupaten_kota",
        roles=BUSINESS_ROLES,
    ).select_related("product__store__organisation__kabupaten_kota", "verified_by")


def flagship_progress(*, user) -> list[dict]:
    """Per year: the target and the products approved that year (in the user's region for regional staff)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from marketplace.halal.models import FlagshipStatus, FlagshipTarget

    approved = dict(
        flagship_proposals_for(user=user)
        .filter(status=FlagshipStatus.APPROVED)
        .annotate(year=ExtractYear("decided_at", tzinfo=timezone.get_current_timezone()))
        .values("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
    )
    targets = dict(FlagshipTarget.objects.values_list("year", "target"))
    return [
        {"year": year, "target": targets.get(year), "approved": approved.get(year, 0)}
        for year in sorted(set(targets) | set(approved), reverse=True)
    ]


def flagship_by_region(*, user, year: int) -> list[tuple[str, int]]:
    """(kabupaten/kota label, approved flagship products) in `year`, most first."""
    from django.db.models import Count

    from marketplace.halal.models import FlagshipStatus
    from opop.models import KabupatenKota

    rows = list(
        flagship_proposals_for(user=user)
        .filter(status=FlagshipStatus.APPROVED, decided_at__year=year)
        .values_list("product__store__organisation__kabupaten_kota")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    labels = {k.kode: k.label for k in KabupatenKota.objects.filter(kode__in=[kode for kode, _n in rows])}
    return [(labels.get(kode, "—"), n) for kode, n in rows]
