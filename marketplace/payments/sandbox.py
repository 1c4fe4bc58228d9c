"""The built-in sandbox gateway (virtual account / QRIS). It behaves like a real one: one virtual account for
the whole checkout, a payment page, then a signed webhook callback (HMAC-SHA256 of the raw body) that we
verify; the same callback twice has one effect. Like a real gateway it keeps its own books of the money it
collected (SandboxCollection) and sends a daily settlement file (a CSV in the default storage)."""

import csv
import io
import json
import logging
import secrets
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.models import CheckoutPayment, Order, Payment, SandboxCollection
from marketplace.payments.base import PaymentProvider, SettlementLine
from marketplace.payments.services import checkout_payment_receive
from opop.models import User
from opop.services import DomainError
from opop.webhooks import webhook_secret, webhook_sign, webhook_verify

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Sandbox-Signature"
SETTLEMENT_FIELDS = ["transaction_id", "virtual_account", "amount", "collected_at"]


def sign(body: bytes) -> str:
    return webhook_sign(secret=webhook_secret("MARKETPLACE_GATEWAY_SECRET"), body=body)


def settlement_path(day: date) -> str:
    return f"marketplace/settlements/sandbox-{day:%Y-%m-%d}.csv"


class SandboxGateway(PaymentProvider):
    code = "sandbox"
    instructions_template = "marketplace/payments/gateway.html"

    def start_orders(self, *, orders: list[Order]) -> list[Payment]:
        raise NotImplementedError("The gateway is paid once per checkout: start_checkout.")

    def start_checkout(
        self, *, buyer: User, checkout_group, orders: list[Order], expires_at: datetime
    ) -> CheckoutPayment:
        payment = CheckoutPayment.objects.create(
            buyer=buyer,
            checkout_group=checkout_group,
            provider=self.code,
            amount=sum(order.total for order in orders),
            provider_transaction_id=f"SBX-{secrets.token_hex(8).upper()}",
            virtual_account="8808" + "".join(str(secrets.randbelow(10)) for _ in range(12)),
            expires_at=expires_at,
        )
        Payment.objects.bulk_create(
            Payment(order=order, provider=self.code, amount=order.total, checkout_payment=payment) for order in orders
        )
        return payment

    def payment_url(self, checkout_payment: CheckoutPayment) -> str:
        return reverse("marketplace:sandbox_page", args=[checkout_payment.provider_transaction_id])

    def settlement(self, day: date) -> list[SettlementLine]:
        """The settlement file of `day`, as the gateway sends it the next morning: written once the day is over
        (the first time it is asked for), read back from the storage after that."""
        path = settlement_path(day)
        if not default_storage.exists(path):
            if day >= timezone.localdate():
                raise DomainError(_("The gateway settles a day once it is over."))
            settlement_file_write(day)
        with default_storage.open(path, "rb") as handle:
            return settlement_parse(handle.read())


# ---------------------------------------------------------------- the sandbox's own side


@transaction.atomic
def sandbox_collect(*, checkout_payment: CheckoutPayment) -> SandboxCollection:
    """The buyer pays the virtual account: the sandbox books the money on its side (once per transaction, a
    second payment of the same VA is the same collection). A closed VA (expired or cancelled) takes no money,
    as a real gateway closes it. Raises DomainError then."""
    collection = SandboxCollection.objects.filter(
        provider_transaction_id=checkout_payment.provider_transaction_id
    ).first()
    if collection is not None:
        return collection
    if checkout_payment.status in (CheckoutPayment.Status.EXPIRED, CheckoutPayment.Status.CANCELLED) or (
        checkout_payment.status == CheckoutPayment.Status.PENDING and checkout_payment.is_expired
    ):
        raise DomainError(_("This virtual account is closed; the payment time ran out or it was cancelled."))
    collection, _created = SandboxCollection.objects.get_or_create(
        provider_transaction_id=checkout_payment.provider_transaction_id,
        defaults={"virtual_account": checkout_payment.virtual_account, "amount": checkout_payment.amount},
    )
    return collection


def sandbox_callback_body(*, checkout_payment: CheckoutPayment, status: str = "paid") -> bytes:
    """What the sandbox gateway posts to our webhook when the buyer pays."""
    return json.dumps(
        {
            "transaction_id": checkout_payment.provider_transaction_id,
            "virtual_account": checkout_payment.virtual_account,
            "amount": checkout_payment.amount,
            "status": status,
        },
        sort_keys=True,
    ).encode()


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def settlement_file_write(day: date) -> str:
    """Write (or rewrite) the settlement file of `day` (WIB) from the sandbox's collections; returns its path.
    Columns: transaction_id, virtual_account, amount (whole rupiah), collected_at (ISO 8601, WIB)."""
    start, end = _day_bounds(day)
    rows = SandboxCollection.objects.filter(collected_at__gte=start, collected_at__lt=end).order_by(
        "collected_at", "id"
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SETTLEMENT_FIELDS)
    for row in rows:
        writer.writerow(
            [
                row.provider_transaction_id,
                row.virtual_account,
                row.amount,
                timezone.localtime(row.collected_at).isoformat(timespec="seconds"),
            ]
        )
    path = settlement_path(day)
    if default_storage.exists(path):
        default_storage.delete(path)
    saved = default_storage.save(path, ContentFile(out.getvalue().encode()))
    logger.info("marketplace.sandbox_settlement_written", extra={"day": day.isoformat(), "rows": rows.count()})
    return saved


def settlement_parse(content: bytes) -> list[SettlementLine]:
    """The lines of a settlement file (the format settlement_file_write writes)."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return [
        SettlementLine(
            transaction_id=row["transaction_id"],
            amount=int(row["amount"]),
            collected_at=datetime.fromisoformat(row["collected_at"]),
        )
        for row in reader
    ]


# ---------------------------------------------------------------- our webhook


def gateway_webhook_handle(*, body: bytes, signature: str) -> str:
    """Verify and apply one gateway callback. Returns what happened: "paid" or "ignored".

    Idempotent (see checkout_payment_receive): the same provider event delivered twice — one after the other
    or at the same moment — pays the checkout's orders once, and the redelivery answers what the first
    delivery answered. Raises InvalidSignature for a forged or altered body, DomainError for one we cannot
    match (unknown transaction, wrong amount)."""
    webhook_verify(secret=webhook_secret("MARKETPLACE_GATEWAY_SECRET"), body=body, signature=signature)
    try:
        data = json.loads(body)
        transaction_id, amount, status = str(data["transaction_id"]), int(data["amount"]), data["status"]
    except (ValueError, KeyError, TypeError):
        raise DomainError("Malformed callback.") from None
    payment = CheckoutPayment.objects.filter(
        provider=SandboxGateway.code, provider_transaction_id=transaction_id
    ).first()
    if payment is None:
        raise DomainError("Unknown transaction.")
    if status != "paid":
        return "ignored"
    return checkout_payment_receive(
        checkout_payment=payment, amount=amount, note=gettext_noop("Paid through the gateway.")
    )


def sandbox_receive(*, checkout_payment: CheckoutPayment) -> str:
    """The buyer pays the virtual account on the sandbox: it books the money on its side, then calls our webhook
    with a signed body, as a real gateway would. Returns the webhook's outcome ("paid" or "ignored"); the payment
    page, the demo and the tests pay this one way. Raises DomainError for a closed VA."""
    sandbox_collect(checkout_payment=checkout_payment)
    body = sandbox_callback_body(checkout_payment=checkout_payment)
    return gateway_webhook_handle(body=body, signature=sign(body))
