"""Seller-centre tables: the stock ledger, wholesale price tiers and store team invitations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models.catalogue import Product, ProductVariant, Store
from opop.ledger import AppendOnly, AppendOnlyModel
from opop.models import by_whom


class StockMovement(AppendOnlyModel):
    """One change of a product's (or variant's) stock. The stock on the shelf is the sum of its movements.

    Append-only: a mistake is put right by a correction movement, never by editing one. A product with movements
    cannot be deleted; a deleted (empty) variant leaves its movements on the product, which they still sum to."""

    class Kind(models.TextChoices):
        RESTOCK = "restock", _("Restock")
        SALE = "sale", _("Sale")
        CANCELLATION = "cancellation", _("Cancellation")
        CORRECTION = "correction", _("Correction")

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="stock_movements"
    )
    variant = models.ForeignKey(
        ProductVariant,
        verbose_name=_("variant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stock_movements",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"), help_text=_("Positive adds to the shelf, negative takes off."))
    reason = models.CharField(_("reason"), max_length=250, blank=True)
    actor = by_whom(_("by"))
    order = models.ForeignKey(
        "marketplace.Order",
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stock_movements",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        triggers = [AppendOnly(clearable=("actor", "order", "variant"))]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="stockmovement_not_zero")]

    def __str__(self):
        return f"{self.product} {self.quantity:+d} ({self.kind})"


class WholesaleTier(models.Model):
    """A lower unit price from a minimum quantity: grosir, for pesantren buying from each other."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="wholesale_tiers"
    )
    min_quantity = models.PositiveIntegerField(_("from quantity"))
    unit_price = models.PositiveBigIntegerField(_("unit price (Rp)"))

    class Meta:
        ordering = ["min_quantity"]
        verbose_name = _("wholesale price")
        verbose_name_plural = _("wholesale prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "min_quantity"], name="wholesale_one_per_quantity"),
            models.CheckConstraint(condition=Q(min_quantity__gte=2), name="wholesale_min_quantity_2"),
        ]

    def __str__(self):
        return f"{self.product} ≥{self.min_quantity}: {self.unit_price}"


class StoreInvitation(models.Model):
    """An invitation, sent by e-mail as a signed link, to help run a store."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = by_whom(_("accepted by"))
    revoked = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("store invitation")
        verbose_name_plural = _("store invitations")

    def __str__(self):
        return f"{self.store} → {self.email}"
