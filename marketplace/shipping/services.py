"""Shipping writes: a store's shipping settings, booking a shipment with the courier (the order becomes ready to
ship), recording the courier's tracking events (webhook or poll) and the order moves they cause."""

import json
import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.models import Order, Shipment, ShipmentEvent, ShipmentStatus, Store
from marketplace.orders import states
from marketplace.orders.services import order_transition
from marketplace.shipping import courier
from marketplace.shipping.base import CourierRefused, TrackingEvent
from marketplace.shipping.quotes import FLAT, FREE, ZONE_CHOICES
from marketplace.shipping.rates import COURIER_SERVICES, SERVICES, STORE_COURIER
from opop.models import User
from opop.services import DomainError, audit_record
from opop.webhooks import webhook_secret, webhook_verify

logger = logging.getLogger(__name__)
S = Order.Status
St = ShipmentStatus
STEP_ORDER = [St.BOOKED, St.PICKED_UP, St.IN_TRANSIT, St.OUT_FOR_DELIVERY, St.DELIVERED]
MAX_RULES = 10


# ---------------------------------------------------------------- the store's settings


def store_services_set(*, store: Store, actor: User, services: list[str]) -> Store:
    """Which couriers' services (and its own delivery) `store` offers at checkout. Raises DomainError for an
    unknown code or when nothing is left to receive an order by."""
    unknown = set(services) - {*COURIER_SERVICES, STORE_COURIER}
    if unknown:
        raise DomainError(_("Unknown shipping service."))
    if not services and not store.allows_pickup:
        raise DomainError(_("Offer at least one way to send orders, or allow pickup at the pesantren."))
    store.courier_services = [code for code in (*COURIER_SERVICES, STORE_COURIER) if code in services]
    store.save(update_fields=["courier_services", "updated_at"])
    audit_record(
        actor=actor, action="marketplace.shipping_services_set", organisation=store.organisation, target=store,
        data={"services": store.courier_services},
    )  # fmt: skip
    return store


def store_rule_add(
    *, store: Store, actor: User, kind: str, zone: str, min_subtotal: int, price: int, service: str = ""
) -> Store:
    """Add a free-shipping or flat-rate rule (e.g. free in the same kabupaten/kota from Rp100.000). Raises
    DomainError for a rule that cannot be."""
    if (
        kind not in (FREE, FLAT)
        or zone not in dict(ZONE_CHOICES)
        or (service and service not in SERVICES and service != STORE_COURIER)
    ):
        raise DomainError(_("Choose the kind of rule, where it applies and the service."))
    if min_subtotal < 0 or price < 0 or (kind == FLAT and price <= 0):
        raise DomainError(_("A flat rate needs a price above Rp0; amounts cannot be negative."))
    rules = list(store.shipping_rules or [])
    if len(rules) >= MAX_RULES:
        raise DomainError(_("A store can have at most %(n)d shipping rules.") % {"n": MAX_RULES})
    rules.append(
        {
            "kind": kind,
            "zone": zone,
            "min_subtotal": min_subtotal,
            "price": price if kind == FLAT else 0,
            "service": service,
        }
    )
    store.shipping_rules = rules
    store.save(update_fields=["shipping_rules", "updated_at"])
    return store


def store_rule_remove(*, store: Store, actor: User, index: int) -> Store:
    rules = list(store.shipping_rules or [])
    if not 0 <= index < len(rules):
        raise DomainError(_("That shipping rule does not exist."))
    del rules[index]
    store.shipping_rules = rules
    store.save(update_fields=["shipping_rules", "updated_at"])
    return store


# ---------------------------------------------------------------- booking


