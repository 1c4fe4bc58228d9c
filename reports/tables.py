"""Report generators: each builds `Table`s (period, scope, rows) from the selectors. Pages render them
with one template; `reports.formatters` turns the same tables into CSV and XLSX."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opop.tables import Column, Table, display_value
from reports import charts, selectors
from reports.models import Pillar
from reports.selectors import Filters, Scope

# The overview's tiles: flows summed over the chosen period.
DASHBOARD_TOTALS = ("omzet", "jobs_created", "mart_sales", "samsat_payments", "halal_certificates")

TARGETS = {
    Pillar.SANTRIPRENEUR: 1_000_000,
    Pillar.PESANTRENPRENEUR: 1_000,  # flagship products
    Pillar.SOSIOPRENEUR: 1_000,
}
YEARLY_PRODUCT_TARGETS = {2019: 150, 2020: 200, 2021: 200, 2022: 200, 2023: 250}


def _average_pct(row: dict) -> float | None:
    return row["contribution_pct_bp_sum"] / row["contribution_reports"] / 100 if row["contribution_reports"] else None


def _change(current: int, previous: int) -> float | None:
    return (current - previous) * 100 / previous if previous else None


FIGURE_COLUMNS = [
    Column("omzet", _("Turnover (omzet)"), "rupiah"),
    Column("aset", _("Assets (aset)"), "rupiah"),
    Column("jobs_created", _("Jobs created")),
    Column("contribution", _("Contribution to operating costs"), "rupiah"),
    Column("contribution_avg_pct", _("Average contribution"), "pct"),
    Column("mart_orders", _("OPOP Mart orders")),
    Column("mart_sales", _("OPOP Mart omzet (goods value, without shipping)"), "rupiah"),
    Column("mart_p2p_sales", _("Bilateral trade (retail on behalf of a pesantren and B2B)"), "rupiah"),
    Column("samsat_payments", _("Samsat payments")),
    Column("samsat_amount", _("Samsat amount"), "rupiah"),
]


def _month_chart(title, rows: list[dict], field: str, series_label) -> str:
    """A bar per calendar month from the first to the last month with figures; empty months show as 0."""
    values = {row["month"]: row[field] or 0 for row in rows}
    labels, points = [], []
    if values:
        month, last = min(values), max(values)
        while month <= last:
            labels.append(f"{month:%Y-%m}")
            points.append(values.get(month, 0))
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return charts.bar_chart(str(title), labels, charts.Series(str(series_label), points))


def _figure_rows(rows: list[dict], label_key: str, label) -> list[dict]:
    return [{label_key: label(row), **row, "contribution_avg_pct": _average_pct(row)} for row in rows]


def overview(scope: Scope, filters: Filters, *, today: date) -> dict:
    """Programme overview: pillars against targets, trends by month and year, services' volume."""
    monthly, monthly_all, totals, products = selectors.overview_series(scope, filters)
    yearly = selectors.yearly_series(monthly_all)
    flagship_total = sum(total["flagship_total"] for total in totals.values())
    pillar_rows = [
        {
            "pillar": str(Pillar.PESANTRENPRENEUR.label),
            "measure": str(_("Flagship products")),
            "achieved": flagship_total,
            "target": TARGETS[Pillar.PESANTRENPRENEUR],
        },
        {
            "pillar": str(Pillar.SANTRIPRENEUR.label),
            "measure": str(_("Santri entrepreneurs")),
            "achieved": totals[Pillar.SANTRIPRENEUR]["participants_total"],
            "target": TARGETS[Pillar.SANTRIPRENEUR],
        },
        {
            "pillar": str(Pillar.SOSIOPRENEUR.label),
            "measure": str(_("Alumni entrepreneurs")),
            "achieved": totals[Pillar.SOSIOPRENEUR]["participants_total"],
            "target": TARGETS[Pillar.SOSIOPRENEUR],
        },
    ]
    for row in pillar_rows:
        row["progress"] = row["achieved"] * 100 / row["target"]
    pillar_rows.insert(
        1,
        {
            "pillar": str(Pillar.PESANTRENPRENEUR.label),
            "measure": str(_("Verified pesantren")),
            "achieved": totals[Pillar.PESANTRENPRENEUR]["verified_total"],
            "target": None,
            "progress": None,
        },
    )
    month_rows = _figure_rows(monthly, "period", lambda row: f"{row['month']:%Y-%m}")
    year_rows = _figure_rows(yearly, "period", lambda row: str(row["year"]))
    product_rows = [
        {"year": year, "target": target, "achieved": products.get(year, 0)}
        for year, target in YEARLY_PRODUCT_TARGETS.items()
    ] + [{"year": year, "target": None, "achieved": count} for year, count in sorted(products.items()) if year > 2023]
    tables = [
        Table(
            "pillars",
            _("Pillars against their targets"),
            [
                Column("pillar", _("Pillar"), "text"),
                Column("measure", _("Measure"), "text"),
                Column("achieved", _("Achieved")),
                Column("target", _("Target")),
                Column("progress", _("Progress"), "pct"),
            ],
            pillar_rows,
            note=_("Santripreneur and sosiopreneur counts appear once their registries are connected."),
        ),
        Table(
            "monthly",
            _("Figures by month"),
            [Column("period", _("Month"), "text"), *FIGURE_COLUMNS],
            month_rows,
            chart=_month_chart(_("Turnover (omzet) by month"), month_rows, "omzet", _("Omzet")),
            note=_("Assets are the sum of the assets reported in that month."),
        ),
        Table(
            "yearly",
            _("Figures by year"),
            [Column("period", _("Year"), "text"), *FIGURE_COLUMNS],
            year_rows,
            chart=charts.line_chart(
                str(_("Turnover and assets by year")),
                [row["period"] for row in year_rows],
                [
                    charts.Series(str(_("Omzet")), [row["omzet"] for row in year_rows]),
                    charts.Series(str(_("Aset")), [row["aset"] for row in year_rows]),
                ],
            ),
            note=_("Assets of a year are those of its latest reported month."),
        ),
        Table(
            "flagship-products",
            _("New flagship products against the yearly targets"),
            [Column("year", _("Year"), "text"), Column("target", _("Target")), Column("achieved", _("New products"))],
            product_rows,
            chart=charts.bar_chart(
                str(_("New flagship products by year")),
                [str(row["year"]) for row in product_rows],
                charts.Series(str(_("Products")), [row["achieved"] for row in product_rows]),
            ),
        ),
    ]
    tables.append(
        Table(
            "bilateral-pairs",
            _("Bilateral trade between regions"),
            [
                Column("buyer", _("Buyer's regency/city"), "text"),
                Column("supplier", _("Supplier's regency/city"), "text"),
                Column("trades", _("Trades")),
                Column("value", _("Value"), "rupiah"),
            ],
            selectors.bilateral_trade_pairs(scope, filters),
            note=_(
                "Paid B2B invoices and OPOP Mart orders bought on behalf of a pesantren (goods value), whatever "
                "kind of organisation sold them."
            ),
        )
    )
    period_totals = {key: sum(row[key] or 0 for row in month_rows) for key in DASHBOARD_TOTALS}
    return {"tables": tables, "totals": period_totals if month_rows else None, "pillars": pillar_rows}


