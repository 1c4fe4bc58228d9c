"""Rollup tables: programme figures per month x kabupaten/kota x pillar x cohort, and per pesantren.

Dashboards read only these tables. They are derived data: `reports.services.rollup_full()` can
rebuild them from the facts in the other apps at any time.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota


class Pillar(models.TextChoices):
    PESANTRENPRENEUR = "pesantrenpreneur", _("Pesantrenpreneur")
    SANTRIPRENEUR = "santripreneur", _("Santripreneur")
    SOSIOPRENEUR = "sosiopreneur", _("Sosiopreneur")


# Figures summed across keys. Stocks (aset, workers) are summed per month; the pages take the
# latest month of a period for them, never a sum over months.
FIGURE_FIELDS = (
    "omzet",
    "aset",
    "workers",
    "jobs_created",
    "contribution",
    "operating_costs",
    "contribution_pct_bp_sum",
    "contribution_reports",
    "reports",
    "pesantren_verified_net",
    "flagship_products",
    "participants",
    "mart_orders",
    "mart_sales",
    "mart_p2p_sales",
    "samsat_payments",
    "samsat_amount",
    "halal_certificates",
)


class MonthFigures(models.Model):
    """What both rollups hold for a month and a kabupaten/kota: a pesantren's or a key's verified figures."""

    month = models.DateField(_("month"))
    kabupaten_kota = models.ForeignKey(
        KabupatenKota, verbose_name=_("regency/city"), on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.PositiveSmallIntegerField(_("cohort (angkatan)"), null=True, blank=True)
    omzet = models.BigIntegerField(_("turnover (omzet, Rp)"), default=0)
    aset = models.BigIntegerField(_("assets (aset, Rp)"), default=0)
    workers = models.IntegerField(_("workers"), default=0)
    jobs_created = models.IntegerField(_("jobs created"), default=0)
    contribution = models.BigIntegerField(_("contribution to operating costs (Rp)"), default=0)
    operating_costs = models.BigIntegerField(_("operating needs (Rp)"), default=0)
    reports = models.IntegerField(_("verified reports"), default=0)

    class Meta:
        abstract = True


class FigureRollup(MonthFigures):
    """The programme's figures for one month, one kabupaten/kota, one pillar and (pesantren) one cohort."""

    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)
    # Sum over reports of contribution / operating needs in basis points (1/100 %), and how many
    # reports had operating needs: together they give the average percentage over any set of keys.
    contribution_pct_bp_sum = models.BigIntegerField(default=0)
    contribution_reports = models.IntegerField(default=0)
    # +1 when a pesantren becomes verified/active in this month, -1 when it leaves; the running sum
    # over months is the number of verified pesantren.
    pesantren_verified_net = models.IntegerField(_("verified pesantren (net change)"), default=0)
    flagship_products = models.IntegerField(_("new flagship products"), default=0)
    participants = models.IntegerField(_("new participants"), default=0)
    mart_orders = models.IntegerField(_("OPOP Mart orders"), default=0)
    mart_sales = models.BigIntegerField(_("OPOP Mart sales (Rp)"), default=0)
    mart_p2p_sales = models.BigIntegerField(_("pesantren-to-pesantren trade (Rp)"), default=0)
    samsat_payments = models.IntegerField(_("Samsat payments"), default=0)
    samsat_amount = models.BigIntegerField(_("Samsat amount (Rp)"), default=0)
    halal_certificates = models.IntegerField(_("halal certificates issued"), default=0)

    class Meta:
        ordering = ["month", "kabupaten_kota_id", "pillar", "cohort"]
        verbose_name = _("figure rollup")
        verbose_name_plural = _("figure rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kabupaten_kota", "pillar"],
                condition=Q(cohort__isnull=True),
                name="figure_rollup_unique_without_cohort",
            ),
            models.UniqueConstraint(
                fields=["month", "kabupaten_kota", "pillar", "cohort"],
                condition=Q(cohort__isnull=False),
                name="figure_rollup_unique_with_cohort",
            ),
        ]
        indexes = [models.Index(fields=["kabupaten_kota", "month"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.kabupaten_kota_id} {self.pillar} {self.cohort or '-'}"


class PesantrenMonthRollup(MonthFigures):
    """One pesantren's verified figures for one month (all its reports summed), for drill-down pages."""

    pesantren = models.ForeignKey(
        "pesantren.Pesantren", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["month", "pesantren_id"]
        verbose_name = _("pesantren month rollup")
        verbose_name_plural = _("pesantren month rollups")
        constraints = [
            models.UniqueConstraint(fields=["month", "pesantren"], name="pesantren_month_rollup_unique"),
        ]
        indexes = [models.Index(fields=["kabupaten_kota", "month"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.pesantren_id}"


class RollupRun(models.Model):
    """One run of a rollup job: when it finished and how many keys it rolled up ("data as of")."""

    class Kind(models.TextChoices):
        INCREMENTAL = "incremental", _("Incremental")
        FULL = "full", _("Full rebuild")
        CHECK = "check", _("Nightly check")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    finished_at = models.DateTimeField(_("finished"), auto_now_add=True, db_index=True)
    keys = models.IntegerField(_("keys rolled up"), default=0)
    differences = models.IntegerField(_("differences found"), default=0)

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("rollup run")
        verbose_name_plural = _("rollup runs")

    def __str__(self):
        return f"{self.kind} {self.finished_at}"
