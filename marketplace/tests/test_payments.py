import json

import pytest
from django.urls import reverse

from marketplace.models import CheckoutPayment, Order, Payment
from marketplace.payments import provider_for
from marketplace.payments.bank_transfer import BankTransfer, transfer_proof_upload
from marketplace.payments.sandbox import SIGNATURE_HEADER, SandboxGateway, sandbox_callback_body, sign
from marketplace.payments.services import seller_confirm_payment
from marketplace.tests.factories import image_upload
from marketplace.tests.helpers import checkout_payment, place
from opop.models import AuditEvent
from opop.services import DomainError

pytestmark = pytest.mark.django_db
WEBHOOK = "marketplace:gateway_webhook"


@pytest.fixture
def gateway_order(shopper, address, product_a, store_a):
    (order,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "gateway")})
    return order


def post_webhook(client, body, signature):
    return client.post(
        reverse(WEBHOOK),
        body,
        content_type="application/json",
        **{f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": signature},
    )


def test_a_signed_webhook_marks_the_order_paid_once(client, gateway_order):
    payment = checkout_payment(gateway_order)
    body = sandbox_callback_body(checkout_payment=payment)
    first = post_webhook(client, body, sign(body))
    second = post_webhook(client, body, sign(body))
    assert (first.status_code, first.content, second.content) == (200, b"paid", b"paid")
    gateway_order.refresh_from_db()
    assert gateway_order.status == Order.Status.PAID
    assert gateway_order.events.filter(to_status=Order.Status.PAID).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 1


@pytest.mark.parametrize("tamper", ["signature", "body", "missing"])
def test_a_forged_or_altered_webhook_is_refused(client, gateway_order, tamper):
    payment = checkout_payment(gateway_order)
    body = sandbox_callback_body(checkout_payment=payment)
    signature = sign(body)
    if tamper == "signature":
        signature = "0" * 64
    elif tamper == "body":
        body = body.replace(str(payment.amount).encode(), b"1")
    elif tamper == "missing":
        signature = ""
    assert post_webhook(client, body, signature).status_code == 403
    assert Order.objects.get(pk=gateway_order.pk).status == Order.Status.AWAITING_PAYMENT


def test_a_wrong_amount_or_unknown_transaction_is_rejected(client, gateway_order):
    payment = checkout_payment(gateway_order)
    for data in (
        {"transaction_id": payment.provider_transaction_id, "amount": 1, "status": "paid"},
        {"transaction_id": "SBX-NOPE", "amount": payment.amount, "status": "paid"},
    ):
        body = json.dumps(data).encode()
        assert post_webhook(client, body, sign(body)).status_code == 400
    assert gateway_order.payments.get().status == Payment.Status.PENDING
    assert CheckoutPayment.objects.get(pk=payment.pk).paid_at is None


def test_payment_after_expiry_is_kept_as_refund_due(client, gateway_order):
    from marketplace.orders.services import order_expire

    order_expire(order=gateway_order)
    body = sandbox_callback_body(checkout_payment=checkout_payment(gateway_order))
    assert post_webhook(client, body, sign(body)).content == b"ignored"
    assert Order.objects.get(pk=gateway_order.pk).status == Order.Status.CANCELLED
    assert AuditEvent.objects.filter(action="marketplace.refund_due").exists()


def test_the_sandbox_payment_page_pays_through_the_signed_webhook(client, shopper, gateway_order, admin_b):
    payment = checkout_payment(gateway_order)
    client.force_login(admin_b)
    assert client.get(reverse("marketplace:sandbox_page", args=[payment.provider_transaction_id])).status_code == 404
    client.force_login(shopper)
    body = client.get(reverse("marketplace:sandbox_page", args=[payment.provider_transaction_id])).content.decode()
    assert payment.virtual_account in body
    client.post(reverse("marketplace:sandbox_pay", args=[payment.provider_transaction_id]))
    assert Order.objects.get(pk=gateway_order.pk).status == Order.Status.PAID


def test_bank_transfer_proof_then_seller_confirms(shopper, address, product_a, admin_a, admin_b):
    (order,) = place(shopper, [(product_a, 1)], address=address)
    with pytest.raises(DomainError, match="not your order"):
        transfer_proof_upload(order=order, buyer=admin_b, upload=image_upload())
    payment = transfer_proof_upload(order=order, buyer=shopper, upload=image_upload())
    assert payment.status == Payment.Status.PROOF_UPLOADED and payment.proof.name.endswith(".webp")
    seller_confirm_payment(order=order, actor=admin_a)
    seller_confirm_payment(order=order, actor=admin_a)  # idempotent on a double click
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.events.filter(to_status="paid").count() == 1


def test_the_seller_cannot_confirm_a_gateway_payment(gateway_order, admin_a):
    with pytest.raises(DomainError, match="gateway"):
        seller_confirm_payment(order=gateway_order, actor=admin_a)


def test_the_provider_class_is_chosen_in_settings(settings):
    assert isinstance(provider_for("gateway"), SandboxGateway)
    settings.MARKETPLACE_PAYMENT_PROVIDERS = {"gateway": "marketplace.payments.bank_transfer.BankTransfer"}
    assert isinstance(provider_for("gateway"), BankTransfer)
