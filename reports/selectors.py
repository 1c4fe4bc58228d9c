"""Reads for the dashboards: rollup tables only, scoped to the acting user, a fixed few queries each."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from opop.models import KabupatenKota
from opop.permissions import access_for, is_programme_staff
from reports.models import FIGURE_FIELDS, FigureRollup, PesantrenMonthRollup, Pillar, RollupRun

# Stocks (aset, workers) are read at one month; every other figure is a flow: a sum over months means something.
STOCK_FIELDS = ("aset", "workers")
FLOW_FIELDS = tuple(name for name in FIGURE_FIELDS if name not in STOCK_FIELDS)

# Reference data read on every dashboard: the 38 regions (loaded by a migration, never edited at
# runtime) and when the rollups last ran (dropped by a receiver whenever a RollupRun is written).
REGIONS_KEY = "reports:regions:v1"
DATA_AS_OF_KEY = "reports:data-as-of:v1"
CACHE_TIMEOUT = 60 * 60
_NOTHING = "none"


@dataclass(frozen=True)
class Scope:
    """What the acting user may see: None is the whole province, else one kabupaten/kota code."""

    region: str | None


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    kabupaten_kota: str | None = None
    cohort: int | None = None
    pillar: str | None = None

    @property
    def start(self) -> date | None:
        return date(self.year, 1, 1) if self.year else None

    @property
    def end(self) -> date | None:
        return date(self.year + 1, 1, 1) if self.year else None


def dashboard_scope(user) -> Scope:
    """Programme staff (their region, or the province) and superusers only; anyone else is refused."""
    if not is_programme_staff(user=user):
        raise PermissionDenied
    access = access_for(user)
    return Scope(region=None if access.province_wide else access.region)


def regions_for(scope: Scope) -> list[KabupatenKota]:
    regions = cache.get(REGIONS_KEY)
    if regions is None:
        regions = list(KabupatenKota.objects.order_by("kode"))
        cache.set(REGIONS_KEY, regions, CACHE_TIMEOUT)
    return [region for region in regions if region.kode == scope.region] if scope.region else regions


def _sums(fields=FLOW_FIELDS + STOCK_FIELDS) -> dict:
    return {field: Sum(field) for field in fields}


def rollups(scope: Scope | None, filters: Filters, *, with_period: bool = True) -> QuerySet:
    """FigureRollup rows the scope may see, narrowed by the filters. scope None: the public, province-wide."""
    qs = FigureRollup.objects.all()
    if scope is not None and scope.region:
        qs = qs.filter(kabupaten_kota_id=scope.region)
    if filters.kabupaten_kota:
        qs = qs.filter(kabupaten_kota_id=filters.kabupaten_kota)
    if filters.cohort:
        qs = qs.filter(cohort=filters.cohort)
    if filters.pillar:
        qs = qs.filter(pillar=filters.pillar)
    if with_period and filters.year:
        qs = qs.filter(month__gte=filters.start, month__lt=filters.end)
    return qs


def monthly_series(qs: QuerySet) -> list[dict]:
    """One row per month: flows summed, stocks summed over the keys of that month. One query."""
    return list(qs.values("month").annotate(**_sums()).order_by("month"))


def yearly_series(monthly: list[dict]) -> list[dict]:
    """Per year: flows summed over months; stocks as at the year's latest month with figures."""
    years: dict[int, dict] = {}
    for row in monthly:
        year = years.setdefault(row["month"].year, {"year": row["month"].year, **dict.fromkeys(FLOW_FIELDS, 0)})
        for field in FLOW_FIELDS:
            year[field] += row[field] or 0
        if row["reports"]:
            for field in STOCK_FIELDS:
                year[field] = row[field] or 0
    # Years without any figure still get a row, so running totals and trends have no silent gaps.
    for missing in range(min(years, default=0), max(years, default=-1) + 1):
        years.setdefault(missing, {"year": missing, **dict.fromkeys(FLOW_FIELDS, 0)})
    for year in years.values():
        for field in STOCK_FIELDS:
            year.setdefault(field, 0)
    return [years[key] for key in sorted(years)]


