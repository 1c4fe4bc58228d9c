"""The built-in sandbox gateway (virtual account / QRIS). It behaves like a real one: a payment page, then a
signed webhook callback (HMAC-SHA256 of the raw body) that we verify; the same callback twice has one effect."""

import hashlib
import hmac
import json
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from marketplace.models import Order, Payment
from marketplace.orders import states
from marketplace.payments.base import PaymentProvider, payment_confirm
from opop.services import DomainError, audit_record

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Sandbox-Signature"


class InvalidSignature(DomainError):
    pass


def _secret() -> bytes:
    return getattr(settings, "MARKETPLACE_GATEWAY_SECRET", settings.SECRET_KEY).encode()


def sign(body: bytes) -> str:
    return hmac.new(_secret(), body, hashlib.sha256).hexdigest()


class SandboxGateway(PaymentProvider):
    code = "sandbox"
    instructions_template = "marketplace/payments/gateway.html"

    def start(self, *, order: Order) -> Payment:
        return Payment.objects.create(
            order=order,
            provider=self.code,
            amount=order.total,
            provider_transaction_id=f"SBX-{secrets.token_hex(8).upper()}",
            virtual_account="8808" + "".join(str(secrets.randbelow(10)) for _ in range(12)),
        )


def sandbox_callback_body(*, payment: Payment, status: str = "paid") -> bytes:
    """What the sandbox gateway posts to our webhook when the buyer pays."""
    return json.dumps(
        {
            "transaction_id": payment.provider_transaction_id,
            "order": payment.order.number,
            "amount": payment.amount,
            "status": status,
        },
        sort_keys=True,
    ).encode()


@transaction.atomic
def gateway_webhook_handle(*, body: bytes, signature: str) -> str:
    """Verify and apply one gateway callback. Returns what happened: "paid" or "ignored".

    Idempotent: the payment row is locked, so the same provider event delivered twice — one after the other or
    at the same moment — credits once, and the redelivery answers what the first delivery answered ("paid" when
    it paid the order, "ignored" when it came after the order was cancelled). Raises InvalidSignature for a
    forged or altered body, DomainError for one we cannot match."""
    if not signature or not hmac.compare_digest(sign(body), signature):
        raise InvalidSignature("Invalid signature.")
    try:
        data = json.loads(body)
        transaction_id, amount, status = data["transaction_id"], int(data["amount"]), data["status"]
    except (ValueError, KeyError, TypeError):
        raise DomainError("Malformed callback.") from None
    payment = (
        Payment.objects.select_for_update()
        .select_related("order__store__organisation")
        .filter(provider=SandboxGateway.code, provider_transaction_id=transaction_id)
        .first()
    )
    if payment is None:
        raise DomainError("Unknown transaction.")
    if amount != payment.amount:
        raise DomainError("Amount does not match.")
    if status != "paid":
        return "ignored"
    if payment.status == Payment.Status.CONFIRMED:
        # A redelivery: the money was credited once already. Answer as the first delivery did.
        logger.info("marketplace.gateway_duplicate", extra={"transaction_id": transaction_id})
        return "paid" if payment.order.paid_at is not None else "ignored"
    if payment.order.status != Order.Status.AWAITING_PAYMENT:
        # Paid after the order expired: keep the fact so the money goes back.
        audit_record(
            actor=None,
            action="marketplace.refund_due",
            organisation=payment.order.store.organisation,
            target=payment,
            data={"order": payment.order.number, "amount": amount, "reason": "paid after cancellation"},
        )
        payment.status = Payment.Status.CONFIRMED
        payment.save(update_fields=["status", "updated_at"])
        return "ignored"
    payment_confirm(
        payment=payment,
        actor=None,
        party=states.SYSTEM,
        note=gettext_noop("Paid through the gateway."),
    )
    logger.info("marketplace.gateway_paid", extra={"transaction_id": transaction_id})
    return "paid"
