"""The programme overview as panels (reports.panels): the pillars against their targets (tiles and a
table), the period's totals, figures by month and by year, new flagship products against the yearly
targets, and bilateral trade between regions. Every panel but the last reads the one scan of the
rollups that `selectors.overview_series` makes."""

from django.utils.translation import gettext_lazy as _

from opop.tables import Column, Table
from reports import charts, selectors, tables
from reports.models import Pillar
from reports.panels import Context, Panel

# The overview's tiles: flows summed over the chosen period.
DASHBOARD_TOTALS = ("omzet", "jobs_created", "mart_sales", "samsat_payments", "halal_certificates")

TARGETS = {
    Pillar.SANTRIPRENEUR: 1_000_000,
    Pillar.PESANTRENPRENEUR: 1_000,  # flagship products
    Pillar.SOSIOPRENEUR: 1_000,
}
YEARLY_PRODUCT_TARGETS = {2019: 150, 2020: 200, 2021: 200, 2022: 200, 2023: 250}


def _overview_series(context: Context) -> tuple[list[dict], list[dict], dict[str, dict], dict[int, int]]:
    return selectors.overview_series(context.scope, context.filters)


def _overview_months(context: Context) -> list[dict]:
    return tables.month_rows(context.once(_overview_series)[0])


def _pillar_rows(context: Context) -> list[dict]:
    totals = context.once(_overview_series)[2]

    def row(pillar: Pillar, measure, achieved: int, *, against_target: bool = True) -> dict:
        target = TARGETS[pillar] if against_target else None
        return {
            "pillar": str(pillar.label),
            "measure": str(measure),
            "achieved": achieved,
            "target": target,
            "progress": achieved * 100 / target if target else None,
        }

    return [
        row(Pillar.PESANTRENPRENEUR, _("Flagship products"), sum(total["flagship_total"] for total in totals.values())),
        row(
            Pillar.PESANTRENPRENEUR,
            _("Verified pesantren"),
            totals[Pillar.PESANTRENPRENEUR]["verified_total"],
            against_target=False,
        ),
        row(Pillar.SANTRIPRENEUR, _("Santri entrepreneurs"), totals[Pillar.SANTRIPRENEUR]["participants_total"]),
        row(Pillar.SOSIOPRENEUR, _("Alumni entrepreneurs"), totals[Pillar.SOSIOPRENEUR]["participants_total"]),
    ]


def pillar_tiles(context: Context) -> dict:
    return {"pillars": context.once(_pillar_rows)}


def period_totals(context: Context) -> dict | None:
    """The flows of DASHBOARD_TOTALS summed over the period's months; None without any month."""
    month_rows = context.once(_overview_months)
    if not month_rows:
        return None
    return {key: sum(row[key] or 0 for row in month_rows) for key in DASHBOARD_TOTALS}


def pillars_table(context: Context) -> Table:
    return Table(
        "pillars",
        _("Pillars against their targets"),
        [
            Column("pillar", _("Pillar"), "text"),
            Column("measure", _("Measure"), "text"),
            Column("achieved", _("Achieved")),
            Column("target", _("Target")),
            Column("progress", _("Progress"), "pct"),
        ],
        context.once(_pillar_rows),
        note=_("Santripreneur and sosiopreneur counts appear once their registries are connected."),
    )


def overview_monthly(context: Context) -> Table:
    return tables.monthly_table(
        context.once(_overview_months), note=_("Assets are the sum of the assets reported in that month.")
    )


def overview_yearly(context: Context) -> Table:
    year_rows = tables.figure_rows(
        selectors.yearly_series(context.once(_overview_series)[1]), "period", lambda row: str(row["year"])
    )
    return Table(
        "yearly",
        _("Figures by year"),
        [Column("period", _("Year"), "text"), *tables.FIGURE_COLUMNS],
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
    )


def flagship_products(context: Context) -> Table:
    products = context.once(_overview_series)[3]
    rows = [
        {"year": year, "target": target, "achieved": products.get(year, 0)}
        for year, target in YEARLY_PRODUCT_TARGETS.items()
    ] + [{"year": year, "target": None, "achieved": count} for year, count in sorted(products.items()) if year > 2023]
    return Table(
        "flagship-products",
        _("New flagship products against the yearly targets"),
        [Column("year", _("Year"), "text"), Column("target", _("Target")), Column("achieved", _("New products"))],
        rows,
        chart=charts.bar_chart(
            str(_("New flagship products by year")),
            [str(row["year"]) for row in rows],
            charts.Series(str(_("Products")), [row["achieved"] for row in rows]),
        ),
    )


def bilateral_pairs(context: Context) -> Table:
    return Table(
        "bilateral-pairs",
        _("Bilateral trade between regions"),
        [
            Column("buyer", _("Buyer's regency/city"), "text"),
            Column("supplier", _("Supplier's regency/city"), "text"),
            Column("trades", _("Trades")),
            Column("value", _("Value"), "rupiah"),
        ],
        selectors.bilateral_trade_pairs(context.scope, context.filters),
        note=_(
            "Paid B2B invoices and OPOP Mart orders bought on behalf of a pesantren (goods value), whatever "
            "kind of organisation sold them."
        ),
    )


# The page, top to bottom.
OVERVIEW = [
    Panel("pillar-tiles", pillar_tiles, "reports/panels/pillar_tiles.html"),
    Panel("totals", period_totals, "reports/panels/totals.html"),
    Panel("pillars", pillars_table),
    Panel("monthly", overview_monthly),
    Panel("yearly", overview_yearly),
    Panel("flagship-products", flagship_products),
    Panel("bilateral-pairs", bilateral_pairs),
]
