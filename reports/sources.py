"""Where the programme's figures come from: one source class per kind of fact.

Each source computes, with aggregate queries only, the figure rows for a set of (month,
kabupaten/kota) keys, or for every key when `keys` is None (the full rebuild). A row is keyed by
(month, kabupaten/kota, pillar, cohort) and carries some of `FIGURE_FIELDS`; the rollup service
adds the rows of all sources together.

A new kind of fact is one small class appended to `SOURCES`: a `figure_rows(keys)` that narrows a queryset
with `self.restrict(...)` and yields ((month, kabupaten/kota, pillar, cohort), {field: value}) rows.
`SantripreneurSource` and `SosiopreneurSource` below are two such classes.
(reports/tests/test_rollups.py has such a source, built on pesantren rows, to prove the point.)
"""

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from opop.figures import next_month
from reports.models import Pillar

Key = tuple[date, str]  # (first day of the month, kabupaten/kota code)
RowKey = tuple[date, str, str, int | None]  # (month, kabupaten/kota, pillar, cohort)


def as_month(value) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def _pillar_of_kind():
    from opop.models import Organisation

    return {
        Organisation.Kind.PESANTREN: Pillar.PESANTRENPRENEUR,
        Organisation.Kind.SANTRI_BUSINESS: Pillar.SANTRIPRENEUR,
        Organisation.Kind.ALUMNI_BUSINESS: Pillar.SOSIOPRENEUR,
    }


class Source:
    """Base class: helpers to restrict a fact queryset to keys and to shape result rows."""

    name = ""

    def figure_rows(self, keys: set[Key] | None) -> Iterable[tuple[RowKey, dict]]:
        return ()

    def pesantren_rows(self, keys: set[Key] | None) -> Iterable[dict]:
        return ()

    # -- helpers --------------------------------------------------------------------------------

    @staticmethod
    def restrict(qs, keys: set[Key] | None, *, month: str, region: str | None, moment: bool = False):
        """Narrow `qs` to the months and regions of `keys` (rows outside the exact keys are dropped later).

        With `region` None only the months are narrowed; the caller narrows the regions itself.
        """
        if keys is None:
            return qs
        if not keys:
            return qs.none()
        months = {m for m, _k in keys}
        regions = {k for _m, k in keys}
        first, last = min(months), next_month(max(months))
        if moment:
            tz = timezone.get_current_timezone()
            first = datetime.combine(first, time.min, tzinfo=tz)
            last = datetime.combine(last, time.min, tzinfo=tz)
        qs = qs.filter(**{f"{month}__gte": first, f"{month}__lt": last})
        return qs if region is None else qs.filter(**{f"{region}__in": regions})

    @staticmethod
    def month_of(field: str):
        return TruncMonth(field)

    @staticmethod
    def wanted(keys: set[Key] | None, month, region) -> bool:
        return keys is None or (as_month(month), region) in keys

    @staticmethod
    def pillar_case(kind_field: str):
        return Case(
            *[When(**{kind_field: kind}, then=Value(str(pillar))) for kind, pillar in _pillar_of_kind().items()],
            default=Value(""),
        )


def _verified_reports():
    """Verified reports that count: a whole-pesantren report, else the business units' reports of that month."""
    from pesantren.models import MonthlyReport

    verified = MonthlyReport.objects.filter(status=MonthlyReport.Status.VERIFIED)
    whole = verified.filter(business_unit__isnull=True, pesantren_id=OuterRef("pesantren_id"), month=OuterRef("month"))
    return verified.filter(Q(business_unit__isnull=True) | ~Exists(whole))


# Rollup field -> aggregate over reports. Aggregates are annotated as "r_<field>", apart from the model's names.
REPORT_SUMS = {
    "omzet": lambda: Sum("omzet"),
    "aset": lambda: Sum("aset"),
    "workers": lambda: Sum("workers_total"),
    "jobs_created": lambda: Sum("jobs_created"),
    "contribution": lambda: Sum("operating_contribution"),
    "operating_costs": lambda: Sum("operating_costs"),
    "reports": lambda: Count("id"),
}


def _report_sums() -> dict:
    return {f"r_{field}": make() for field, make in REPORT_SUMS.items()}


