"""The one order state machine, for every payment method. Who may make which move is declared here, and when an
order nobody confirms completes by itself."""

from datetime import datetime, timedelta

from django.conf import settings

from marketplace.models import Order

S = Order.Status
BUYER, SELLER, SYSTEM = "buyer", "seller", "system"

# (from, to) → the parties allowed to make that move. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], set[str]] = {
    # The seller confirms a transfer or the cash at pickup; the gateway's webhook confirms for itself.
    (S.AWAITING_PAYMENT, S.PAID): {SELLER, SYSTEM},
    (S.AWAITING_PAYMENT, S.CANCELLED): {BUYER, SELLER, SYSTEM},
    (S.PAID, S.PROCESSING): {SELLER},
    (S.PAID, S.CANCELLED): {SELLER},
    (S.PROCESSING, S.CANCELLED): {SELLER},
    (S.PROCESSING, S.SHIPPED): {SELLER},
    # Booked with the courier (marketplace.shipping): the parcel waits for pickup. The courier's "picked up"
    # (SYSTEM, by its tracking) or the seller handing it over moves it on; the seller may still cancel.
    (S.PROCESSING, S.READY_TO_SHIP): {SELLER},
    (S.READY_TO_SHIP, S.SHIPPED): {SELLER, SYSTEM},
    (S.READY_TO_SHIP, S.CANCELLED): {SELLER},
    # A pickup order is handed over at the pesantren: no shipping step.
    (S.PROCESSING, S.DELIVERED): {SELLER},
    (S.SHIPPED, S.DELIVERED): {SELLER, SYSTEM},  # SYSTEM: the courier's "delivered" tracking event
    # The buyer may confirm receipt as soon as the parcel arrives, before the seller marks it delivered. Nobody
    # confirming, the auto-complete job (SYSTEM) completes a delivered order after 48 h, a shipped one after 7 days.
    (S.SHIPPED, S.COMPLETED): {BUYER, SYSTEM},
    (S.DELIVERED, S.COMPLETED): {BUYER, SYSTEM},
    # A complaint (refund requested) can be opened until the order completes; it stops the auto-complete.
    (S.PAID, S.REFUND_REQUESTED): {BUYER},
    (S.PROCESSING, S.REFUND_REQUESTED): {BUYER},
    (S.READY_TO_SHIP, S.REFUND_REQUESTED): {BUYER},
    (S.SHIPPED, S.REFUND_REQUESTED): {BUYER},
    (S.DELIVERED, S.REFUND_REQUESTED): {BUYER},
    (S.REFUND_REQUESTED, S.REFUNDED): {SELLER},
    # The seller rejects a complaint (with a reason): the order returns to the status it had before the complaint,
    # and to that one only (order_transition checks it against the complaint's event). See COMPLAINT_RETURNS.
    **{
        (S.REFUND_REQUESTED, back): {SELLER} for back in (S.PAID, S.PROCESSING, S.READY_TO_SHIP, S.SHIPPED, S.DELIVERED)
    },
}

# The statuses a complaint can be opened from, and so the ones a rejected complaint can return to.
COMPLAINT_RETURNS = frozenset(frm for (frm, to) in TRANSITIONS if to == S.REFUND_REQUESTED)

# Statuses whose auto-complete clock runs, and the order field it runs from (see services.orders_auto_complete).
AUTO_COMPLETE_CLOCKS = {S.SHIPPED: "shipped_at", S.DELIVERED: "delivered_at"}

# States in which the reserved stock goes back on the shelf.
RELEASES_STOCK = {S.CANCELLED}


def allowed(from_status: str, to_status: str, party: str) -> bool:
    return party in TRANSITIONS.get((from_status, to_status), set())


def is_complaint_return(from_status: str, to_status: str) -> bool:
    return from_status == S.REFUND_REQUESTED and to_status in COMPLAINT_RETURNS


def next_moves(from_status: str, party: str) -> list[str]:
    """The moves `party` may make from `from_status`. A complaint's return is left out: it has one target only,
    the status before the complaint (see order_complaint_reject)."""
    return [
        to
        for (frm, to), parties in TRANSITIONS.items()
        if frm == from_status and party in parties and not is_complaint_return(frm, to)
    ]


def auto_complete_delays() -> dict[str, timedelta]:
    """How long after entering each status an order nobody confirms completes (settings)."""
    return {
        S.SHIPPED: timedelta(days=settings.MARKETPLACE_AUTOCOMPLETE_SHIPPED_DAYS),
        S.DELIVERED: timedelta(hours=settings.MARKETPLACE_AUTOCOMPLETE_DELIVERED_HOURS),
    }


def auto_complete_at(order: Order) -> datetime | None:
    """When `order` completes by itself unless the buyer confirms or complains first; None when its clock does not
    run (any other status, or an order without the date)."""
    field = AUTO_COMPLETE_CLOCKS.get(order.status)
    start = getattr(order, field) if field else None
    return start + auto_complete_delays()[order.status] if start else None
