"""Report generators: the dashboards as ordered lists of panels (reports.panels), each panel building a
`Table` (period, scope, rows) from the selectors; the columns and monthly figures they share. The
overview's panels are in reports.overview. Pages render a table with one template partial;
`opop.exports` turns the same tables into CSV and XLSX."""

from dataclasses import replace
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opop.tables import Column, Table, display_value
from reports import charts, selectors
from reports.panels import Context, Panel
from reports.selectors import Filters, Scope


def _average_pct(row: dict) -> float | None:
    return row["contribution_pct_bp_sum"] / row["contribution_reports"] / 100 if row["contribution_reports"] else None


def _change(current: int, previous: int) -> float | None:
    return (current - previous) * 100 / previous if previous else None


# The figures' columns, as every table that shows one labels it.
FIGURES = {
    column.key: column
    for column in (
        Column("verified", _("Verified pesantren")),
        Column("flagship_products", _("New flagship products")),
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
    )
}


def figure_columns(*keys: str) -> list[Column]:
    """The columns of these figures, labelled as in every table."""
    return [FIGURES[key] for key in keys]


FIGURE_COLUMNS = figure_columns(
    "omzet",
    "aset",
    "jobs_created",
    "contribution",
    "contribution_avg_pct",
    "mart_orders",
    "mart_sales",
    "mart_p2p_sales",
    "samsat_payments",
    "samsat_amount",
)


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


def figure_rows(rows: list[dict], label_key: str, label) -> list[dict]:
    return [{label_key: label(row), **row, "contribution_avg_pct": _average_pct(row)} for row in rows]


def month_rows(monthly: list[dict]) -> list[dict]:
    """selectors.monthly_series() rows as a table's: labelled YYYY-MM, with the average contribution."""
    return figure_rows(monthly, "period", lambda row: f"{row['month']:%Y-%m}")


def monthly_table(rows: list[dict], *, note="") -> Table:
    """The "monthly" panel's table of month_rows(), with a bar chart of the omzet."""
    return Table(
        "monthly",
        _("Figures by month"),
        [Column("period", _("Month"), "text"), *FIGURE_COLUMNS],
        rows,
        chart=_month_chart(_("Turnover (omzet) by month"), rows, "omzet", _("Omzet")),
        note=note,
    )


# By kabupaten/kota: one table (sortable) and its cartogram, cached per sort by reports.views.

REGION_COLUMNS = [
    replace(column, sortable=True)
    for column in (
        Column("region", _("Regency/city"), "text"),
        *figure_columns("verified", "omzet"),
        Column("omzet_change", _("Omzet change vs previous year"), "change"),
        FIGURES["jobs_created"],
        Column("jobs_change", _("Jobs change vs previous year"), "change"),
        *figure_columns("contribution_avg_pct", "flagship_products", "mart_sales", "samsat_payments"),
    )
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


# One kabupaten/kota's drill-down: its pesantren and its months (context.kode).


def region_pesantren(context: Context) -> Table:
    rows = [
        {
            **row,
            "name": row["pesantren__name"],
            "contribution_avg_pct": row["contribution"] * 100 / row["operating_costs"]
            if row["operating_costs"]
            else None,
            "url": reverse("pesantren:detail", args=[row["pesantren_id"]]),
        }
        for row in selectors.pesantren_figures(context.scope, context.kode, context.filters)
    ]
    return Table(
        "pesantren",
        _("Pesantren"),
        [
            Column("name", _("Pesantren"), "text"),
            Column("cohort", _("Cohort"), "text"),
            *figure_columns("omzet", "jobs_created", "contribution"),
            Column("contribution_avg_pct", _("Share of operating needs"), "pct"),
            Column("reports", _("Verified reports")),
        ],
        rows,
        links={"name": "url"},
    )


def region_monthly(context: Context) -> Table:
    in_region = replace(context.filters, kabupaten_kota=context.kode)
    return monthly_table(month_rows(selectors.monthly_series(selectors.rollups(context.scope, in_region))))


REGION_DETAIL = [Panel("pesantren", region_pesantren), Panel("monthly", region_monthly)]


# By cohort: how each cohort's omzet and jobs grew after joining; year 0 is the year it joined.


def _cohort_years(context: Context) -> tuple[dict[int, dict[int, dict]], int, int]:
    """Per cohort, its rows by years since joining; how many years the longest spans; the latest year."""
    rows = selectors.cohort_growth(context.scope, context.filters)
    by_cohort: dict[int, dict[int, dict]] = {}
    for row in rows:
        offset = row["year"] - row["cohort"]
        if offset >= 0:
            by_cohort.setdefault(row["cohort"], {})[offset] = row
    span = max((max(years) for years in by_cohort.values()), default=0) + 1
    last_year = max((row["year"] for row in rows), default=0)
    return by_cohort, span, last_year


def _cohort_table(measure: str):
    def build(context: Context) -> Table:
        by_cohort, span, last_year = context.once(_cohort_years)
        column = FIGURES[measure]
        title = _("%(measure)s by year since joining") % {"measure": column.label}
        columns = [Column("cohort", _("Cohort"), "text")] + [
            Column(f"y{offset}", _("Year %(n)s") % {"n": offset}, column.kind) for offset in range(span)
        ]
        rows = [
            {"cohort": cohort, **{f"y{o}": years[o][measure] if o in years else None for o in range(span)}}
            for cohort, years in sorted(by_cohort.items())
        ]
        series = [
            charts.Series(
                str(cohort),
                [years.get(o, {}).get(measure, 0) if cohort + o <= last_year else None for o in range(span)],
            )
            for cohort, years in sorted(by_cohort.items())
        ]
        return Table(
            f"cohort-{measure}",
            title,
            columns,
            rows,
            chart=charts.line_chart(str(title), [str(offset) for offset in range(span)], series),
            note=_("Year 0 is the year the cohort joined the programme."),
        )

    return build


COHORTS = [Panel("cohort-omzet", _cohort_table("omzet")), Panel("cohort-jobs_created", _cohort_table("jobs_created"))]


# The public page never shows a report-based figure that fewer pesantren than this stand behind, so
# no figure there is one pesantren's finances.
PUBLIC_MIN_PESANTREN = 3


def public_province(context: Context) -> Table:
    """Province-level figures per year for everyone: no region, cohort or pesantren breakdown.

    Omzet and jobs of a year are shown only when at least PUBLIC_MIN_PESANTREN pesantren reported
    in it; aset is that of the year's latest month with at least as many reporting pesantren. OPOP Mart
    sales and Samsat payments likewise need as many kabupaten/kota (so at least as many stores/outlets).
    """
    province = Filters(year=None, pillar=context.filters.pillar)
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
    return Table(
        "province",
        _("East Java, by year"),
        [
            Column("period", _("Year"), "text"),
            *figure_columns("verified", "flagship_products", "omzet", "aset", "jobs_created", "mart_sales"),
            Column("mart_p2p_sales", _("Bilateral trade between pesantren"), "rupiah"),
            FIGURES["samsat_payments"],
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


PUBLIC = [Panel("province", public_province)]