REGION_COLUMNS = [
    Column("region", _("Regency/city"), "text", sortable=True),
    Column("verified", _("Verified pesantren"), sortable=True),
    Column("omzet", _("Turnover (omzet)"), "rupiah", sortable=True),
    Column("omzet_change", _("Omzet change vs previous year"), "change", sortable=True),
    Column("jobs_created", _("Jobs created"), sortable=True),
    Column("jobs_change", _("Jobs change vs previous year"), "change", sortable=True),
    Column("contribution_avg_pct", _("Average contribution"), "pct", sortable=True),
    Column("flagship_products", _("New flagship products"), sortable=True),
    Column("mart_sales", _("OPOP Mart omzet (goods value, without shipping)"), "rupiah", sortable=True),
    Column("samsat_payments", _("Samsat payments"), sortable=True),
]
CARTOGRAM_FIGURES = ("omzet", "jobs_created", "verified", "mart_sales", "samsat_payments", "flagship_products")


def regions(scope: Scope, filters: Filters, *, year: int, sort: str, descending: bool) -> Table:
    """The 38 kabupaten/kota (or the staff member's one) with the year's figures and their change."""
    figures = selectors.region_figures(scope, filters, year)
    rows = []
    for region in selectors.regions_for(scope):
        row = figures.get(region.kode) or {}
        data = {
            "kode": region.kode,
            "region": region.label,
            "short": region.nama_singkat,
            "kota": region.jenis == "kota",
            "verified": row.get("verified", 0),
            "omzet": row.get("omzet", 0),
            "omzet_change": _change(row.get("omzet", 0), row.get("previous_omzet", 0)),
            "jobs_created": row.get("jobs_created", 0),
            "jobs_change": _change(row.get("jobs_created", 0), row.get("previous_jobs_created", 0)),
            "contribution_avg_pct": _average_pct(row) if row else None,
            "flagship_products": row.get("flagship_products", 0),
            "mart_sales": row.get("mart_sales", 0),
            "samsat_payments": row.get("samsat_payments", 0),
            "url": reverse("reports:region", args=[region.kode]) + (f"?year={year}"),
        }
        rows.append(data)
    keys = {column.key for column in REGION_COLUMNS}
    sort = sort if sort in keys else "region"
    if sort == "region":
        rows.sort(key=lambda row: row["kode"], reverse=descending)
    else:
        rows.sort(key=lambda row: (row[sort] is not None, row[sort] or 0), reverse=descending)
    return Table(
        "kabupaten-kota",
        _("By regency/city"),
        REGION_COLUMNS,
        rows,
        links={"region": "url"},
        note=_("Verified pesantren: at the end of the year. Change: against the same figure a year earlier."),
    )