@transaction.atomic
def shipment_book(*, order: Order, actor: User) -> Shipment:
    """Book the pickup of `order` with the courier of the service the shopper chose: the courier returns the resi,
    the order becomes "ready to ship" (awaiting the courier) with courier and resi on it. Booking twice returns
    the first booking. Raises DomainError for an order that is not being processed, a pickup, the store's own
    delivery (nothing to book) or a courier that refuses."""
    locked = Order.objects.select_for_update().select_related("store__organisation").get(pk=order.pk)
    existing = Shipment.objects.filter(order=locked).first()
    if existing is not None and locked.status == S.READY_TO_SHIP:
        return existing
    if locked.delivery != Order.Delivery.SHIPPING:
        raise DomainError(_("A pickup order is handed over, not shipped."))
    service = SERVICES.get(locked.shipping_service)
    if service is None:
        raise DomainError(
            _("This order goes by the store's own delivery or another courier: mark it shipped when it leaves.")
        )
    if not states.allowed(locked.status, S.READY_TO_SHIP, states.SELLER):
        raise DomainError(_("Accept the order before booking its shipment."))
    provider = courier()
    shipment = existing or Shipment(order=locked)
    shipment.provider, shipment.courier, shipment.service = provider.code, service.courier, service.code
    shipment.service_name = service.label
    shipment.weight_grams = locked.shipping_weight_grams
    shipment.price = locked.shipping_courier_price or locked.shipping_cost
    shipment.booked_at = shipment.last_event_at = timezone.now()
    shipment.status = St.BOOKED
    booked = ["provider", "courier", "service", "service_name", "weight_grams", "price", "booked_at", "last_event_at"]
    shipment.save(update_fields=None if existing is None else [*booked, "status", "updated_at"])
    try:
        shipment.awb = provider.book(shipment)
    except Exception:  # the courier's API is down or refused: nothing is booked, the seller may try again
        logger.exception("marketplace.shipment_book_failed", extra={"order": locked.number})
        raise DomainError(_("The courier could not be reached; try again in a moment.")) from None
    shipment.save(update_fields=["awb", "updated_at"])
    order_transition(
        order=locked, to_status=S.READY_TO_SHIP, party=states.SELLER, actor=actor,
        note=gettext_noop("Shipment booked; waiting for the courier to pick it up."),
        courier=service.label, tracking_number=shipment.awb,
    )  # fmt: skip
    order.refresh_from_db()
    return shipment


