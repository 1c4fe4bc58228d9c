"""Listing curation: which categories are curated (policy rows with effective dates) and the review of a listing.

A product's public state is `Product.listing_status`. A review is a `ProductRevision`: for a new product in a
curated category it holds nothing (the product itself is what is reviewed); for an approved product it holds
the proposed values of the fields shoppers rely on and its new photos, which reach the product only when the
revision is approved — until then shoppers see the last approved version.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.models.catalogue import Product
from opop.models import TimeStampedModel, by_whom


class CurationRule(TimeStampedModel):
    """Whether products of one category (and of its subtree, unless a subcategory has its own rule) need review.

    Keyed by the category's slug, not a foreign key: the policy is seeded by a migration before any category
    exists (categories are created by staff or the demo), and a rule outlives a category recreated with the
    same slug. The rule in force on a day is the one with the latest `effective_from` on or before that day
    whose `effective_until` (inclusive) has not passed — the shape of `halal.SelfDeclarePolicy`.
    """

    category_slug = models.SlugField(_("category (slug)"), max_length=120)
    requires_curation = models.BooleanField(_("listings need review"), default=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["category_slug", "-effective_from"]
        verbose_name = _("curation rule")
        verbose_name_plural = _("curation rules")
        constraints = [
            models.UniqueConstraint(fields=["category_slug", "effective_from"], name="curationrule_one_per_day"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=F("effective_from")),
                name="curationrule_until_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.category_slug} {self.effective_from:%Y-%m-%d}"


class ProductRevision(TimeStampedModel):
    """One review of a listing: a new product, or the changes proposed to an approved one."""

    class Kind(models.TextChoices):
        NEW = "new", _("New listing")
        EDIT = "edit", _("Changes")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Field name → proposed value (a category as its id); EDIT revisions only.
    changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    # The approved values the changes replace, as they were when the revision was decided (for the history).
    previous = models.JSONField(_("values replaced"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    submitted_by = by_whom(_("submitted by"))
    reviewed_by = by_whom(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("listing review")
        verbose_name_plural = _("listing reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="pending"), name="productrevision_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="productrevision_queue")]

    def __str__(self):
        return f"{self.product} · {self.get_kind_display()} ({self.get_status_display()})"


class RevisionPhoto(models.Model):
    """A photo added to an approved product, held back (never on a public page) until its revision is approved."""

    revision = models.ForeignKey(
        ProductRevision, verbose_name=_("listing review"), on_delete=models.CASCADE, related_name="photos"
    )
    large = models.ImageField(
        _("large"), upload_to="marketplace/products/review/l/", width_field="width", height_field="height"
    )
    medium = models.ImageField(_("medium"), upload_to="marketplace/products/review/m/")
    small = models.ImageField(_("small"), upload_to="marketplace/products/review/s/")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(_("description of the photo"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo awaiting review")
        verbose_name_plural = _("photos awaiting review")

    def __str__(self):
        return self.alt_text or f"{self.revision_id}"