def regions_cartogram(table: Table, figure: str) -> str:
    figure = figure if figure in CARTOGRAM_FIGURES else "omzet"
    column = next(column for column in table.columns if column.key == figure)
    tiles = [
        {
            "kode": row["kode"],
            "short": row["short"],
            "kota": row["kota"],
            "value": row[figure] or 0,
            "display": display_value(column.kind, row[figure]),
            "short_value": charts._compact(row[figure] or 0),
            "url": row["url"],
        }
        for row in table.rows
    ]
    return charts.cartogram(str(column.label), tiles)


def region_detail(scope: Scope, kode: str, filters: Filters) -> list[Table]:
    monthly = selectors.monthly_series(
        selectors.rollups(scope, Filters(**{**filters.__dict__, "kabupaten_kota": kode}))
    )
    month_rows = _figure_rows(monthly, "period", lambda row: f"{row['month']:%Y-%m}")
    pesantren_rows = [
        {
            **row,
            "name": row["pesantren__name"],
            "contribution_avg_pct": row["contribution"] * 100 / row["operating_costs"]
            if row["operating_costs"]
            else None,
            "url": reverse("pesantren:detail", args=[row["pesantren_id"]]),
        }
        for row in selectors.pesantren_figures(scope, kode, filters)
    ]
    return [
        Table(
            "pesantren",
            _("Pesantren"),
            [
                Column("name", _("Pesantren"), "text"),
                Column("cohort", _("Cohort"), "text"),
                Column("omzet", _("Turnover (omzet)"), "rupiah"),
                Column("jobs_created", _("Jobs created")),
                Column("contribution", _("Contribution to operating costs"), "rupiah"),
                Column("contribution_avg_pct", _("Share of operating needs"), "pct"),
                Column("reports", _("Verified reports")),
            ],
            pesantren_rows,
            links={"name": "url"},
        ),
        Table(
            "monthly",
            _("Figures by month"),
            [Column("period", _("Month"), "text"), *FIGURE_COLUMNS],
            month_rows,
            chart=_month_chart(_("Turnover (omzet) by month"), month_rows, "omzet", _("Omzet")),
        ),
    ]