@transaction.atomic
def shipment_booking_cancel(*, order: Order, actor: User | None, refunding: bool = False) -> Shipment | None:
    """Cancel the courier booking of `order` when it is ready to ship (booked, waiting for the pickup), through the
    courier interface like the booking: call it in the transaction that cancels the order, so a refusal cancels
    nothing. The shipment becomes "cancelled" with a cancelled event on its timeline (buyer's and seller's order
    pages) and the audit log. Returns the shipment, or None when there is no booking to cancel (no shipment, a
    manual resi, another status).

    Idempotent: a cancelled shipment is left as it is; the courier's cancel is idempotent too, so a retry after a
    rolled-back transaction is safe. Raises DomainError when the courier refuses (the parcel is already picked
    up: the order can no longer be cancelled by the seller) or cannot be reached.

    `refunding`: the seller refunds a complaint opened while the order was ready to ship (order_refund). The
    booking is cancelled the same way, but a parcel already picked up does not stop the refund: it is on its
    way, and the booking stays as the courier has it (None)."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    shipment = Shipment.objects.select_for_update().filter(order=locked).first()
    if (
        locked.status not in ((S.READY_TO_SHIP, S.REFUND_REQUESTED) if refunding else (S.READY_TO_SHIP,))
        or shipment is None
        or shipment.provider == Shipment.MANUAL
        or shipment.status == St.CANCELLED
    ):
        return None
    try:
        courier().cancel(shipment)
    except CourierRefused as refusal:
        logger.info("marketplace.shipment_cancel_refused", extra={"awb": shipment.awb, "reason": str(refusal)})
        if refunding:
            return None
        raise DomainError(
            _(
                "The courier has already picked up the parcel, so the order can no longer be cancelled. Once it "
                "arrives, the buyer can ask for a refund."
            )
        ) from None
    except Exception:  # the courier's API is down: nothing is cancelled, the seller may try again
        logger.exception("marketplace.shipment_cancel_failed", extra={"awb": shipment.awb})
        raise DomainError(
            _("The courier could not be reached, so the order is not cancelled; try again in a moment.")
        ) from None
    now = timezone.now()
    shipment.status, shipment.last_event_at = St.CANCELLED, now
    shipment.save(update_fields=["status", "last_event_at", "updated_at"])
    ShipmentEvent.objects.create(
        shipment=shipment, provider=shipment.provider, provider_event_id=f"{shipment.awb}:cancelled",
        status=St.CANCELLED, happened_at=now,
    )  # fmt: skip
    audit_record(
        actor=actor, action="marketplace.shipment_cancelled", organisation=locked.store.organisation, target=locked,
        data={"awb": shipment.awb, "courier": shipment.courier},
    )  # fmt: skip
    return shipment


# ---------------------------------------------------------------- tracking


def _move_order(shipment: Shipment, status: str) -> None:
    """What a tracking event means for the order: picked up → shipped; delivered → delivered (its auto-complete
    clock starts). An order elsewhere (a complaint open, cancelled, already completed) only records the event."""
    order = Order.objects.select_for_update().get(pk=shipment.order_id)
    moves = []
    if status != St.BOOKED and order.status == S.READY_TO_SHIP:
        moves.append((S.SHIPPED, gettext_noop("The courier picked up the parcel.")))
    if status == St.DELIVERED and order.status in (S.READY_TO_SHIP, S.SHIPPED):
        moves.append((S.DELIVERED, gettext_noop("The courier delivered the parcel.")))
    for to_status, note in moves:
        order_transition(order=order, to_status=to_status, party=states.SYSTEM, actor=None, note=note)


@transaction.atomic
def shipment_event_record(*, shipment: Shipment, event: TrackingEvent) -> str:
    """Record one tracking event of `shipment` and move its order. Idempotent: the courier's event id is recorded
    once (the shipment row is locked, and the unique (provider, event id) backs it up), so the same event by
    webhook and by poll, or delivered twice at once, has one effect. Returns "recorded" or "duplicate"."""
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if event.status not in STEP_ORDER[1:]:
        raise DomainError("Unknown tracking status.")
    if ShipmentEvent.objects.filter(provider=shipment.provider, provider_event_id=event.event_id).exists():
        return "duplicate"
    try:
        with transaction.atomic():
            ShipmentEvent.objects.create(
                shipment=shipment, provider=shipment.provider, provider_event_id=event.event_id,
                status=event.status, description=event.description[:300], location=event.location[:120],
                happened_at=event.happened_at,
            )  # fmt: skip
    except IntegrityError:
        return "duplicate"
    now = timezone.now()
    fields = ["last_event_at", "updated_at"]
    shipment.last_event_at = now
    if STEP_ORDER.index(event.status) > STEP_ORDER.index(shipment.status) if shipment.status in STEP_ORDER else False:
        shipment.status = event.status  # events may arrive out of order: the parcel never moves back
        fields.append("status")
    shipment.save(update_fields=fields)
    _move_order(shipment, event.status)
    logger.info("marketplace.tracking_recorded", extra={"awb": shipment.awb, "status": event.status})
    return "recorded"


def _parse(body: bytes) -> TrackingEvent:
    try:
        data = json.loads(body)
        happened = parse_datetime(str(data["happened_at"]))
        if happened is None or len(str(data["event_id"])) > 100:
            raise ValueError
        if timezone.is_naive(happened):
            happened = timezone.make_aware(happened)
        return TrackingEvent(
            event_id=str(data["event_id"]), awb=str(data["awb"]), status=str(data["status"]), happened_at=happened,
            description=str(data.get("description", "")), location=str(data.get("location", "")),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError):
        raise DomainError("Malformed tracking event.") from None


def courier_webhook_handle(*, body: bytes, signature: str) -> str:
    """Verify and apply one tracking webhook of the sandbox courier. Returns "recorded" or "duplicate". Raises
    InvalidSignature for a forged or altered body (nothing is read from it), DomainError for one we cannot
    match (unknown resi, unknown status)."""
    from marketplace.shipping.sandbox import SandboxCourier

    webhook_verify(secret=webhook_secret("MARKETPLACE_COURIER_SECRET"), body=body, signature=signature)
    event = _parse(body)
    shipment = Shipment.objects.filter(provider=SandboxCourier.code, awb=event.awb).first()
    if shipment is None:
        raise DomainError("Unknown tracking number.")
    return shipment_event_record(shipment=shipment, event=event)


def shipments_silent(*, now: datetime | None = None):
    """Shipments on their way (order ready to ship or shipped) that the courier has told nothing for a day, and
    that we have not asked about for a day either."""
    cutoff = (now or timezone.now()) - timedelta(hours=24)
    return (
        Shipment.objects.exclude(provider=Shipment.MANUAL)
        .filter(status__in=STEP_ORDER[:-1], order__status__in=(S.READY_TO_SHIP, S.SHIPPED), last_event_at__lte=cutoff)
        .filter(Q(polled_at__isnull=True) | Q(polled_at__lte=cutoff))
    )


def shipments_poll(*, now: datetime | None = None) -> int:
    """Ask the courier about every silent shipment (shipments_silent) and record what it says (idempotently, as a
    webhook would). Returns how many new events were recorded. A courier error for one parcel skips it."""
    now = now or timezone.now()
    provider, recorded = courier(), 0
    for shipment in shipments_silent(now=now).select_related("order"):
        try:
            events = provider.track(shipment.awb)
        except Exception:
            logger.exception("marketplace.tracking_poll_failed", extra={"awb": shipment.awb})
            continue
        for event in events:
            recorded += shipment_event_record(shipment=shipment, event=event) == "recorded"
        Shipment.objects.filter(pk=shipment.pk).update(polled_at=now)
    if recorded:
        logger.info("marketplace.tracking_polled", extra={"events": recorded})
    return recorded
