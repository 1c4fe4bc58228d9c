"""The one order state machine, for every payment method. Who may make which move is declared here."""

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
    # A pickup order is handed over at the pesantren: no shipping step.
    (S.PROCESSING, S.DELIVERED): {SELLER},
    (S.SHIPPED, S.DELIVERED): {SELLER},
    # The buyer may confirm receipt as soon as the parcel arrives, before the seller marks it delivered.
    (S.SHIPPED, S.COMPLETED): {BUYER},
    (S.DELIVERED, S.COMPLETED): {BUYER, SYSTEM},
    (S.PAID, S.REFUND_REQUESTED): {BUYER},
    (S.PROCESSING, S.REFUND_REQUESTED): {BUYER},
    (S.SHIPPED, S.REFUND_REQUESTED): {BUYER},
    (S.DELIVERED, S.REFUND_REQUESTED): {BUYER},
    (S.REFUND_REQUESTED, S.REFUNDED): {SELLER},
}

# States in which the reserved stock goes back on the shelf.
RELEASES_STOCK = {S.CANCELLED}


def allowed(from_status: str, to_status: str, party: str) -> bool:
    return party in TRANSITIONS.get((from_status, to_status), set())


def next_moves(from_status: str, party: str) -> list[str]:
    return [to for (frm, to), parties in TRANSITIONS.items() if frm == from_status and party in parties]
