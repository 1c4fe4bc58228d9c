"""Order reads: a buyer sees their own orders; a seller sees their store's through opop.permissions."""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from marketplace.models import Order, OrderEvent, OrderItem, Payment, ShipmentEvent
from opop.models import person_name
from opop.permissions import scope_queryset
from opop.web import url_for_each

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


@dataclass(slots=True, frozen=True)
class QueueRow:
    """One order as the seller's queue shows it."""

    number: str
    url: str
    status: str
    status_label: str
    payment_method_label: str
    created_at: datetime
    total: int
    buyer_name: str
    buyer_organisation: str  # the pesantren bought for, "" for an order of the buyer's own
    lines: str  # each line's product name and quantity, comma-separated


QUEUE_COLUMNS = (
    "pk",
    "number",
    "status",
    "payment_method",
    "created_at",
    "total",
    "buyer_id",
    "buyer__full_name",
    "buyer__erased_at",
    "buyer_organisation__name",
)


# An order's lines never change once its checkout wrote them (OrderItem rows are created with the order and never
# updated or deleted), so each order's line summary is kept per process under its id and number, at most
# KEPT_LINES orders, least recently shown first out.
KEPT_LINES = 8192
_kept_lines: OrderedDict[tuple[int, str], str] = OrderedDict()
_kept_lines_lock = threading.Lock()


def order_lines(orders: list[dict]) -> dict[int, str]:
    """Each order's lines ("name x quantity", comma-separated) by order id, for `orders` (dicts with pk and number):
    read in one query for the orders not seen by this process yet, none when every one was."""
    with _kept_lines_lock:
        found = {}
        for order in orders:
            key = (order["pk"], order["number"])
            if key in _kept_lines:
                _kept_lines.move_to_end(key)
                found[order["pk"]] = _kept_lines[key]
    missing = [order for order in orders if order["pk"] not in found]
    if not missing:
        return found
    lines: dict[int, list[str]] = {}
    items = OrderItem.objects.filter(order_id__in=[order["pk"] for order in missing])
    for order_id, product_name, quantity in items.values_list("order_id", "product_name", "quantity"):
        lines.setdefault(order_id, []).append(f"{product_name} \N{MULTIPLICATION SIGN} {quantity}")
    read = {order["pk"]: ", ".join(lines.get(order["pk"], ())) for order in missing}
    with _kept_lines_lock:
        for order in missing:
            _kept_lines[(order["pk"], order["number"])] = read[order["pk"]]
        while len(_kept_lines) > KEPT_LINES:
            _kept_lines.popitem(last=False)
    return {**found, **read}


def seller_queue_rows(orders: QuerySet) -> list[QueueRow]:
    """The rows of one page of the seller's queue (`orders`: that page, already scoped to the store) in one query
    for the orders with their buyer's and organisation's columns, and one for the lines of the orders this process
    has not shown before (order_lines). Read as values with each label translated once, not as ~130 model
    instances a page."""
    orders = list(orders.values(*QUEUE_COLUMNS))
    lines = order_lines(orders)
    statuses = {value: str(label) for value, label in Order.Status.choices}
    payments = {value: str(label) for value, label in Order.PaymentMethod.choices}
    detail_url = url_for_each("marketplace:seller_order_detail")
    return [
        QueueRow(
            number=order["number"],
            url=detail_url(order["number"]),
            status=order["status"],
            status_label=statuses.get(order["status"], order["status"]),
            payment_method_label=payments.get(order["payment_method"], order["payment_method"]),
            created_at=order["created_at"],
            total=order["total"],
            buyer_name=person_name(
                pk=order["buyer_id"], full_name=order["buyer__full_name"], erased_at=order["buyer__erased_at"]
            ),
            buyer_organisation=order["buyer_organisation__name"] or "",
            lines=lines[order["pk"]],
        )
        for order in orders
    ]


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
