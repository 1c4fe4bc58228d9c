"""What every payment provider offers, and the confirmation step they share."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.models import Order, Payment
from marketplace.orders import states
from marketplace.orders.services import order_transition
from opop.models import User
from opop.services import DomainError, audit_record


class PaymentProvider:
    """One way to pay. `start` is called inside the transaction that places the order."""

    code = ""
    # Template included on the order page with the instructions for the buyer.
    instructions_template = ""

    def start(self, *, order: Order) -> Payment:
        return Payment.objects.create(order=order, provider=self.code, amount=order.total)


@transaction.atomic
def payment_confirm(*, payment: Payment, actor: User | None, party: str, note: str = "") -> Payment:
    """Record that the money of `payment` arrived and mark its order paid. Idempotent: a confirmed
    payment stays as it is. Records an audit event (a money movement)."""
    payment = Payment.objects.select_for_update().select_related("order__store__organisation").get(pk=payment.pk)
    if payment.status == Payment.Status.CONFIRMED:
        return payment
    order = payment.order
    if order.status != Order.Status.AWAITING_PAYMENT:
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
    order_transition(order=order, to_status=Order.Status.PAID, party=party, actor=actor, note=note)
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
