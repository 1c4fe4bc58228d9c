"""Bank transfer: the buyer transfers to the store's account and uploads the proof; the seller confirms."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.images import render, validate_image_upload
from marketplace.models import Order, OrderEvent, Payment
from marketplace.payments.base import PaymentProvider
from opop.models import User
from opop.services import DomainError


class BankTransfer(PaymentProvider):
    code = "bank_transfer"
    instructions_template = "marketplace/payments/bank_transfer.html"


@transaction.atomic
def transfer_proof_upload(*, order: Order, buyer: User, upload) -> Payment:
    """Store a resized copy of the transfer receipt and tell the seller. Raises ValidationError for a bad
    image and DomainError when the order is not waiting for a transfer."""
    if order.buyer_id != buyer.pk:
        raise DomainError(_("This is not your order."))
    if order.status != Order.Status.AWAITING_PAYMENT or order.payment_method != Order.PaymentMethod.BANK_TRANSFER:
        raise DomainError(_("This order is not waiting for a transfer."))
    payment = order.payments.select_for_update().filter(provider=BankTransfer.code).first()
    image = validate_image_upload(upload, min_side=100)
    payment.proof.save(f"{order.number}-proof.webp", render(image, 1200, f"{order.number}-proof"), save=False)
    payment.status = Payment.Status.PROOF_UPLOADED
    payment.save(update_fields=["proof", "status", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        actor=buyer,
        from_status=order.status,
        to_status=order.status,
        note=gettext_noop("Transfer proof uploaded; waiting for the seller to confirm."),
    )
    return payment
