"""Opening a store: an organisation's request for an OPOP Mart store, decided by Diskop UKM staff (or, for a
santri business, by its supervising pesantren). The store exists only once the request is approved."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.models.catalogue import PILLAR_BY_KIND, Pillar, Store
from opop.models import KabupatenKota, Organisation, TimeStampedModel, by_whom

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use small letters, digits and single hyphens only, starting and ending with a letter or digit."),
)
account_number_validator = RegexValidator(r"^[0-9]{6,20}$", _("An account number has 6 to 20 digits only."))


class StoreApplication(TimeStampedModel):
    """What the store will be, as its owner asks for it. One per organisation: returned, it is edited and
    submitted again; approved, it points at the store it opened."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")

    WAITING = (Status.SUBMITTED, Status.RESUBMITTED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="store_application"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    name = models.CharField(_("store name"), max_length=150)
    slug = models.SlugField(
        _("store address"),
        max_length=60,
        unique=True,
        validators=[slug_validator],
        help_text=_("The last part of the store's web address; small letters, digits and hyphens."),
    )
    logo = models.ImageField(_("logo"), upload_to="marketplace/store-applications/", blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    origin = models.ForeignKey(KabupatenKota, verbose_name=_("ships from"), on_delete=models.PROTECT, related_name="+")
    pickup_address = models.CharField(_("pickup address"), max_length=250)
    # Where a courier picks up: the kecamatan and desa of the pickup address (Kemendagri codes), its postal code
    # and map pin. A courier quotes from `origin_kecamatan_code`, else from the regency/city's code.
    origin_kecamatan = models.CharField(_("pickup district (kecamatan)"), max_length=80, blank=True)
    origin_kecamatan_code = models.CharField(_("pickup district code"), max_length=8, blank=True)
    origin_desa = models.CharField(_("pickup village (desa/kelurahan)"), max_length=80, blank=True)
    origin_desa_code = models.CharField(_("pickup village code"), max_length=13, blank=True)
    origin_postal_code = models.CharField(_("pickup postal code"), max_length=5, blank=True)
    origin_latitude = models.DecimalField(_("pickup latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    origin_longitude = models.DecimalField(_("pickup longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60)
    bank_account_number = models.CharField(_("account number"), max_length=20, validators=[account_number_validator])
    bank_account_name = models.CharField(_("account holder"), max_length=100)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="store_applications",
    )
    # The applicant's language when they last submitted: the decision e-mail is written in it.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    decided_by = by_whom(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), max_length=1000, blank=True)
    store = models.OneToOneField(
        Store,
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("store application")
        verbose_name_plural = _("store applications")
        indexes = [models.Index(fields=["status", "submitted_at"], name="storeapp_status_submitted")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="storeapp_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(store__isnull=False, decided_at__isnull=False),
                name="storeapp_approved_has_store",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def pillar(self) -> str:
        return PILLAR_BY_KIND.get(self.organisation.kind, "")

    def get_pillar_display(self) -> str:
        return Pillar(self.pillar).label if self.pillar else ""

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE
