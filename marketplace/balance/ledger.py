"""The store balance ledger: the movements an order causes (hooked into orders.services.order_transition) and the
sums every balance is read from.

Only gateway-paid orders pass through the balance: the platform collected the money and holds it for the
store. Orders paid by direct bank transfer or cash on pickup are the store's money already and never appear here.
"""

import logging
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.conf import settings
from django.db.models import Sum

from marketplace.models import BalanceEntry, Order, Store
from marketplace.models.balance import BUCKETS
from opop.models import User

logger = logging.getLogger(__name__)
K = BalanceEntry.Kind
S = Order.Status

# Statuses in which a paid order's money is still held as pending (the order runs or a complaint is open).
RUNNING = (S.PAID, S.PROCESSING, S.READY_TO_SHIP, S.SHIPPED, S.DELIVERED, S.REFUND_REQUESTED)


@dataclass(frozen=True)
class Balance:
    pending: int = 0
    available: int = 0
    in_payout: int = 0
    paid_out: int = 0
    refunded: int = 0

    @property
    def credited(self) -> int:
        """What the store was credited in all: the five buckets add up to it."""
        return self.pending + self.available + self.in_payout + self.paid_out + self.refunded

    @property
    def held(self) -> int:
        """What the platform holds for the store now."""
        return self.pending + self.available + self.in_payout


def fee_percent() -> Decimal:
    return Decimal(str(getattr(settings, "MARKETPLACE_PLATFORM_FEE_PERCENT", "0") or "0"))


def platform_fee(total: int) -> int:
    """The platform's fee on an order total, rounded down to whole rupiah (in the store's favour)."""
    fee = (Decimal(total) * fee_percent() / 100).to_integral_value(rounding=ROUND_FLOOR)
    return max(0, min(int(fee), total))


def _sums(queryset) -> dict:
    return queryset.aggregate(**{bucket: Sum(bucket) for bucket in BUCKETS})


def store_balance(*, store: Store) -> Balance:
    """The store's balance, bucket by bucket: plain sums of its ledger (one query)."""
    sums = _sums(BalanceEntry.objects.filter(store=store))
    return Balance(**{bucket: sums[bucket] or 0 for bucket in BUCKETS})


def _entry(*, order: Order, kind: str, actor: User | None, note: str, **buckets) -> BalanceEntry | None:
    """Write one movement of `order` unless it was written already (the order row is locked by the caller)."""
    if BalanceEntry.objects.filter(order=order, kind=kind).exists():
        return None
    entry = BalanceEntry.objects.create(
        store_id=order.store_id, order=order, kind=kind, actor=actor, note=note, **buckets
    )
    logger.info("marketplace.balance_moved", extra={"order": order.number, "kind": kind, "store": order.store_id})
    return entry


def _net(order: Order) -> int:
    """What the order credited the store, fee deducted (from the ledger, whatever the fee setting is today)."""
    return _sums(BalanceEntry.objects.filter(order=order, kind__in=BalanceEntry.CREDITS))["pending"] or 0


def balance_on_transition(*, order: Order, from_status: str, to_status: str, actor: User | None = None) -> None:
    """The balance movements of one order transition, inside its transaction (the order row locked).

    Paid: the total credits pending, the platform fee (if any) is debited as its own line. Completed: the net
    amount moves from pending to available. Refunded, or cancelled after payment: it moves from pending to
    refunded. Every movement happens once per order however often it is retried. Not gateway-paid: nothing."""
    if order.payment_method != Order.PaymentMethod.GATEWAY:
        return
    if to_status == S.PAID:
        if _entry(order=order, kind=K.SALE, actor=actor, note="", pending=order.total):
            fee = platform_fee(order.total)
            if fee:
                _entry(
                    order=order,
                    kind=K.PLATFORM_FEE,
                    actor=actor,
                    note=f"{fee_percent().normalize():f}%",
                    pending=-fee,
                )
    elif to_status == S.COMPLETED:
        net = _net(order)
        if net and not BalanceEntry.objects.filter(order=order, kind=K.REFUND).exists():
            _entry(order=order, kind=K.RELEASE, actor=actor, note="", pending=-net, available=net)
    elif to_status == S.REFUNDED or (to_status == S.CANCELLED and from_status != S.AWAITING_PAYMENT):
        net = _net(order)
        if not net:
            return
        if BalanceEntry.objects.filter(order=order, kind=K.RELEASE).exists():
            # Not possible with today's state machine (a completed order is not refunded); should it become
            # possible, the money comes back out of available, under the store lock payouts take.
            Store.objects.select_for_update().filter(pk=order.store_id).values_list("pk", flat=True).first()
            _entry(order=order, kind=K.REFUND, actor=actor, note="", available=-net, refunded=net)
        else:
            _entry(order=order, kind=K.REFUND, actor=actor, note="", pending=-net, refunded=net)
