"""The daily store-side reconciliation: a run of checks, each a function that reads the facts and returns the
differences it found. Findings are listed for finance staff; nothing is corrected here.

Another check is one more function in CHECKS: `check(run) -> list[ReconciliationFinding]` (unsaved rows with
`kind`, `store`/`order`/`payout`, `expected`, `actual`, `detail`; the run fills in `run`, `day` and `check_name`).
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.balance.ledger import RUNNING
from marketplace.models import (
    BalanceEntry,
    CheckoutPayment,
    Order,
    Payout,
    ReconciliationFinding,
    ReconciliationRun,
)
from marketplace.models.balance import BUCKETS
from marketplace.payments.services import gateway_settlement

logger = logging.getLogger(__name__)
K = BalanceEntry.Kind
S = Order.Status
P = Payout.Status

# Finding kinds, with what a finance officer reads for each (translated on the page).
STORE_TOTAL = "store_total"  # the buckets do not add up to what the orders credited
NEGATIVE_BUCKET = "negative_bucket"  # pending, available or in payout below zero
MISSING_CREDIT = "missing_credit"  # a gateway-paid order without its sale row
WRONG_CREDIT = "wrong_credit"  # the sale row is not the order's total
NOT_GATEWAY = "not_gateway"  # balance rows of an order not paid by the gateway
ORDER_STATE = "order_state"  # the order's money is in the wrong bucket for its status
PAYOUT_STATE = "payout_state"  # the payout's money is in the wrong bucket for its status
GATEWAY_CREDIT = "gateway_credit"  # the gateway collected a transaction; its orders were credited another sum
GATEWAY_UNSETTLED = "gateway_unsettled"  # a checkout we marked paid that day is not in the settlement file
KIND_LABELS = {
    STORE_TOTAL: _("The store's balance does not add up to what its orders credited"),
    NEGATIVE_BUCKET: _("A balance is below zero"),
    MISSING_CREDIT: _("A gateway-paid order was not credited"),
    WRONG_CREDIT: _("An order was credited another amount than its total"),
    NOT_GATEWAY: _("An order not paid by the gateway is in the balance"),
    ORDER_STATE: _("An order's money is not where its status says"),
    PAYOUT_STATE: _("A payout's money is not where its status says"),
    GATEWAY_CREDIT: _("The gateway collected a payment whose orders were credited another amount"),
    GATEWAY_UNSETTLED: _("A payment we recorded as paid is missing from the gateway's settlement"),
}


def _bucket_sums(queryset, key: str) -> dict[int, dict[str, int]]:
    rows = queryset.values(key).order_by(key).annotate(**{f"s_{b}": Sum(b) for b in BUCKETS})
    return {row[key]: {b: row[f"s_{b}"] or 0 for b in BUCKETS} for row in rows}


def check_store_totals(run: ReconciliationRun) -> list[ReconciliationFinding]:
    """For every store: pending + available + in payout + paid out + refunded equals what it was credited, read
    from the ledger's sales and fees and, independently, from the orders (gateway-paid orders' totals minus
    their fees); and no bucket that holds money is below zero."""
    findings = []
    buckets = _bucket_sums(BalanceEntry.objects.all(), "store_id")
    fees = dict(
        BalanceEntry.objects.filter(kind=K.PLATFORM_FEE)
        .values("store_id")
        .order_by("store_id")
        .annotate(fee=Sum("pending"))
        .values_list("store_id", "fee")
    )
    paid = dict(
        Order.objects.filter(payment_method=Order.PaymentMethod.GATEWAY, paid_at__isnull=False)
        .values("store_id")
        .order_by("store_id")
        .annotate(total=Sum("total"))
        .values_list("store_id", "total")
    )
    for store_id in sorted(set(buckets) | set(paid)):
        sums = buckets.get(store_id, dict.fromkeys(BUCKETS, 0))
        expected = (paid.get(store_id) or 0) + (fees.get(store_id) or 0)  # fees are negative
        actual = sum(sums.values())
        if actual != expected:
            findings.append(
                ReconciliationFinding(
                    kind=STORE_TOTAL,
                    store_id=store_id,
                    expected=expected,
                    actual=actual,
                    detail=" + ".join(f"{b} {sums[b]}" for b in BUCKETS),
                )
            )
        for bucket in ("pending", "available", "in_payout"):
            if sums[bucket] < 0:
                findings.append(
                    ReconciliationFinding(
                        kind=NEGATIVE_BUCKET, store_id=store_id, expected=0, actual=sums[bucket], detail=bucket
                    )
                )
    return findings


def _expected_for_order(status: str, net: int) -> dict[str, int]:
    """Where a gateway-paid order's net credit belongs in its status."""
    expected = dict.fromkeys(BUCKETS, 0)
    if status in RUNNING:
        expected["pending"] = net
    elif status == S.COMPLETED:
        expected["available"] = net
    elif status in (S.REFUNDED, S.CANCELLED):
        expected["refunded"] = net
    return expected


def check_orders(run: ReconciliationRun) -> list[ReconciliationFinding]:
    """Each order's ledger rows match its status: a gateway-paid order was credited its total once; a running
    order's credit is pending, a completed one's available, a refunded or cancelled one's refunded. An order not
    paid by the gateway has no rows at all."""
    findings = []
    per_order = _bucket_sums(BalanceEntry.objects.filter(order__isnull=False), "order_id")
    credits: dict[int, dict[str, int]] = defaultdict(dict)
    for order_id, kind, pending in BalanceEntry.objects.filter(kind__in=BalanceEntry.CREDITS).values_list(
        "order_id", "kind", "pending"
    ):
        credits[order_id][kind] = pending
    orders = Order.objects.filter(
        Q(payment_method=Order.PaymentMethod.GATEWAY, paid_at__isnull=False)
        | Q(pk__in=BalanceEntry.objects.filter(order__isnull=False).values("order_id"))
    ).values_list("pk", "store_id", "number", "status", "payment_method", "paid_at", "total")
    for pk, store_id, number, status, method, paid_at, total in orders.iterator():
        sums = per_order.get(pk, dict.fromkeys(BUCKETS, 0))
        base = {"store_id": store_id, "order_id": pk}
        if method != Order.PaymentMethod.GATEWAY or paid_at is None:
            findings.append(
                ReconciliationFinding(
                    kind=NOT_GATEWAY, expected=0, actual=sum(sums.values()), detail=f"{number} {method}", **base
                )
            )
            continue
        sale = credits.get(pk, {}).get(K.SALE)
        if sale is None:
            findings.append(ReconciliationFinding(kind=MISSING_CREDIT, expected=total, actual=0, detail=number, **base))
            continue
        if sale != total:
            findings.append(
                ReconciliationFinding(kind=WRONG_CREDIT, expected=total, actual=sale, detail=number, **base)
            )
        net = sale + credits[pk].get(K.PLATFORM_FEE, 0)
        expected = _expected_for_order(status, net)
        for bucket in BUCKETS:
            if sums[bucket] != expected[bucket]:
                findings.append(
                    ReconciliationFinding(
                        kind=ORDER_STATE,
                        expected=expected[bucket],
                        actual=sums[bucket],
                        detail=f"{number} {status}: {bucket}",
                        **base,
                    )
                )
    return findings


def check_payouts(run: ReconciliationRun) -> list[ReconciliationFinding]:
    """Each payout's rows match its status: requested or approved, its amount is in payout; transferred, paid
    out; failed or rejected, back in available (its rows add up to nothing)."""
    findings = []
    per_payout = _bucket_sums(BalanceEntry.objects.filter(payout__isnull=False), "payout_id")
    for pk, store_id, amount, status in Payout.objects.values_list("pk", "store_id", "amount", "status").iterator():
        sums = per_payout.get(pk, dict.fromkeys(BUCKETS, 0))
        expected = dict.fromkeys(BUCKETS, 0)
        if status in (P.REQUESTED, P.APPROVED):
            expected.update(available=-amount, in_payout=amount)
        elif status == P.TRANSFERRED:
            expected.update(available=-amount, paid_out=amount)
        for bucket in BUCKETS:
            if sums[bucket] != expected[bucket]:
                findings.append(
                    ReconciliationFinding(
                        kind=PAYOUT_STATE,
                        store_id=store_id,
                        payout_id=pk,
                        expected=expected[bucket],
                        actual=sums[bucket],
                        detail=f"OPOP-PO-{pk:06d} {status}: {bucket}",
                    )
                )
    return findings


