"""Sosiopreneur: alumni of pesantren, their businesses, monthly omzet reports and collaborations."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota, Organisation, TimeStampedModel, by_whom
from opop.reviewed_reports import ReportRevision, ReviewedReport
from pesantren.models import BusinessUnit, Pesantren, nib_validator


class Alumnus(TimeStampedModel):
    """A person with their own account who graduated from a pesantren, verified by its admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the pesantren")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Not recognised")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="alumnus"
    )
    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="alumni"
    )
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    santri = models.OneToOneField(
        "santri.Santri",
        verbose_name=_("santri record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alumnus",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-graduation_year", "user__full_name"]
        verbose_name = _("alumnus")
        verbose_name_plural = _("alumni")

    def __str__(self):
        return f"{self.user} · {self.pesantren} ({self.graduation_year})"


class AlumniBusiness(TimeStampedModel):
    """A business run by an alumnus; owned by an organisation of kind alumni_business."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="alumni_business",
        limit_choices_to={"kind": Organisation.Kind.ALUMNI_BUSINESS},
    )
    alumnus = models.ForeignKey(Alumnus, verbose_name=_("founder"), on_delete=models.PROTECT, related_name="businesses")
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=12, choices=BusinessUnit.Sector.choices)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[nib_validator])
    kabupaten_kota = models.ForeignKey(
        KabupatenKota, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="+"
    )
    workers = models.PositiveIntegerField(_("workers"), default=1)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alumni business")
        verbose_name_plural = _("alumni businesses")

    def __str__(self):
        return self.name


class AlumniReport(ReviewedReport):
    """One month's omzet of an alumni business (workflow: `opop.reviewed_reports`)."""

    business = models.ForeignKey(
        AlumniBusiness, verbose_name=_("business"), on_delete=models.CASCADE, related_name="reports"
    )
    omzet = models.PositiveBigIntegerField(_("turnover (omzet, Rp)"))
    workers = models.PositiveIntegerField(_("workers"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("alumni business report")
        verbose_name_plural = _("alumni business reports")
        constraints = [
            models.UniqueConstraint(fields=["business", "month"], name="alumni_report_one_per_month"),
        ]
        # The staff queue (alumni.selectors.report_queue): the waiting reports, oldest month first, and their count,
        # without reading every month of every business (the table grows by a row per business a month).
        indexes = [
            models.Index(fields=["month", "id"], condition=Q(status="submitted"), name="alumni_report_queue"),
        ]

    def __str__(self):
        return f"{self.business} · {self.month:%Y-%m}"


class AlumniReportRevision(ReportRevision):
    report = models.ForeignKey(
        AlumniReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="revisions"
    )
    omzet = models.PositiveBigIntegerField(_("turnover (omzet, Rp)"))
    workers = models.PositiveIntegerField(_("workers"))

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="alumni_report_revision_unique"),
        ]


class Collaboration(TimeStampedModel):
    """An alumni business working with a pesantren; active once both sides have confirmed."""

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier")
        RESELLER = "reseller", _("Reseller")
        MENTOR = "mentor", _("Mentor")
        INVESTOR = "investor", _("Investor")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for confirmation")
        ACTIVE = "active", _("Confirmed by both")
        DECLINED = "declined", _("Declined")

    business = models.ForeignKey(
        AlumniBusiness, verbose_name=_("alumni business"), on_delete=models.CASCADE, related_name="collaborations"
    )
    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="alumni_collaborations"
    )
    kind = models.CharField(_("role of the business"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("what they do together"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    business_confirmed_by = by_whom(_("confirmed for the business by"))
    business_confirmed_at = models.DateTimeField(_("confirmed by the business"), null=True, blank=True)
    pesantren_confirmed_by = by_whom(_("confirmed for the pesantren by"))
    pesantren_confirmed_at = models.DateTimeField(_("confirmed by the pesantren"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "pesantren", "kind"],
                condition=Q(status__in=["proposed", "active"]),
                name="collaboration_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status="active")
                | (Q(business_confirmed_at__isnull=False) & Q(pesantren_confirmed_at__isnull=False)),
                name="collaboration_active_needs_both",
            ),
        ]

    def __str__(self):
        return f"{self.business} ↔ {self.pesantren} ({self.kind})"
