"""Payment writes and the reads other parts need: confirming a payment (the seller's transfer or cash check,
or the gateway's webhook), the one gateway payment of a checkout (received, cancelled, expired), and the
gateway's settlement for the daily reconciliation."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.models import CheckoutPayment, Order, Payment
from marketplace.orders import states
from marketplace.orders.services import order_cancel_by_buyer, order_expire, order_transition
from marketplace.payments import provider_for
from marketplace.payments.base import SettlementLine
from opop.models import User
from opop.services import DomainError, audit_record

logger = logging.getLogger(__name__)
S = Order.Status


@transaction.atomic
def payment_confirm(*, payment: Payment, actor: User | None, party: str, note: str = "") -> Payment:
    """Record that the money of `payment` arrived and mark its order paid. Idempotent: a confirmed
    payment stays as it is. Records an audit event (a money movement)."""
    payment = Payment.objects.select_for_update().select_related("order__store__organisation").get(pk=payment.pk)
    if payment.status == Payment.Status.CONFIRMED:
        return payment
    order = payment.order
    if order.status != S.AWAITING_PAYMENT:
        raise DomainError(_("This order is no longer waiting for payment."))
    payment.status = Payment.Status.CONFIRMED
    payment.confirmed_at = timezone.now()
    payment.confirmed_by = actor if actor is not None and actor.is_authenticated else None
    payment.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="marketplace.payment_confirmed",
        organisation=order.store.organisation,
        target=payment,
        data={"order": order.number, "amount": payment.amount, "provider": payment.provider},
    )
    order_transition(order=order, to_status=S.PAID, party=party, actor=actor, note=note)
    return payment


def seller_confirm_payment(*, order: Order, actor: User) -> Payment:
    """The seller saw the transfer in the bank account, or took the cash at pickup."""
    payment = order.payments.exclude(status=Payment.Status.VOID).first()
    if payment is None or payment.provider not in ("bank_transfer", "cash_on_pickup"):
        raise DomainError(_("The gateway confirms this payment by itself."))
    note = (
        gettext_noop("Cash received at pickup.")
        if payment.provider == "cash_on_pickup"
        else gettext_noop("Transfer received.")
    )
    return payment_confirm(payment=payment, actor=actor, party=states.SELLER, note=note)


# ---------------------------------------------------------------- the one gateway payment of a checkout


def _locked(checkout_payment: CheckoutPayment) -> CheckoutPayment:
    return CheckoutPayment.objects.select_for_update().get(pk=checkout_payment.pk)


def _shares(checkout_payment: CheckoutPayment) -> list[Payment]:
    """Each order's share of the checkout payment, in order id order (the lock order of every writer)."""
    return list(checkout_payment.payments.select_related("order__store__organisation").order_by("order_id", "id"))


