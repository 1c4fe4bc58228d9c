"""Shipments booked with a courier and the tracking events the courier reports (issue #20)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models.orders import Order
from opop.ledger import AppendOnlyModel
from opop.models import TimeStampedModel


class ShipmentStatus(models.TextChoices):
    BOOKED = "booked", _("Waiting for the courier to pick up")
    PICKED_UP = "picked_up", _("Picked up by the courier")
    IN_TRANSIT = "in_transit", _("On the way")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Shipment(TimeStampedModel):
    """One parcel of one order handed to a courier: booked through the courier interface (provider = its code,
    the resi its answer) or typed by the seller for a courier outside it (provider "manual")."""

    Status = ShipmentStatus
    MANUAL = "manual"

    order = models.OneToOneField(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="shipment")
    provider = models.CharField(_("provider"), max_length=30)
    courier = models.CharField(_("courier"), max_length=40)
    service = models.CharField(_("service"), max_length=30, blank=True)
    service_name = models.CharField(_("service"), max_length=60, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (grams)"))
    # What the courier charges the store (the shopper paid order.shipping_cost, less under a free-shipping rule).
    price = models.PositiveBigIntegerField(_("courier price"), default=0)
    awb = models.CharField(_("tracking number (resi)"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.BOOKED, db_index=True
    )
    booked_at = models.DateTimeField(_("booked"), default=timezone.now)
    # The last time the courier told us anything (webhook or poll); the poll asks about shipments silent for a day.
    last_event_at = models.DateTimeField(_("last news"), default=timezone.now, db_index=True)
    polled_at = models.DateTimeField(_("last asked"), null=True, blank=True)

    class Meta:
        ordering = ["-booked_at", "-id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "awb"], condition=~Q(awb=""), name="shipment_awb_unique_per_provider"
            ),
        ]

    def __str__(self):
        return f"{self.courier} {self.awb}"

    @property
    def is_active(self) -> bool:
        return self.status not in (ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED)


class ShipmentEvent(AppendOnlyModel):
    """One tracking event as the courier reported it. Append-only; one row per courier event id."""

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT, related_name="events")
    provider = models.CharField(_("provider"), max_length=30)
    provider_event_id = models.CharField(_("courier event id"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=ShipmentStatus.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    happened_at = models.DateTimeField(_("when"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["happened_at", "id"]
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_event_id"], name="shipmentevent_once_per_event"),
        ]

    def __str__(self):
        return f"{self.shipment} {self.status}"