def _unprefix(row: dict) -> dict:
    return {key.removeprefix("r_"): value for key, value in row.items()}


class MonthlyReportSource(Source):
    """Pesantrenpreneur: verified monthly business reports (omzet, aset, workers, jobs, contribution)."""

    name = "pesantren_reports"

    def figure_rows(self, keys):
        qs = self.restrict(_verified_reports(), keys, month="month", region="pesantren__kabupaten_kota_id")
        pct = ExpressionWrapper(
            F("operating_contribution") * 10000 / F("operating_costs"), output_field=BigIntegerField()
        )
        rows = qs.values("month", k=F("pesantren__kabupaten_kota_id"), cohort=F("pesantren__cohort")).annotate(
            **_report_sums(),
            r_contribution_pct_bp_sum=Coalesce(
                Sum(Case(When(operating_costs__gt=0, then=pct), default=Value(0), output_field=BigIntegerField())),
                Value(0),
                output_field=BigIntegerField(),
            ),
            r_contribution_reports=Count("id", filter=Q(operating_costs__gt=0)),
        )
        for row in rows:
            if self.wanted(keys, row["month"], row["k"]):
                month, region, cohort = row.pop("month"), row.pop("k"), row.pop("cohort")
                yield (month, region, Pillar.PESANTRENPRENEUR.value, cohort), _unprefix(row)

    def pesantren_rows(self, keys):
        qs = self.restrict(_verified_reports(), keys, month="month", region="pesantren__kabupaten_kota_id")
        rows = qs.values(
            "month", "pesantren_id", kabupaten_kota_id=F("pesantren__kabupaten_kota_id"), cohort=F("pesantren__cohort")
        ).annotate(**_report_sums())
        for row in rows:
            if self.wanted(keys, row["month"], row["kabupaten_kota_id"]):
                yield _unprefix(row)


class VerifiedPesantrenSource(Source):
    """Pesantrenpreneur: pesantren joining (verified/active) or leaving (inactive), per cohort."""

    name = "pesantren_status"

    def figure_rows(self, keys):
        from pesantren.models import Pesantren, StatusChange

        counted = [Pesantren.Status.VERIFIED, Pesantren.Status.ACTIVE]
        joined = Q(to_status__in=counted) & ~Q(from_status__in=counted)
        left = Q(from_status__in=counted) & ~Q(to_status__in=counted)
        qs = self.restrict(
            StatusChange.objects.filter(joined | left),
            keys,
            month="created_at",
            region="pesantren__kabupaten_kota_id",
            moment=True,
        )
        rows = qs.values(
            m=self.month_of("created_at"), k=F("pesantren__kabupaten_kota_id"), cohort=F("pesantren__cohort")
        ).annotate(joined=Count("id", filter=joined), left=Count("id", filter=left))
        for row in rows:
            if self.wanted(keys, row["m"], row["k"]) and row["joined"] != row["left"]:
                key = (as_month(row["m"]), row["k"], Pillar.PESANTRENPRENEUR.value, row["cohort"])
                yield key, {"pesantren_verified_net": row["joined"] - row["left"]}


class FlagshipProductSource(Source):
    """Flagship products (produk unggulan) on sale in OPOP Mart, counted in the month they were listed."""

    name = "flagship_products"

    def figure_rows(self, keys):
        from marketplace.models import Product

        region = "store__organisation__kabupaten_kota_id"
        qs = self.restrict(
            Product.objects.filter(is_flagship=True, is_active=True),
            keys,
            month="created_at",
            region=region,
            moment=True,
        )
        rows = qs.values(
            m=self.month_of("created_at"),
            k=F(region),
            pillar=self.pillar_case("store__organisation__kind"),
            cohort=F("store__organisation__pesantren__cohort"),
        ).annotate(flagship_products=Count("id"))
        for row in rows:
            if row["k"] and row["pillar"] and self.wanted(keys, row["m"], row["k"]):
                yield (
                    (as_month(row["m"]), row["k"], row["pillar"], row["cohort"]),
                    {"flagship_products": row["flagship_products"]},
                )