def check_gateway_settlement(run: ReconciliationRun) -> list[ReconciliationFinding]:
    """The gateway's settlement file of the day before the run (what it says it collected for us) against what
    those payments caused here: for every settled transaction, the sale credits of the orders it paid add up to
    the collected amount; and every checkout payment we recorded as paid that day is in the file. A payment
    that arrived after its orders were cancelled shows as collected but not credited: money to refund."""
    settled_day = run.day - timedelta(days=1)
    collected = {line.transaction_id: line.amount for line in gateway_settlement(settled_day)}
    start = timezone.make_aware(datetime.combine(settled_day, time.min))
    paid_here = dict(
        CheckoutPayment.objects.filter(
            status=CheckoutPayment.Status.PAID, paid_at__gte=start, paid_at__lt=start + timedelta(days=1)
        ).values_list("provider_transaction_id", "amount")
    )
    transaction_of_order = "order__payments__checkout_payment__provider_transaction_id"
    credited = dict(
        BalanceEntry.objects.filter(kind=K.SALE, **{f"{transaction_of_order}__in": [*collected, *paid_here]})
        .values(transaction_of_order)
        .order_by(transaction_of_order)
        .annotate(total=Sum("pending"))
        .values_list(transaction_of_order, "total")
    )
    findings = []
    for transaction_id, amount in sorted(collected.items()):
        if credited.get(transaction_id, 0) != amount:
            findings.append(
                ReconciliationFinding(
                    kind=GATEWAY_CREDIT,
                    expected=amount,
                    actual=credited.get(transaction_id, 0),
                    detail=f"{transaction_id} ({settled_day:%d-%m-%Y})",
                )
            )
    for transaction_id, amount in sorted(paid_here.items()):
        if transaction_id not in collected:
            findings.append(
                ReconciliationFinding(
                    kind=GATEWAY_UNSETTLED,
                    expected=0,
                    actual=amount,
                    detail=f"{transaction_id} ({settled_day:%d-%m-%Y})",
                )
            )
    return findings


Check = Callable[[ReconciliationRun], list[ReconciliationFinding]]
CHECKS: list[Check] = [check_store_totals, check_orders, check_payouts, check_gateway_settlement]


@transaction.atomic
def reconciliation_run(*, day: date | None = None, checks: list[Check] | None = None) -> ReconciliationRun:
    """Run every check for `day` (today in WIB by default) and record what they found. Idempotent: running a
    day again replaces that day's findings with what the checks find now; the data itself is never changed."""
    day = day or timezone.localdate()
    checks = CHECKS if checks is None else checks
    run, _created = ReconciliationRun.objects.select_for_update().get_or_create(day=day)
    run.findings.all().delete()
    run.started_at = timezone.now()
    found = []
    for check in checks:
        for finding in check(run):
            finding.run, finding.day, finding.check_name = run, day, check.__name__.removeprefix("check_")
            found.append(finding)
    ReconciliationFinding.objects.bulk_create(found)
    run.finished_at, run.checks, run.finding_count = timezone.now(), [c.__name__ for c in checks], len(found)
    run.save(update_fields=["started_at", "finished_at", "checks", "finding_count"])
    if found:
        logger.warning("marketplace.balance_reconciliation.findings", extra={"day": str(day), "findings": len(found)})
    else:
        logger.info("marketplace.balance_reconciliation.clean", extra={"day": str(day)})
    return run
