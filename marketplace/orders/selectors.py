"""Order reads: a buyer sees their own orders; a seller sees their store's through opop.permissions."""

from django.db.models import Prefetch, QuerySet

from marketplace.models import Order, OrderEvent, OrderItem, Payment, ShipmentEvent
from opop.permissions import scope_queryset

SELLER_ROLES = ("owner", "staff")


def buyer_orders(user) -> QuerySet:
    return Order.objects.filter(buyer=user).select_related("store")


def seller_orders(user) -> QuerySet:
    return scope_queryset(
        Order.objects.select_related("store", "buyer"),
        user,
        organisation_field="store__organisation",
        roles=SELLER_ROLES,
    )


def with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("store__organisation", "destination", "buyer", "shipment").prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.select_related("product", "review")),
        Prefetch("shipment__events", queryset=ShipmentEvent.objects.order_by("happened_at", "id")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
        Prefetch("payments", queryset=Payment.objects.select_related("checkout_payment").order_by("-created_at")),
    )


def gateway_payments() -> Prefetch:
    """Each order's share of its checkout's gateway payment (for the link to the one payment page)."""
    return Prefetch(
        "payments", queryset=Payment.objects.filter(checkout_payment__isnull=False).select_related("checkout_payment")
    )


def latest_complaint(order: Order) -> OrderEvent | None:
    """The event that opened the order's latest complaint, read from the prefetched events (see with_details)."""
    return next((e for e in reversed(order.events.all()) if e.to_status == Order.Status.REFUND_REQUESTED), None)