def cohorts(scope: Scope | None, filters: Filters) -> list[Table]:
    """How each cohort's omzet and jobs grew after joining: year 0 is the year it joined."""
    rows = selectors.cohort_growth(scope, filters)
    by_cohort: dict[int, dict[int, dict]] = {}
    for row in rows:
        offset = row["year"] - row["cohort"]
        if offset >= 0:
            by_cohort.setdefault(row["cohort"], {})[offset] = row
    span = max((max(years) for years in by_cohort.values()), default=0) + 1
    last_year = max((row["year"] for row in rows), default=0)
    tables = []
    for measure, label, kind in (
        ("omzet", _("Turnover (omzet)"), "rupiah"),
        ("jobs_created", _("Jobs created"), "int"),
    ):
        columns = [Column("cohort", _("Cohort"), "text")] + [
            Column(f"y{offset}", _("Year %(n)s") % {"n": offset}, kind) for offset in range(span)
        ]
        table_rows = [
            {"cohort": cohort, **{f"y{o}": years[o][measure] if o in years else None for o in range(span)}}
            for cohort, years in sorted(by_cohort.items())
        ]
        tables.append(
            Table(
                f"cohort-{measure}",
                _("%(measure)s by year since joining") % {"measure": label},
                columns,
                table_rows,
                chart=charts.line_chart(
                    str(_("%(measure)s by year since joining") % {"measure": label}),
                    [str(offset) for offset in range(span)],
                    [
                        charts.Series(
                            str(cohort),
                            [
                                years.get(o, {}).get(measure, 0) if cohort + o <= last_year else None
                                for o in range(span)
                            ],
                        )
                        for cohort, years in sorted(by_cohort.items())
                    ],
                ),
                note=_("Year 0 is the year the cohort joined the programme."),
            )
        )
    return tables


# The public page never shows a report-based figure that fewer pesantren than this stand behind, so
# no figure there is one pesantren's finances.
PUBLIC_MIN_PESANTREN = 3


def public(filters: Filters) -> list[Table]:
    """Province-level figures per year for everyone: no region, cohort or pesantren breakdown.

    Omzet and jobs of a year are shown only when at least PUBLIC_MIN_PESANTREN pesantren reported
    in it; aset is that of the year's latest month with at least as many reporting pesantren. OPOP Mart
    sales and Samsat payments likewise need as many kabupaten/kota (so at least as many stores/outlets).
    """
    province = Filters(year=None, pillar=filters.pillar)
    monthly = selectors.monthly_series(selectors.rollups(None, province))
    per_month, per_year = selectors.reporting_pesantren_counts()
    regions = selectors.contributing_regions_per_year()
    yearly = selectors.yearly_series(monthly)
    aset_by_year = {}
    for row in monthly:
        if per_month.get(row["month"], 0) >= PUBLIC_MIN_PESANTREN:
            aset_by_year[row["month"].year] = row["aset"]
    verified = 0
    rows = []
    for row in yearly:
        verified += row["pesantren_verified_net"]
        enough = per_year.get(row["year"], 0) >= PUBLIC_MIN_PESANTREN
        contributors = regions.get(row["year"], {})
        mart_enough = contributors.get("mart", 0) >= PUBLIC_MIN_PESANTREN
        samsat_enough = contributors.get("samsat", 0) >= PUBLIC_MIN_PESANTREN
        rows.append(
            {
                **row,
                "period": str(row["year"]),
                "verified": verified,
                "omzet": row["omzet"] if enough else None,
                "jobs_created": row["jobs_created"] if enough else None,
                "aset": aset_by_year.get(row["year"]),
                "mart_sales": row["mart_sales"] if mart_enough else None,
                "mart_p2p_sales": row["mart_p2p_sales"] if mart_enough else None,
                "samsat_payments": row["samsat_payments"] if samsat_enough else None,
            }
        )
    return [
        Table(
            "province",
            _("East Java, by year"),
            [
                Column("period", _("Year"), "text"),
                Column("verified", _("Verified pesantren")),
                Column("flagship_products", _("New flagship products")),
                Column("omzet", _("Turnover (omzet)"), "rupiah"),
                Column("aset", _("Assets (aset)"), "rupiah"),
                Column("jobs_created", _("Jobs created")),
                Column("mart_sales", _("OPOP Mart omzet (goods value, without shipping)"), "rupiah"),
                Column("mart_p2p_sales", _("Bilateral trade between pesantren"), "rupiah"),
                Column("samsat_payments", _("Samsat payments")),
            ],
            rows,
            chart=charts.bar_chart(
                str(_("Turnover (omzet) by year")),
                [row["period"] for row in rows],
                charts.Series(str(_("Omzet")), [row["omzet"] or 0 for row in rows]),
            ),
            note=_(
                "Turnover, assets and jobs are shown only where at least %(n)s pesantren reported, and "
                "OPOP Mart sales and Samsat payments only where they come from at least %(n)s regencies/cities, "
                "so no figure is that of a single pesantren."
            )
            % {"n": PUBLIC_MIN_PESANTREN},
        )
    ]