class MartSalesSource(Source):
    """OPOP Mart omzet by the one definition (marketplace.orders.omzet, docs/sales-definition.md): the goods value of
    orders paid and not cancelled or refunded, in the month of payment (WIB), by the seller's region. Shipping is
    left out (it passes through to the courier); `mart_p2p_sales` is the part bought on behalf of a pesantren
    (transaksi bilateral), whatever kind of organisation sold it.
    """

    name = "mart_sales"

    def figure_rows(self, keys):
        from marketplace.orders import omzet

        region = "store__organisation__kabupaten_kota_id"
        qs = self.restrict(omzet.sold_orders(), keys, month=omzet.SALE_DATE, region=region, moment=True)
        rows = qs.values(
            m=self.month_of(omzet.SALE_DATE),
            k=F(region),
            pillar=self.pillar_case("store__organisation__kind"),
            cohort=F("store__organisation__pesantren__cohort"),
        ).annotate(
            mart_orders=Count("id"),
            mart_sales=Sum(omzet.OMZET),
            mart_p2p_sales=Sum(omzet.OMZET, filter=Q(buyer_organisation__isnull=False)),
        )
        for row in rows:
            if row["k"] and row["pillar"] and self.wanted(keys, row["m"], row["k"]):
                yield (
                    (as_month(row["m"]), row["k"], row["pillar"], row["cohort"]),
                    {
                        "mart_orders": row["mart_orders"],
                        "mart_sales": row["mart_sales"] or 0,
                        "mart_p2p_sales": row["mart_p2p_sales"] or 0,
                    },
                )


class B2BTradeSource(Source):
    """Bilateral trade through B2B procurement (marketplace.b2b): paid invoices, in the month paid (WIB), by the
    supplier's region and pillar, in the same `mart_p2p_sales` figure as retail bought on behalf of a pesantren,
    so "transaksi bilateral" is one number whichever way the pesantren bought."""

    name = "b2b_trade"

    def figure_rows(self, keys):
        from marketplace.b2b.selectors import bilateral_trade_facts

        if keys is None:
            start, end = date(2000, 1, 1), date(2100, 1, 1)
        elif not keys:
            return
        else:
            months = sorted(month for month, _region in keys)
            start, end = months[0], next_month(months[-1])
        for fact in bilateral_trade_facts(start, end):
            region, pillar = fact.supplier_kabupaten_kota, fact.supplier_pillar
            if region and pillar and self.wanted(keys, fact.month, region):
                yield (fact.month, region, pillar, None), {"mart_p2p_sales": fact.value}


class SamsatSource(Source):
    """Samsat OPOP: payments the biller confirmed and nobody reversed, by business day and outlet region.

    Payments are grouped by outlet in SQL and the outlets' regions and cohorts added from a small
    lookup: joining the organisation and pesantren tables to a filter on each payment's latest
    outcome left PostgreSQL expecting a few dozen rows and looping over every organisation for
    each payment (minutes at province scale).
    """

    name = "samsat"

    def figure_rows(self, keys):
        from pesantren.samsat.models import Outlet, Payment, PaymentOutcome, Reversal

        outlets = {
            row["pk"]: (row["k"], row["cohort"])
            for row in Outlet.objects.values(
                "pk", k=F("organisation__kabupaten_kota_id"), cohort=F("organisation__pesantren__cohort")
            )
        }
        latest = PaymentOutcome.objects.filter(payment=OuterRef("pk")).order_by("-created_at", "-id")
        qs = Payment.objects.annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            is_reversed=Exists(Reversal.objects.filter(payment=OuterRef("pk"))),
        ).filter(latest_status=PaymentOutcome.Status.CONFIRMED, is_reversed=False)
        if keys is not None:
            regions = {k for _m, k in keys}
            qs = self.restrict(qs, keys, month="business_day", region=None).filter(
                outlet_id__in=[pk for pk, (k, _c) in outlets.items() if k in regions]
            )
        totals: dict[RowKey, dict] = {}
        rows = qs.values("outlet_id", m=self.month_of("business_day")).annotate(n=Count("id"), amount=Sum("total"))
        for row in rows:
            region, cohort = outlets[row["outlet_id"]]
            if region and self.wanted(keys, row["m"], region):
                key = (as_month(row["m"]), region, Pillar.PESANTRENPRENEUR.value, cohort)
                target = totals.setdefault(key, {"samsat_payments": 0, "samsat_amount": 0})
                target["samsat_payments"] += row["n"]
                target["samsat_amount"] += row["amount"] or 0
        yield from totals.items()


class SantripreneurSource(Source):
    """Santripreneur: santri counted in the month they became santripreneurs, by their pesantren's cohort."""

    name = "santripreneur"

    def figure_rows(self, keys):
        from santri.models import Santri

        region = "pesantren__kabupaten_kota_id"
        qs = self.restrict(
            Santri.objects.filter(santripreneur_since__isnull=False), keys, month="santripreneur_since", region=region
        )
        rows = qs.values(m=self.month_of("santripreneur_since"), k=F(region), cohort=F("pesantren__cohort")).annotate(
            n=Count("id")
        )
        for row in rows:
            if self.wanted(keys, row["m"], row["k"]):
                yield (
                    (as_month(row["m"]), row["k"], Pillar.SANTRIPRENEUR.value, row["cohort"]),
                    {"participants": row["n"]},
                )


class SosiopreneurSource(Source):
    """Sosiopreneur: alumni businesses counted in the month they registered, and their verified omzet."""

    name = "sosiopreneur"

    def figure_rows(self, keys):
        from alumni.models import AlumniBusiness, AlumniReport

        businesses = self.restrict(
            AlumniBusiness.objects.all(), keys, month="created_at", region="kabupaten_kota_id", moment=True
        )
        for row in businesses.values(m=self.month_of("created_at"), k=F("kabupaten_kota_id")).annotate(n=Count("id")):
            if self.wanted(keys, row["m"], row["k"]):
                yield (as_month(row["m"]), row["k"], Pillar.SOSIOPRENEUR.value, None), {"participants": row["n"]}
        region = "business__kabupaten_kota_id"
        reports = self.restrict(
            AlumniReport.objects.filter(status=AlumniReport.Status.VERIFIED), keys, month="month", region=region
        )
        for row in reports.values("month", k=F(region)).annotate(omzet=Sum("omzet")):
            if self.wanted(keys, row["month"], row["k"]):
                yield (row["month"], row["k"], Pillar.SOSIOPRENEUR.value, None), {"omzet": row["omzet"]}


class HalalCertificateSource(Source):
    """Halal certificates issued through the programme's facilitation (withdrawn ones not counted), by issue month."""

    name = "halal_certificates"

    def figure_rows(self, keys):
        from marketplace.halal.models import Certificate

        region = "organisation__kabupaten_kota_id"
        qs = self.restrict(Certificate.objects.filter(revoked=False), keys, month="issued_on", region=region)
        rows = qs.values(
            m=self.month_of("issued_on"),
            k=F(region),
            pillar=self.pillar_case("organisation__kind"),
            cohort=F("organisation__pesantren__cohort"),
        ).annotate(n=Count("id"))
        for row in rows:
            if row["k"] and row["pillar"] and self.wanted(keys, row["m"], row["k"]):
                yield (as_month(row["m"]), row["k"], row["pillar"], row["cohort"]), {"halal_certificates": row["n"]}


SOURCES: list[Source] = [
    MonthlyReportSource(),
    VerifiedPesantrenSource(),
    FlagshipProductSource(),
    MartSalesSource(),
    B2BTradeSource(),
    SamsatSource(),
    SantripreneurSource(),
    SosiopreneurSource(),
    HalalCertificateSource(),
]


def compute(keys: set[Key] | None) -> tuple[dict[RowKey, dict], list[dict]]:
    """All sources' figure rows for `keys` (None: every key), added together, and the per-pesantren rows."""
    figures: dict[RowKey, dict] = {}
    pesantren: list[dict] = []
    for source in SOURCES:
        for key, values in source.figure_rows(keys):
            target = figures.setdefault(key, {})
            for field, value in values.items():
                target[field] = target.get(field, 0) + (value or 0)
        pesantren.extend(source.pesantren_rows(keys))
    return figures, pesantren
