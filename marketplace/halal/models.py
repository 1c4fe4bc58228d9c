"""Halal facilitation cases, certificates, self-declare policy, reminders and flagship curation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.models import Organisation, TimeStampedModel

BUSINESS_KINDS = (
    Organisation.Kind.PESANTREN,
    Organisation.Kind.SANTRI_BUSINESS,
    Organisation.Kind.ALUMNI_BUSINESS,
)

# BPJPH's halal certificate (SH) numbers: "ID" then digits. The fatwa (KH) number is not it.
certificate_number_validator = RegexValidator(
    r"^ID\d{8,30}$",
    _(
        "A halal certificate number starts with ID followed by digits (e.g. ID35110000123450922). "
        "Use the SH certificate number printed on the label, not the KH fatwa number."
    ),
)


class Scheme(models.TextChoices):
    SELF_DECLARE = "self_declare", _("Self-declare (PPH companion)")
    REGULER = "reguler", _("Reguler (LPH audit)")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to Diskop")
    ASSIGNED = "assigned", _("Companion/auditor assigned")
    VERIFICATION = "verification", _("Verification/audit")
    FATWA = "fatwa", _("Fatwa")
    ISSUED = "issued", _("Certificate issued")
    # An issued case whose product's composition or process changed: the certificate is withdrawn until renewed.
    NEEDS_RENEWAL = "needs_renewal", _("Certificate needs renewal")
    REJECTED = "rejected", _("Rejected")


class HalalCase(TimeStampedModel):
    """One business's request for help to certify one or more of its products."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("business"), on_delete=models.PROTECT, related_name="halal_cases"
    )
    business_unit = models.CharField(_("business unit"), max_length=150, blank=True)
    products = models.ManyToManyField("marketplace.Product", verbose_name=_("products"), related_name="halal_cases")
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.SELF_DECLARE)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    annual_turnover = models.PositiveBigIntegerField(_("annual turnover (Rp)"), default=0)
    production_sites = models.PositiveSmallIntegerField(_("number of production sites"), default=1)
    sells_goods = models.BooleanField(_("the business makes goods (not services)"), default=True)
    uses_risky_materials = models.BooleanField(
        _("uses risky materials (meat, gelatin, alcohol derivatives…)"), default=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("companion/auditor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="halal_assignments",
    )
    inspection_body = models.CharField(_("LPH / companion institution"), max_length=150, blank=True)
    reason = models.TextField(_("reason for return or rejection"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-status_changed_at", "-id"]
        verbose_name = _("halal facilitation case")
        verbose_name_plural = _("halal facilitation cases")
        indexes = [models.Index(fields=["status", "scheme"])]

    def __str__(self):
        return f"HLL-{self.pk:05d} {self.organisation}" if self.pk else str(self.organisation)

    @property
    def code(self) -> str:
        return f"HLL-{self.pk:05d}"

    def get_absolute_url(self):
        return reverse("halal:case_detail", kwargs={"pk": self.pk})


class CaseEvent(models.Model):
    """One step of a case: who did what, when, with which note. Append-only."""

    case = models.ForeignKey(HalalCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStatus.choices)
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case} {self.action}"


class AttachmentKind(models.TextChoices):
    INGREDIENTS = "ingredients", _("Ingredient list")
    PROCESS_FLOW = "process_flow", _("Process flow")
    SUPPLIER_PROOF = "supplier_proof", _("Supplier halal proof")
    PHOTO = "photo", _("Photo")
    NIB = "nib", _("NIB")
    REPORT = "report", _("Verification/audit report")
    OTHER = "other", _("Other")


class CaseAttachment(models.Model):
    case = models.ForeignKey(HalalCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("step"), on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="halal/cases/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")

    def __str__(self):
        return self.original_name


class SelfDeclarePolicy(models.Model):
    """The self-declare eligibility rules in force from `effective_from`; a rule change is a new row."""

    effective_from = models.DateField(_("effective from"), unique=True)
    max_annual_turnover = models.PositiveBigIntegerField(_("maximum annual turnover (Rp)"))
    max_production_sites = models.PositiveSmallIntegerField(_("maximum production sites"), default=1)
    goods_only = models.BooleanField(_("goods only, not services"), default=True)
    non_risky_materials_only = models.BooleanField(_("non-risky materials only"), default=True)
    legal_basis = models.CharField(_("legal basis"), max_length=250, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("self-declare policy")
        verbose_name_plural = _("self-declare policies")

    def __str__(self):
        return f"{self.effective_from:%Y-%m-%d} {self.legal_basis}"


class Certificate(TimeStampedModel):
    number = models.CharField(
        _("certificate number (SH)"), max_length=40, unique=True, validators=[certificate_number_validator]
    )
    issuer = models.CharField(_("issuer"), max_length=100, default="BPJPH")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("business"), on_delete=models.PROTECT, related_name="halal_certificates"
    )
    # A case keeps its withdrawn certificates when it is renewed; at most one of them stands (constraint).
    case = models.ForeignKey(
        HalalCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    products = models.ManyToManyField(
        "marketplace.Product", verbose_name=_("products covered"), related_name="halal_certificates"
    )
    issued_on = models.DateField(_("issued on"))
    # Since 2023 a certificate stays valid while composition and process are unchanged: expiry is optional.
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    pdf = models.FileField(_("certificate PDF"), upload_to="halal/certificates/", blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("halal certificate")
        verbose_name_plural = _("halal certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="halal_certificate_expiry_after_issue",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(revoked=False, case__isnull=False), name="halal_one_standing_certificate"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("halal:certificate_verify", kwargs={"number": self.number})

    def is_valid_on(self, day) -> bool:
        return not self.revoked and self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HalalClaim(TimeStampedModel):
    """A halal certificate number a seller typed for a product: shown to nobody but the seller until staff
    verify it against BPJPH's record (which records or links a `Certificate`), or reject it with a reason."""

    product = models.ForeignKey(
        "marketplace.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="halal_claims"
    )
    number = models.CharField(_("certificate number (SH)"), max_length=40, validators=[certificate_number_validator])
    evidence = models.FileField(_("certificate scan or photo"), upload_to="halal/claims/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    reason = models.TextField(_("reason for rejection"), blank=True)
    # Empty for numbers typed before verification existed (migration 0005 moved them here).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("halal claim")
        verbose_name_plural = _("halal claims")
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="pending"), name="halal_one_pending_claim_per_product"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.number} ({self.product_id})"


class Reminder(models.Model):
    """A reminder that was sent. Unique per subject and kind, so the periodic task never sends one twice."""

    class Kind(models.TextChoices):
        EXPIRY_90 = "expiry_90", _("Certificate expires in 90 days")
        EXPIRY_30 = "expiry_30", _("Certificate expires in 30 days")
        OBLIGATION = "obligation", _("Halal obligation for food products")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    product = models.ForeignKey(
        "marketplace.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "kind"], name="halal_reminder_once_per_certificate"),
            models.UniqueConstraint(fields=["product", "kind"], name="halal_reminder_once_per_product"),
        ]

    def __str__(self):
        return f"{self.kind} {self.certificate_id or self.product_id}"


class FlagshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


CRITERIA = (
    ("score_legality", _("Legality")),
    ("score_halal", _("Halal")),
    ("score_packaging", _("Packaging and label")),
    ("score_quality", _("Quality")),
    ("score_capacity", _("Production capacity")),
    ("score_price", _("Price")),
)


def _score(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True, validators=[MaxValueValidator(5)])


class FlagshipProposal(TimeStampedModel):
    """A product proposed as an OPOP flagship product, scored 1 to 5 on each criterion, then decided by staff."""

    product = models.ForeignKey(
        "marketplace.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="flagship_proposals"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FlagshipStatus.choices, default=FlagshipStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    motivation = models.TextField(_("why this product"), blank=True)
    score_legality = _score(_("Legality"))
    score_halal = _score(_("Halal"))
    score_packaging = _score(_("Packaging and label"))
    score_quality = _score(_("Quality"))
    score_capacity = _score(_("Production capacity"))
    score_price = _score(_("Price"))
    notes = models.TextField(_("curator's notes"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("flagship proposal")
        verbose_name_plural = _("flagship proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="proposed"), name="halal_one_open_flagship_proposal"
            )
        ]

    def __str__(self):
        return f"{self.product} ({self.get_status_display()})"

    @property
    def total_score(self) -> int:
        return sum(getattr(self, field) or 0 for field, _label in CRITERIA)


class FlagshipTarget(models.Model):
    """The programme's target of new flagship products for one year; staff add new years in the admin."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    target = models.PositiveIntegerField(_("new flagship products"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("flagship target")
        verbose_name_plural = _("flagship targets")

    def __str__(self):
        return f"{self.year}: {self.target}"


class LegalityKind(models.TextChoices):
    NIB = "nib", _("NIB (business number)")
    PIRT = "pirt", _("P-IRT (SPP-IRT)")
    BPOM_MD = "bpom_md", _("BPOM MD")
    BPOM_ML = "bpom_ml", _("BPOM ML (import)")
    TRADEMARK = "trademark", _("Trademark registration")
    SNI = "sni", _("SNI certificate")


class LegalityStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class LegalityRecord(TimeStampedModel):
    """A legal identifier of a product (or of its business, for the NIB), checked by Diskop staff."""

    product = models.ForeignKey(
        "marketplace.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="legality_records"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LegalityKind.choices)
    number = models.CharField(_("number"), max_length=60)
    status = models.CharField(
        _("status"), max_length=10, choices=LegalityStatus.choices, default=LegalityStatus.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        ordering = ["product_id", "kind"]
        verbose_name = _("legality record")
        verbose_name_plural = _("legality records")
        constraints = [models.UniqueConstraint(fields=["product", "kind"], name="halal_one_legality_per_kind")]

    def __str__(self):
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"P-IRT No. {self.number}" if self.kind == LegalityKind.PIRT else self.number
