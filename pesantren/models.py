"""Pesantrenpreneur: the pesantren registry, its lifecycle, business units, potential mapping,
mentoring, partners and monthly business reports."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.models import KabupatenKota, Organisation, TimeStampedModel, by_whom, latitude_field, longitude_field
from opop.reviewed_reports import ReportRevision, ReviewedReport

nspp_validator = RegexValidator(r"^\d{12}$", _("An NSPP has exactly 12 digits."))
postal_code_validator = RegexValidator(r"^\d{5}$", _("A postal code has exactly 5 digits."))
nib_validator = RegexValidator(r"^\d{13}$", _("A NIB (business identification number) has exactly 13 digits."))


class Aspect(models.TextChoices):
    """The five facilitation aspects every pesantren is mapped and mentored on."""

    KELEMBAGAAN = "kelembagaan", _("Institution (kelembagaan)")
    SDM = "sdm", _("People and skills (SDM)")
    PRODUK = "produk", _("Product (produk)")
    PEMASARAN = "pemasaran", _("Marketing (pemasaran)")
    PEMBIAYAAN = "pembiayaan", _("Financing (pembiayaan)")


class Pesantren(TimeStampedModel):
    """A pesantren taking part in the OPOP programme; one per pesantren organisation."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        SUBMITTED = "submitted", _("Submitted for verification")
        RETURNED = "returned", _("Returned")
        VERIFIED = "verified", _("Verified")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="pesantren",
        limit_choices_to={"kind": Organisation.Kind.PESANTREN},
    )
    name = models.CharField(_("name"), max_length=200)
    nspp = models.CharField(
        _("NSPP"),
        max_length=12,
        unique=True,
        validators=[nspp_validator],
        help_text=_("Nomor Statistik Pondok Pesantren: 12 digits."),
    )
    street = models.CharField(_("street address"), max_length=255)
    rt_rw = models.CharField(_("RT/RW"), max_length=15, blank=True)
    desa = models.CharField(_("village (desa/kelurahan)"), max_length=100)
    desa_code = models.CharField(_("village code"), max_length=13, blank=True)
    kecamatan = models.CharField(_("district (kecamatan)"), max_length=100)
    kecamatan_code = models.CharField(
        _("district code"), max_length=8, blank=True, help_text=_("Kemendagri's, e.g. 35.17.10.")
    )
    kabupaten_kota = models.ForeignKey(
        KabupatenKota, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="pesantren"
    )
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[postal_code_validator])
    latitude = latitude_field()
    longitude = longitude_field()
    pengasuh = models.CharField(_("leader (pengasuh)"), max_length=150)
    santri_count = models.PositiveIntegerField(_("number of santri"))
    phone = models.CharField(_("contact phone"), max_length=16)
    email = models.EmailField(_("contact e-mail"))
    logo = models.ImageField(_("logo"), upload_to="pesantren/logo/", blank=True)
    description = models.TextField(_("short description"), max_length=1000, blank=True)
    flagship_product = models.CharField(_("flagship product idea"), max_length=200)
    cohort = models.PositiveSmallIntegerField(
        _("cohort (angkatan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2019), MaxValueValidator(2100)],
        help_text=_("The year the pesantren joined the programme; set on verification."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    card_number = models.CharField(_("OPOP card number"), max_length=32, unique=True, null=True, blank=True)
    card_token = models.UUIDField(_("card verification token"), unique=True, default=uuid.uuid4, editable=False)
    collaborators = models.ManyToManyField(
        "Partner",
        verbose_name=_("collaborating partners"),
        blank=True,
        related_name="collaborating_pesantren",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("pesantren")
        verbose_name_plural = _("pesantren")
        indexes = [
            models.Index(fields=["status", "kabupaten_kota"]),
            models.Index(fields=["cohort"]),
            # The staff list's first page in name order, without sorting every pesantren (issue #10).
            models.Index(fields=["name"], name="pesantren_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["verified", "active", "inactive"]) | Q(cohort__isnull=False),
                name="pesantren_verified_has_cohort",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        """Verified and active pesantren have a public profile and a valid OPOP card."""
        return self.status in (self.Status.VERIFIED, self.Status.ACTIVE)

    @property
    def slug(self) -> str:
        return self.organisation.slug


class StatusChange(models.Model):
    """One step in a pesantren's participation lifecycle: who moved it, when, from what, why."""

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Pesantren.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Pesantren.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.pesantren}: {self.from_status} → {self.to_status}"


class Partner(TimeStampedModel):
    """A pentahelix (GM-ABC) partner that mentors or collaborates with pesantren."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        MEDIA = "media", _("Media")
        ACADEMIA = "academia", _("Academia")
        BUSINESS = "business", _("Business")
        COMMUNITY = "community", _("Community")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class BusinessUnit(TimeStampedModel):
    """A business of the pesantren: its koppontren or another unit, with what it makes."""

    class Kind(models.TextChoices):
        KOPPONTREN = "koppontren", _("Koppontren (cooperative)")
        BUMP = "bump", _("BUMP (pesantren-owned enterprise)")
        CV = "cv", _("CV (partnership)")
        UD = "ud", _("UD (sole proprietorship)")
        UNIT_USAHA = "unit_usaha", _("Business unit (unit usaha)")

    class Sector(models.TextChoices):
        FOOD = "food", _("Food and beverages")
        AGRICULTURE = "agriculture", _("Agriculture and plantations")
        LIVESTOCK = "livestock", _("Livestock and fisheries")
        FASHION = "fashion", _("Fashion and textiles")
        CRAFT = "craft", _("Crafts")
        RETAIL = "retail", _("Retail and trade")
        SERVICES = "services", _("Services")
        OTHER = "other", _("Other")

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="business_units"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    products = models.TextField(_("products"), help_text=_("What the unit makes or sells."))
    legal_entity_number = models.CharField(
        _("legal-entity number"), max_length=60, blank=True, help_text=_("Nomor badan hukum of a cooperative.")
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[nib_validator])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")
        constraints = [
            models.UniqueConstraint(fields=["pesantren", "name"], name="business_unit_unique_name"),
        ]

    def __str__(self):
        return self.name


class PotentialMapping(models.Model):
    """One mapping (pemetaan potensi) of a pesantren on the five aspects; taken again over time."""

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="mappings"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kelembagaan_score = models.PositiveSmallIntegerField(_("kelembagaan score"))
    kelembagaan_notes = models.TextField(_("kelembagaan notes"), blank=True)
    sdm_score = models.PositiveSmallIntegerField(_("SDM score"))
    sdm_notes = models.TextField(_("SDM notes"), blank=True)
    produk_score = models.PositiveSmallIntegerField(_("produk score"))
    produk_notes = models.TextField(_("produk notes"), blank=True)
    pemasaran_score = models.PositiveSmallIntegerField(_("pemasaran score"))
    pemasaran_notes = models.TextField(_("pemasaran notes"), blank=True)
    pembiayaan_score = models.PositiveSmallIntegerField(_("pembiayaan score"))
    pembiayaan_notes = models.TextField(_("pembiayaan notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("potential mapping")
        verbose_name_plural = _("potential mappings")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{aspect}_score__gte": 1}) & Q(**{f"{aspect}_score__lte": 5}),
                name=f"mapping_{aspect}_score_1_to_5",
            )
            for aspect in Aspect.values
        ]

    def __str__(self):
        return f"{self.pesantren} · {self.assessed_on}"

    def scores(self) -> list[tuple[str, str, int, str]]:
        """(aspect, label, score, notes) for each of the five aspects, in the programme's order."""
        return [
            (aspect, label, getattr(self, f"{aspect}_score"), getattr(self, f"{aspect}_notes"))
            for aspect, label in Aspect.choices
        ]

    @property
    def average(self) -> float:
        return sum(getattr(self, f"{aspect}_score") for aspect in Aspect.values) / len(Aspect.values)


class MentoringSession(models.Model):
    """One pendampingan: a mentor (staff or a partner) worked with the pesantren on one aspect."""

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="mentoring_sessions"
    )
    held_on = models.DateField(_("date"))
    aspect = models.CharField(_("aspect"), max_length=12, choices=Aspect.choices)
    mentor = by_whom(_("mentor (staff)"))
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("mentor (partner)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentoring_sessions",
    )
    activity = models.TextField(_("what was done"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")

    def __str__(self):
        return f"{self.pesantren} · {self.held_on} · {self.aspect}"

    @property
    def mentor_name(self) -> str:
        if self.partner_id:
            return str(self.partner)
        return str(self.mentor) if self.mentor_id else ""


FIGURE_FIELDS = ("omzet", "aset", "workers_total", "jobs_created", "operating_contribution", "operating_costs")


class ReportFigures(models.Model):
    """The figures of a monthly report, shared by the report and each of its revisions."""

    omzet = models.BigIntegerField(_("turnover (omzet, Rp)"))
    aset = models.BigIntegerField(_("assets (aset, Rp)"))
    workers_total = models.IntegerField(_("workers employed"))
    jobs_created = models.IntegerField(_("new jobs created"))
    operating_contribution = models.BigIntegerField(
        _("contribution to operating costs (Rp)"),
        help_text=_("What the business paid towards the pesantren's operating costs this month."),
    )
    operating_costs = models.BigIntegerField(
        _("operating needs (Rp)"), help_text=_("The pesantren's operating needs for the month.")
    )

    class Meta:
        abstract = True

    @property
    def contribution_pct(self) -> int | None:
        """Contribution as a whole percentage of the operating needs."""
        if not self.operating_costs:
            return None
        return round(100 * self.operating_contribution / self.operating_costs)


class MonthlyReport(ReportFigures, ReviewedReport):
    """The business figures of one month, for the pesantren or one of its business units.

    The workflow (submit, correct as revisions, review) is `opop.reviewed_reports`; every revision is
    kept in `MonthlyReportRevision`.
    """

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="reports"
    )
    business_unit = models.ForeignKey(
        BusinessUnit,
        verbose_name=_("business unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Leave empty to report for the whole pesantren."),
    )

    class Meta:
        ordering = ["-month", "business_unit_id"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["pesantren", "month"],
                condition=Q(business_unit__isnull=True),
                name="report_one_per_pesantren_month",
            ),
            models.UniqueConstraint(
                fields=["pesantren", "business_unit", "month"],
                condition=Q(business_unit__isnull=False),
                name="report_one_per_unit_month",
            ),
            models.CheckConstraint(
                condition=Q(omzet__gte=0)
                & Q(aset__gte=0)
                & Q(workers_total__gte=0)
                & Q(jobs_created__gte=0)
                & Q(operating_contribution__gte=0)
                & Q(operating_costs__gte=0),
                name="report_figures_not_negative",
            ),
        ]
        indexes = [
            # The incremental rollup reads the reports of its dirty months; without this it scans five years of them.
            models.Index(fields=["month", "status"], name="report_month_status_idx"),
            # "Reported this month" on the staff list reads one month's reports, not all of them (issue #10).
            models.Index(fields=["month", "pesantren"], name="report_month_pesantren"),
            # The verification queue counts and pages the submitted reports, oldest first: a few thousand among
            # every report ever verified (210,000 at province scale, a seq scan of 35-50 ms, growing each month).
            models.Index(
                fields=["updated_at", "id"],
                condition=Q(status="submitted"),
                name="report_review_queue_idx",
            ),
        ]

    def __str__(self):
        return f"{self.pesantren} · {self.month:%Y-%m}"


class MonthlyReportRevision(ReportFigures, ReportRevision):  # noqa: DJ008 (ReportRevision.__str__)
    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="revisions"
    )

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_revision_unique_number"),
        ]