def overview_series(scope: Scope, filters: Filters) -> tuple[list[dict], list[dict], dict[str, dict], dict[int, int]]:
    """Everything the overview reads, from one query grouped by month and pillar (a few hundred rows):
    the months of the period, the months since the start (for the years), totals since the start per
    pillar and flagship products per year. Same figures as monthly_series() of the period and of all
    months plus pillar_totals_and_flagship_by_year(), in one scan of the rollups instead of two or three."""
    everything = rollups(scope, filters, with_period=False)
    rows = everything.values("month", "pillar").annotate(**_sums()).order_by("month", "pillar")
    by_month: dict[date, dict] = {}
    zero = {"participants_total": 0, "flagship_total": 0, "verified_total": 0}
    totals = {pillar: dict(zero) for pillar in Pillar.values}
    flagship: dict[int, int] = {}
    for row in rows:
        month = by_month.get(row["month"])
        if month is None:
            month = by_month[row["month"]] = {"month": row["month"], **dict.fromkeys(FLOW_FIELDS + STOCK_FIELDS, 0)}
        for field in FLOW_FIELDS + STOCK_FIELDS:
            month[field] += row[field] or 0
        pillar_total = totals.setdefault(row["pillar"], dict(zero))
        pillar_total["participants_total"] += row["participants"] or 0
        pillar_total["flagship_total"] += row["flagship_products"] or 0
        pillar_total["verified_total"] += row["pesantren_verified_net"] or 0
        year = row["month"].year
        flagship[year] = flagship.get(year, 0) + (row["flagship_products"] or 0)
    monthly_all = list(by_month.values())
    if filters.year:
        monthly = [row for row in monthly_all if filters.start <= row["month"] < filters.end]
    else:
        monthly = monthly_all
    return monthly, monthly_all, totals, flagship


def pillar_totals_and_flagship_by_year(qs: QuerySet) -> tuple[dict[str, dict], dict[int, int]]:
    """Totals since the start per pillar (participants, flagship products, verified pesantren), and
    flagship products per year. One query (per pillar and year: a few dozen rows)."""
    rows = qs.values("pillar", year=ExtractYear("month")).annotate(
        participants_total=Sum("participants"),
        flagship_total=Sum("flagship_products"),
        verified_total=Sum("pesantren_verified_net"),
    )
    zero = {"participants_total": 0, "flagship_total": 0, "verified_total": 0}
    totals = {pillar: dict(zero) for pillar in Pillar.values}
    flagship: dict[int, int] = {}
    for row in rows:
        pillar_total = totals.setdefault(row["pillar"], dict(zero))
        for key in pillar_total:
            pillar_total[key] += row[key] or 0
        flagship[row["year"]] = flagship.get(row["year"], 0) + (row["flagship_total"] or 0)
    return totals, flagship


def region_figures(scope: Scope, filters: Filters, year: int) -> dict[str, dict]:
    """Per kabupaten/kota: `year` and the year before, and verified pesantren at the end of `year`. One query."""
    qs = rollups(scope, filters, with_period=False)
    current = Q(month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1))
    previous = Q(month__gte=date(year - 1, 1, 1), month__lt=date(year, 1, 1))
    fields = ("omzet", "jobs_created", "contribution", "contribution_pct_bp_sum", "contribution_reports")
    fields += ("mart_sales", "samsat_payments", "samsat_amount", "flagship_products", "reports")
    # Aggregates get an "a_" prefix: an alias equal to a field name would shadow the field.
    annotations = {f"a_{field}": Sum(field, filter=current) for field in fields}
    annotations |= {f"a_previous_{field}": Sum(field, filter=previous) for field in ("omzet", "jobs_created")}
    annotations["a_verified"] = Sum("pesantren_verified_net", filter=Q(month__lt=date(year + 1, 1, 1)))
    rows = qs.values("kabupaten_kota_id").annotate(**annotations)
    return {
        row["kabupaten_kota_id"]: {key.removeprefix("a_"): value or 0 for key, value in row.items()} for row in rows
    }


def cohort_growth(scope: Scope | None, filters: Filters) -> list[dict]:
    """Omzet and jobs per cohort and calendar year (pesantrenpreneur). One query."""
    qs = rollups(scope, filters, with_period=False).filter(cohort__isnull=False, pillar=Pillar.PESANTRENPRENEUR)
    return list(
        qs.values("cohort", year=ExtractYear("month"))
        .annotate(omzet=Sum("omzet"), jobs_created=Sum("jobs_created"), reports=Sum("reports"))
        .order_by("cohort", "year")
    )


def pesantren_figures(scope: Scope, kode: str, filters: Filters) -> list[dict]:
    """Per pesantren in one kabupaten/kota over the period, with names for the staff drill-down. One query."""
    qs = PesantrenMonthRollup.objects.filter(kabupaten_kota_id=kode)
    if scope.region and scope.region != kode:
        qs = qs.none()
    if filters.year:
        qs = qs.filter(month__gte=filters.start, month__lt=filters.end)
    if filters.cohort:
        qs = qs.filter(cohort=filters.cohort)
    return list(
        qs.values("pesantren_id", "pesantren__name", "cohort")
        .annotate(
            omzet=Sum("omzet"),
            jobs_created=Sum("jobs_created"),
            contribution=Sum("contribution"),
            operating_costs=Sum("operating_costs"),
            reports=Sum("reports"),
        )
        .order_by("-omzet", "pesantren__name")
    )