@transaction.atomic
def checkout_payment_receive(*, checkout_payment: CheckoutPayment, amount: int, note: str = "") -> str:
    """The gateway collected `amount` for `checkout_payment`: mark every order of that checkout paid, once.
    Returns "paid" (its orders were paid) or "ignored" (it came after the checkout expired or was cancelled:
    the money is recorded as refund due, one audit event per order, as the stores cannot keep it).

    Idempotent: the checkout payment's row is locked first, so the same event delivered twice — one after the
    other or at the same moment — pays once, and a redelivery answers what the first delivery answered.
    Raises DomainError when the amount is not the checkout's."""
    payment = _locked(checkout_payment)
    if amount != payment.amount:
        raise DomainError(_("The amount does not match the payment."))
    if payment.paid_at is not None:
        logger.info("marketplace.gateway_duplicate", extra={"transaction_id": payment.provider_transaction_id})
        return "paid" if payment.status == CheckoutPayment.Status.PAID else "ignored"
    payment.paid_at = timezone.now()
    paid = []
    for share in _shares(payment):
        order = share.order
        if order.status == S.AWAITING_PAYMENT and payment.status == CheckoutPayment.Status.PENDING:
            payment_confirm(payment=share, actor=None, party=states.SYSTEM, note=note)
            paid.append(order.number)
            continue
        # Paid after the order expired or was cancelled: keep the fact so the money goes back.
        audit_record(
            actor=None,
            action="marketplace.refund_due",
            organisation=order.store.organisation,
            target=share,
            data={"order": order.number, "amount": share.amount, "reason": "paid after cancellation"},
        )
        share.status = Payment.Status.CONFIRMED
        share.save(update_fields=["status", "updated_at"])
    if paid:
        payment.status = CheckoutPayment.Status.PAID
    elif payment.status == CheckoutPayment.Status.PENDING:
        payment.status = CheckoutPayment.Status.EXPIRED if payment.is_expired else CheckoutPayment.Status.CANCELLED
    payment.save(update_fields=["paid_at", "status", "updated_at"])
    audit_record(
        actor=None,
        action="marketplace.checkout_payment_received",
        target=payment,
        data={
            "transaction_id": payment.provider_transaction_id,
            "amount": amount,
            "orders_paid": paid,
            "status": payment.status,
        },
    )
    logger.info("marketplace.gateway_paid", extra={"transaction_id": payment.provider_transaction_id, "orders": paid})
    return "paid" if paid else "ignored"


@transaction.atomic
def checkout_payment_cancel(*, checkout_payment: CheckoutPayment, buyer: User) -> CheckoutPayment:
    """The buyer cancels a checkout paid by the gateway: one VA for all its orders, so every order still
    waiting for that payment is cancelled with it. Raises DomainError once it is paid, expired or not theirs."""
    payment = _locked(checkout_payment)
    if payment.buyer_id != buyer.pk:
        raise DomainError(_("This is not your order."))
    if payment.status != CheckoutPayment.Status.PENDING:
        raise DomainError(_("This payment is no longer open."))
    for share in _shares(payment):
        if share.order.status == S.AWAITING_PAYMENT:
            order_cancel_by_buyer(order=share.order, buyer=buyer)
    payment.status = CheckoutPayment.Status.CANCELLED
    payment.save(update_fields=["status", "updated_at"])
    return payment


def checkout_payments_expire(*, now=None) -> int:
    """Close every open gateway payment whose time ran out and cancel all the orders of its checkout together
    (their stock goes back on sale). Returns how many orders it cancelled. Safe to run twice or concurrently."""
    now = now or timezone.now()
    expired = 0
    due = CheckoutPayment.objects.filter(status=CheckoutPayment.Status.PENDING, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            payment = CheckoutPayment.objects.select_for_update().get(pk=pk)
            if payment.status != CheckoutPayment.Status.PENDING or payment.paid_at is not None:
                continue  # paid or closed meanwhile
            for share in _shares(payment):
                if share.order.status == S.AWAITING_PAYMENT:
                    order_expire(order=share.order)
                    expired += 1
            payment.status = CheckoutPayment.Status.EXPIRED
            payment.save(update_fields=["status", "updated_at"])
    return expired


# ---------------------------------------------------------------- reads for the reconciliation


def gateway_settlement(day: date) -> list[SettlementLine]:
    """What the gateway says it collected for us on `day` (WIB): its settlement file, read through the
    provider interface. The daily reconciliation compares it with the credits the payments caused."""
    return provider_for(Order.PaymentMethod.GATEWAY).settlement(day)


def orders_of_transaction(transaction_id: str) -> list[Order]:
    """The orders one gateway transaction paid for (every gateway order of its checkout), by id."""
    return list(
        Order.objects.filter(payments__checkout_payment__provider_transaction_id=transaction_id)
        .select_related("store")
        .order_by("id")
        .distinct()
    )


def checkout_payment_of(order: Order) -> CheckoutPayment | None:
    """The one gateway payment `order` is part of, or None (bank transfer, cash)."""
    share = order.payments.filter(checkout_payment__isnull=False).select_related("checkout_payment").first()
    return share.checkout_payment if share else None
