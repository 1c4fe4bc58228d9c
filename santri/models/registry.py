"""The santri registry, its imports and API tokens, the Kartu Santri and santri businesses."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opop.models import StoredImport, TimeStampedModel
from pesantren.models import BusinessUnit, Pesantren

nik_validator = RegexValidator(r"^\d{16}$", _("A NIK has exactly 16 digits."))


class Santri(TimeStampedModel):
    """A student of a pesantren, kept by that pesantren's admins. NIS is unique within the pesantren."""

    class Gender(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        GRADUATED = "graduated", _("Graduated")

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="santri"
    )
    name = models.CharField(_("name"), max_length=150)
    nis = models.CharField(_("NIS"), max_length=30, help_text=_("Student number, unique within the pesantren."))
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[nik_validator])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    entry_year = models.PositiveSmallIntegerField(
        _("entry year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    skills = models.CharField(_("skills"), max_length=255, blank=True)
    interests = models.CharField(_("interests"), max_length=255, blank=True)
    card_number = models.CharField(_("Kartu Santri number"), max_length=13, unique=True, null=True, blank=True)
    card_token = models.UUIDField(_("card verification token"), unique=True, default=uuid.uuid4, editable=False)
    track_completed_on = models.DateField(_("entrepreneurship track completed"), null=True, blank=True)
    # The santri's own sign-in, made when they accept the pesantren admin's invitation (santri.services).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="santri_profile",
    )
    santripreneur_since = models.DateField(
        _("santripreneur since"),
        null=True,
        blank=True,
        help_text=_("Set when the santri first runs a business or completes the entrepreneurship track."),
    )

    class Meta:
        ordering = ["name", "nis"]
        verbose_name = _("santri")
        verbose_name_plural = _("santri")
        constraints = [
            models.UniqueConstraint(fields=["pesantren", "nis"], name="santri_nis_unique_in_pesantren"),
            models.CheckConstraint(condition=Q(nik="") | Q(nik__regex=r"^[0-9]{16}$"), name="santri_nik_16_digits"),
        ]
        indexes = [
            models.Index(fields=["santripreneur_since"]),
            # The santripreneur home's counts per region and year (selectors.santripreneur_figures): read from this
            # index alone, only the santripreneurs' entries, the pesantren of a region's staff looked up by id.
            models.Index(
                fields=["pesantren", "santripreneur_since"],
                condition=Q(santripreneur_since__isnull=False),
                name="santri_santripreneurs",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.nis})"

    @property
    def nik_masked(self) -> str:
        """Lists show only the last four digits of a NIK."""
        return "•" * 12 + self.nik[-4:] if self.nik else ""

    @property
    def birth_date_masked(self) -> str:
        """A birth date shown by its year only, `••/••/2008`, until an admin reveals it."""
        return f"••/••/{self.birth_date.year}" if self.birth_date else ""

    @property
    def card_valid(self) -> bool:
        """A card is valid while the santri is active at a verified or active pesantren."""
        return self.status == self.Status.ACTIVE and self.pesantren.is_public

    @property
    def card_number_display(self) -> str:
        n = self.card_number or ""
        return " ".join(n[i : i + 4] for i in range(0, len(n), 4))


class ImportBatch(StoredImport):
    """An uploaded santri file, parsed and checked, waiting to be confirmed (the stored preview of
    opop.imports, with the pesantren it is for and the new/updated counts)."""

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="santri_imports"
    )
    new_count = models.PositiveIntegerField(_("new santri"), default=0)
    update_count = models.PositiveIntegerField(_("updated santri"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("santri import")
        verbose_name_plural = _("santri imports")

    def __str__(self):
        return f"{self.pesantren} · {self.filename}"


class ApiToken(models.Model):
    """A bearer token a pesantren's academic information system uses. Only its hash is stored."""

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="santri_api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses this token, e.g. 'SIAKAD'."))
    prefix = models.CharField(_("starts with"), max_length=12)
    token_hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class SantriBusiness(TimeStampedModel):
    """A business run by one or more santri of a pesantren; its members count as santripreneurs."""

    pesantren = models.ForeignKey(
        Pesantren, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="santri_businesses"
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=12, choices=BusinessUnit.Sector.choices)
    started_on = models.DateField(_("started"))
    monthly_omzet = models.PositiveBigIntegerField(_("monthly turnover (omzet, Rp)"), default=0)
    members = models.ManyToManyField(Santri, verbose_name=_("santri members"), related_name="businesses")
    # The kernel organisation the business sells through on OPOP Mart (kind santri_business, supervised by the
    # pesantren's organisation); made when the pesantren admin opens a store for it.
    organisation = models.OneToOneField(
        "opop.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="santri_business",
        limit_choices_to={"kind": "santri_business"},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("santri business")
        verbose_name_plural = _("santri businesses")
        constraints = [
            models.UniqueConstraint(fields=["pesantren", "name"], name="santri_business_unique_name"),
        ]

    def __str__(self):
        return self.name