def reporting_pesantren_counts() -> tuple[dict[date, int], dict[int, int]]:
    """How many pesantren have verified figures, per month and per year (distinct). Two queries."""
    per_month = dict(
        PesantrenMonthRollup.objects.values("month").annotate(n=Count("pesantren_id")).values_list("month", "n")
    )
    per_year = dict(
        PesantrenMonthRollup.objects.values(year=ExtractYear("month"))
        .annotate(n=Count("pesantren_id", distinct=True))
        .values_list("year", "n")
    )
    return per_month, per_year


def contributing_regions_per_year() -> dict[int, dict[str, int]]:
    """Per year, how many kabupaten/kota had OPOP Mart sales and Samsat payments. One query.

    Every store and every Samsat outlet sits in one kabupaten/kota, so N regions mean at least N of them:
    a cheap, conservative stand-in for a count of stores or outlets, read from the rollups alone."""
    rows = (
        FigureRollup.objects.values(year=ExtractYear("month"))
        .annotate(
            mart=Count("kabupaten_kota", distinct=True, filter=Q(mart_sales__gt=0)),
            samsat=Count("kabupaten_kota", distinct=True, filter=Q(samsat_payments__gt=0)),
        )
        .values_list("year", "mart", "samsat")
    )
    return {year: {"mart": mart, "samsat": samsat} for year, mart, samsat in rows}


def rollup_state() -> tuple[int, datetime, datetime | None] | None:
    """The latest rollup run of any kind (id, finished) and "data as of" (when the latest run that is
    not a check finished), or None before the first run. One query."""
    as_of = RollupRun.objects.exclude(kind=RollupRun.Kind.CHECK).order_by("-finished_at").values("finished_at")[:1]
    return (
        RollupRun.objects.order_by("-pk")
        .annotate(as_of=Subquery(as_of))
        .values_list("pk", "finished_at", "as_of")
        .first()
    )


def data_as_of():
    finished_at = cache.get(DATA_AS_OF_KEY)
    if finished_at is None:
        run = RollupRun.objects.exclude(kind=RollupRun.Kind.CHECK).order_by("-finished_at").first()
        finished_at = run.finished_at if run else _NOTHING
        cache.set(DATA_AS_OF_KEY, finished_at, CACHE_TIMEOUT)
    return None if finished_at == _NOTHING else finished_at


def data_as_of_forget() -> None:
    cache.delete(DATA_AS_OF_KEY)


OTHER_REGIONS = "other"


def bilateral_trade_pairs(scope: Scope, filters: Filters) -> list[dict]:
    """Bilateral trade by (buyer's kabupaten/kota, supplier's kabupaten/kota): paid B2B invoices and OPOP Mart
    orders bought on behalf of a pesantren (goods value, the one omzet definition), in the filters' year (all
    years without one). A region-scoped staff member sees the pairs with their region on either side, the other
    side summed as "other regencies/cities". Two
    aggregate queries; largest value first."""
    from marketplace.b2b.selectors import bilateral_trade_facts
    from marketplace.orders import omzet

    start = filters.start or date(2000, 1, 1)
    end = filters.end or date(2100, 1, 1)
    pairs: dict[tuple[str, str], dict] = {}

    def add(buyer: str | None, supplier: str | None, trades: int, value: int) -> None:
        if not buyer or not supplier:
            return
        if scope.region:
            # A region's staff see their region's trade; the other side is summed as "other regions".
            if scope.region not in (buyer, supplier):
                return
            buyer, supplier = (b if b == scope.region else OTHER_REGIONS for b in (buyer, supplier))
        row = pairs.setdefault((buyer, supplier), {"trades": 0, "value": 0})
        row["trades"] += trades
        row["value"] += value

    for fact in bilateral_trade_facts(start, end):
        add(fact.buyer_kabupaten_kota, fact.supplier_kabupaten_kota, fact.invoices, fact.value)
    retail = (
        omzet.sold_orders()
        .filter(buyer_organisation__isnull=False)
        .filter(**{f"{omzet.SALE_DATE}__date__gte": start, f"{omzet.SALE_DATE}__date__lt": end})
        .values(
            buyer_region=F("buyer_organisation__kabupaten_kota_id"),
            supplier_region=F("store__organisation__kabupaten_kota_id"),
        )
        .order_by()
        .annotate(trades=Count("id"), value=Sum(omzet.OMZET))
    )
    for row in retail:
        add(row["buyer_region"], row["supplier_region"], row["trades"], row["value"] or 0)
    labels = {region.kode: region.label for region in regions_for(Scope(region=None))}
    labels[OTHER_REGIONS] = str(_("Other regencies/cities"))
    rows = [
        {"buyer": labels.get(buyer, buyer), "supplier": labels.get(supplier, supplier), **figures}
        for (buyer, supplier), figures in pairs.items()
    ]
    return sorted(rows, key=lambda row: (-row["value"], row["buyer"], row["supplier"]))
