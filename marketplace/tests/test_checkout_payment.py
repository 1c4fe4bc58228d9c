"""One checkout, one payment: a checkout across stores paid by the gateway is one virtual account for the grand
total, one signed webhook pays every order of it once, and its orders expire together. Bank transfer stays per
store. The sandbox gateway keeps its own books and writes a daily settlement file."""

import json
import re
import uuid
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection  # noqa: F401 (read by the skipif conditions)
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.cart.services import cart_by_store, cart_lines, cart_set
from marketplace.checkout.services import order_place
from marketplace.models import (
    CheckoutPayment,
    Order,
    OrderEvent,
    Payment,
    Product,
    SandboxCollection,
)
from marketplace.payments.sandbox import (
    SIGNATURE_HEADER,
    sandbox_callback_body,
    sandbox_collect,
    settlement_file_write,
    settlement_parse,
    settlement_path,
    sign,
)
from marketplace.payments.services import (
    checkout_payment_of,
    checkout_payments_expire,
    gateway_settlement,
    orders_of_transaction,
)
from marketplace.tasks import expire_unpaid_orders
from marketplace.tests.factories import AddressFactory, ProductFactory, StoreFactory
from marketplace.tests.helpers import place
from opop.models import AuditEvent
from opop.services import DomainError
from opop.tests.concurrency import run_together

S = Order.Status
on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="concurrent requests need PostgreSQL's row locks; SQLite serialises writers, so there is no race",
)


def _gateway_checkout(shopper, address, product_a, product_b) -> list[Order]:
    return place(shopper, [(product_a, 1), (product_b, 2)], address=address, payment_method="gateway")


def _post_webhook(client, body: bytes, signature: str | None = None):
    return client.post(
        reverse("marketplace:gateway_webhook"),
        body,
        content_type="application/json",
        **{f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": sign(body) if signature is None else signature},
    )


@pytest.fixture
def two_orders(db, shopper, address, product_a, product_b):
    return _gateway_checkout(shopper, address, product_a, product_b)


# ---------------------------------------------------------------- one payment for the checkout


def test_a_two_store_gateway_checkout_is_one_payment_of_the_grand_total_with_one_va(two_orders, shopper):
    assert len(two_orders) == 2 and len({o.store_id for o in two_orders}) == 2
    payment = CheckoutPayment.objects.get()
    assert payment.amount == sum(o.total for o in two_orders) == 160000 + 130000
    assert payment.buyer == shopper and payment.checkout_group == two_orders[0].checkout_group
    assert payment.provider_transaction_id.startswith("SBX-") and len(payment.virtual_account) == 16
    assert payment.status == CheckoutPayment.Status.PENDING
    # Each order has its share, linked to the one payment, without a transaction or VA of its own.
    shares = Payment.objects.order_by("order_id")
    assert [(p.order_id, p.amount, p.checkout_payment_id) for p in shares] == [
        (o.pk, o.total, payment.pk) for o in sorted(two_orders, key=lambda o: o.pk)
    ]
    assert not shares.exclude(provider_transaction_id=None).exists()
    # Its orders expire together, with it, after the gateway's window (24 h by default).
    assert {o.expires_at for o in two_orders} == {payment.expires_at}
    assert abs(payment.expires_at - (timezone.now() + timedelta(hours=24))) < timedelta(minutes=1)
    assert orders_of_transaction(payment.provider_transaction_id) == sorted(two_orders, key=lambda o: o.pk)


def test_the_gateway_payment_window_is_a_setting(settings, shopper, address, product_a, product_b):
    settings.MARKETPLACE_GATEWAY_PAYMENT_HOURS = 2
    orders = _gateway_checkout(shopper, address, product_a, product_b)
    payment = checkout_payment_of(orders[0])
    assert abs(payment.expires_at - (timezone.now() + timedelta(hours=2))) < timedelta(minutes=1)


def test_one_webhook_pays_every_order_of_the_checkout_once(client, two_orders):
    payment = checkout_payment_of(two_orders[0])
    body = sandbox_callback_body(checkout_payment=payment)
    first, second = _post_webhook(client, body), _post_webhook(client, body)
    assert (first.status_code, first.content, second.content) == (200, b"paid", b"paid")
    for order in two_orders:
        order.refresh_from_db()
        assert order.status == S.PAID and order.paid_at is not None
        assert order.events.filter(to_status=S.PAID).count() == 1
        assert order.payments.get().status == Payment.Status.CONFIRMED
    payment.refresh_from_db()
    assert payment.status == CheckoutPayment.Status.PAID and payment.paid_at is not None
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 2
    assert AuditEvent.objects.filter(action="marketplace.checkout_payment_received").count() == 1


@pytest.mark.parametrize("tamper", ["amount", "signature", "unknown"])
def test_a_wrong_amount_a_forged_signature_or_an_unknown_transaction_is_refused(client, two_orders, tamper):
    payment = checkout_payment_of(two_orders[0])
    data = {"transaction_id": payment.provider_transaction_id, "amount": payment.amount, "status": "paid"}
    signature = None
    if tamper == "amount":
        data["amount"] = two_orders[0].total  # one store's share is not the payment
    elif tamper == "unknown":
        data["transaction_id"] = "SBX-NOPE"
    body = json.dumps(data).encode()
    if tamper == "signature":
        signature = sign(body + b" ")
    response = _post_webhook(client, body, signature)
    assert response.status_code == (403 if tamper == "signature" else 400)
    assert set(Order.objects.values_list("status", flat=True)) == {S.AWAITING_PAYMENT}
    payment.refresh_from_db()
    assert payment.paid_at is None and payment.status == CheckoutPayment.Status.PENDING


def test_the_orders_of_a_gateway_checkout_expire_together_with_their_payment(two_orders, product_a, product_b):
    payment = checkout_payment_of(two_orders[0])
    CheckoutPayment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    Order.objects.filter(pk__in=[o.pk for o in two_orders]).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_unpaid_orders() == 2
    assert expire_unpaid_orders() == 0  # a second run changes nothing
    assert set(Order.objects.values_list("status", flat=True)) == {S.CANCELLED}
    assert CheckoutPayment.objects.get().status == CheckoutPayment.Status.EXPIRED
    assert Product.objects.get(pk=product_a.pk).stock == 10 and Product.objects.get(pk=product_b.pk).stock == 10


def test_checkout_payments_expire_closes_all_orders_even_when_one_order_still_had_time(two_orders):
    payment = checkout_payment_of(two_orders[0])
    CheckoutPayment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert checkout_payments_expire() == 2
    assert set(Order.objects.values_list("status", flat=True)) == {S.CANCELLED}


def test_a_payment_after_the_checkout_expired_is_recorded_as_refund_due_once(client, two_orders):
    payment = checkout_payment_of(two_orders[0])
    CheckoutPayment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    checkout_payments_expire()
    body = sandbox_callback_body(checkout_payment=payment)
    first, second = _post_webhook(client, body), _post_webhook(client, body)
    assert (first.status_code, first.content) == (second.status_code, second.content) == (200, b"ignored")
    assert set(Order.objects.values_list("status", flat=True)) == {S.CANCELLED}
    refunds = AuditEvent.objects.filter(action="marketplace.refund_due")
    assert sorted(e.data["amount"] for e in refunds) == sorted(o.total for o in two_orders)
    payment.refresh_from_db()
    assert payment.status == CheckoutPayment.Status.EXPIRED and payment.paid_at is not None
    # The sandbox, like a real gateway, closed the VA: the buyer cannot pay it any more.
    with pytest.raises(DomainError, match="closed"):
        sandbox_collect(
            checkout_payment=CheckoutPayment.objects.create(
                buyer=payment.buyer,
                checkout_group=uuid.uuid4(),
                provider="sandbox",
                amount=1000,
                provider_transaction_id="SBX-CLOSED",
                virtual_account="8808000000000000",
                expires_at=timezone.now() - timedelta(minutes=1),
            )
        )


def test_an_order_the_seller_cancelled_meanwhile_is_refund_due_and_the_others_are_paid(client, two_orders, admin_a):
    from marketplace.orders.services import order_cancel_by_seller

    cancelled = next(o for o in two_orders if o.store.organisation.memberships.filter(user=admin_a).exists())
    order_cancel_by_seller(order=cancelled, actor=admin_a, reason="Stok habis")
    body = sandbox_callback_body(checkout_payment=checkout_payment_of(two_orders[0]))
    assert _post_webhook(client, body).content == b"paid"
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {o.pk: S.CANCELLED if o.pk == cancelled.pk else S.PAID for o in two_orders}
    (refund,) = AuditEvent.objects.filter(action="marketplace.refund_due")
    assert refund.data["amount"] == cancelled.total


def test_the_buyer_cancels_the_whole_gateway_checkout(client, shopper, two_orders):
    client.force_login(shopper)
    client.post(reverse("marketplace:order_action", args=[two_orders[0].number, "cancel"]))
    assert set(Order.objects.values_list("status", flat=True)) == {S.CANCELLED}
    assert CheckoutPayment.objects.get().status == CheckoutPayment.Status.CANCELLED


# ---------------------------------------------------------------- how the checkout is paid


def test_bank_transfer_stays_one_payment_per_store(shopper, address, product_a, product_b):
    orders = place(shopper, [(product_a, 1), (product_b, 2)], address=address)
    assert not CheckoutPayment.objects.exists()
    assert sorted(Payment.objects.values_list("provider", "amount", "checkout_payment")) == sorted(
        ("bank_transfer", o.total, None) for o in orders
    )


def test_a_checkout_is_paid_one_way_but_cash_at_pickup_may_differ_per_store(
    shopper, address, product_a, product_b, store_a, store_b
):
    with pytest.raises(DomainError, match="one way"):
        place(
            shopper,
            [(product_a, 1), (product_b, 2)],
            address=address,
            choices={store_a.pk: ("shipping", "bank_transfer"), store_b.pk: ("shipping", "gateway")},
        )
    assert not Order.objects.exists()
    orders = order_place(
        buyer=shopper,
        session={},
        address=address,
        choices={store_a.pk: ("pickup", "cash_on_pickup")},
        payment_method="gateway",
    )
    methods = {o.store_id: o.payment_method for o in orders}
    assert methods == {store_a.pk: "cash_on_pickup", store_b.pk: "gateway"}
    assert CheckoutPayment.objects.get().amount == next(o.total for o in orders if o.store_id == store_b.pk)


def test_the_checkout_page_says_bank_transfer_is_per_store_and_the_gateway_is_one_payment(
    client, shopper, address, product_a, product_b
):
    client.force_login(shopper)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=2)
    preview = {"address": address.pk, "payment": "gateway", f"delivery_{product_a.store_id}": "shipping"}
    preview[f"delivery_{product_b.store_id}"] = "shipping"
    body = client.get(reverse("marketplace:checkout"), preview).content.decode()
    assert "Bank transfer is per store: you make 2 transfers" in body
    assert "one payment with one VA number for every order of this checkout" in body
    assert "One payment by virtual account / QRIS: Rp290.000" in body
    assert re.search(r'<input type="radio" name="payment" value="gateway"[^>]*checked', body)


def test_a_cart_changed_after_the_page_read_it_is_not_placed(shopper, address, product_a, product_b):
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    cart = cart_by_store(cart_lines(user=shopper, session={}))
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=3)  # another tab
    with pytest.raises(DomainError, match="cart changed"):
        order_place(buyer=shopper, session={}, address=address, choices={}, cart=cart)
    assert not Order.objects.exists()


# ---------------------------------------------------------------- the payment page


def test_the_payment_page_shows_one_va_the_amount_the_deadline_and_copy_buttons(client, shopper, two_orders):
    payment = checkout_payment_of(two_orders[0])
    CheckoutPayment.objects.filter(pk=payment.pk).update(
        expires_at=timezone.make_aware(timezone.datetime(2026, 12, 4, 9, 15))
    )
    client.force_login(shopper)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("marketplace:sandbox_page", args=[payment.provider_transaction_id])).content.decode()
    assert "Pay before 4 Dec 2026 09.15 WIB" in body
    assert body.count(payment.virtual_account) >= 2  # shown, and on its copy button
    assert f'data-copy="{payment.virtual_account}"' in body and f'data-copy="{payment.amount}"' in body
    assert "Rp290.000" in body and all(o.number in body for o in two_orders)
    assert re.search(r'<script src="[^"]*js/copy\.js"', body) and "onclick" not in body


def test_the_order_page_and_the_order_list_link_to_the_one_payment_page(client, shopper, two_orders):
    payment = checkout_payment_of(two_orders[0])
    url = reverse("marketplace:sandbox_page", args=[payment.provider_transaction_id])
    client.force_login(shopper)
    for order in two_orders:
        assert url in client.get(reverse("marketplace:order_detail", args=[order.number])).content.decode()
    assert client.get(reverse("marketplace:order_list")).content.decode().count(url) == 2


def test_the_payment_page_is_404_for_another_buyer(client, two_orders, admin_b):
    payment = checkout_payment_of(two_orders[0])
    client.force_login(admin_b)
    for name in ("sandbox_page", "sandbox_pay"):
        method = client.get if name == "sandbox_page" else client.post
        assert method(reverse(f"marketplace:{name}", args=[payment.provider_transaction_id])).status_code == 404
    assert CheckoutPayment.objects.get().status == CheckoutPayment.Status.PENDING


def test_the_sandbox_page_posted_twice_collects_once_and_pays_both_orders_once(client, shopper, two_orders):
    payment = checkout_payment_of(two_orders[0])
    client.force_login(shopper)
    url = reverse("marketplace:sandbox_pay", args=[payment.provider_transaction_id])
    first, second = client.post(url), client.post(url)
    assert first["Location"] == second["Location"]
    assert SandboxCollection.objects.get().amount == payment.amount
    assert OrderEvent.objects.filter(to_status=S.PAID).count() == 2
    assert set(Order.objects.values_list("status", flat=True)) == {S.PAID}


def test_the_checkout_form_posted_twice_makes_one_gateway_payment(client, shopper, address, product_a, product_b):
    client.force_login(shopper)
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=2)
    form = {
        "address": address.pk,
        "payment": "gateway",
        "checkout_key": str(uuid.uuid4()),
        f"delivery_{product_a.store_id}": "shipping",
        f"delivery_{product_b.store_id}": "shipping",
        "place": "1",
    }
    first, second = (
        client.post(reverse("marketplace:checkout"), form),
        client.post(reverse("marketplace:checkout"), form),
    )
    assert first["Location"] == second["Location"] == reverse("marketplace:order_list")
    assert Order.objects.count() == 2 and CheckoutPayment.objects.count() == 1


# ---------------------------------------------------------------- concurrency (PostgreSQL)


@pytest.fixture
def regions(transactional_db):
    # An earlier transactional test may have flushed the regions that a data migration loaded.
    import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)


@pytest.mark.postgres
@on_postgres
def test_two_webhooks_for_one_checkout_at_the_same_moment_pay_it_once(regions, shopper):
    products = [ProductFactory(store=StoreFactory(), stock=5) for _ in range(2)]
    orders = place(shopper, [(p, 1) for p in products], address=AddressFactory(user=shopper), payment_method="gateway")
    body = sandbox_callback_body(checkout_payment=checkout_payment_of(orders[0]))

    def deliver(i):
        response = _post_webhook(Client(), body)
        return response.status_code, response.content

    results = run_together(8, deliver)
    assert results == [(200, b"paid")] * 8
    assert set(Order.objects.values_list("status", flat=True)) == {S.PAID}
    assert OrderEvent.objects.filter(to_status=S.PAID).count() == 2
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 2
    assert AuditEvent.objects.filter(action="marketplace.checkout_payment_received").count() == 1


@pytest.mark.postgres
@on_postgres
def test_the_sandbox_page_posted_concurrently_collects_once(regions, shopper):
    products = [ProductFactory(store=StoreFactory(), stock=5) for _ in range(2)]
    orders = place(shopper, [(p, 1) for p in products], address=AddressFactory(user=shopper), payment_method="gateway")
    url = reverse("marketplace:sandbox_pay", args=[checkout_payment_of(orders[0]).provider_transaction_id])

    def pay(i):
        browser = Client()
        browser.force_login(shopper)
        return browser.post(url).status_code

    assert run_together(5, pay) == [302] * 5
    assert SandboxCollection.objects.count() == 1
    assert OrderEvent.objects.filter(to_status=S.PAID).count() == 2


# ---------------------------------------------------------------- the gateway's settlement file


def _collect_on(payment: CheckoutPayment, when) -> SandboxCollection:
    collection = sandbox_collect(checkout_payment=payment)
    SandboxCollection.objects.filter(pk=collection.pk).update(collected_at=when)
    return SandboxCollection.objects.get(pk=collection.pk)


def test_the_settlement_file_lists_what_the_sandbox_collected_that_day(two_orders, shopper, address, product_a):
    yesterday = timezone.localdate() - timedelta(days=1)
    payment = checkout_payment_of(two_orders[0])
    at = timezone.make_aware(timezone.datetime.combine(yesterday, timezone.datetime.min.time())) + timedelta(
        hours=9, minutes=15
    )
    _collect_on(payment, at)
    (later,) = place(shopper, [(product_a, 1)], address=address, payment_method="gateway")
    _collect_on(checkout_payment_of(later), at + timedelta(days=1))  # today: not in yesterday's file

    lines = gateway_settlement(yesterday)
    assert [(line.transaction_id, line.amount) for line in lines] == [(payment.provider_transaction_id, 290000)]
    assert lines[0].collected_at == at
    with default_storage.open(settlement_path(yesterday)) as handle:
        content = handle.read().decode()
    assert content == (
        "transaction_id,virtual_account,amount,collected_at\n"
        f"{payment.provider_transaction_id},{payment.virtual_account},290000,{yesterday.isoformat()}T09:15:00+07:00\n"
    )
    # The file is the gateway's word: read back as written, even if our side changed meanwhile.
    SandboxCollection.objects.all().delete()
    assert gateway_settlement(yesterday) == lines
    with pytest.raises(DomainError, match="once it is over"):
        gateway_settlement(timezone.localdate())


def test_the_settlement_file_round_trips(two_orders):
    day = timezone.localdate() - timedelta(days=2)
    payment = checkout_payment_of(two_orders[0])
    collection = _collect_on(payment, timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.max.time())))
    path = settlement_file_write(day)
    with default_storage.open(path) as handle:
        (line,) = settlement_parse(handle.read())
    assert (line.transaction_id, line.amount) == (payment.provider_transaction_id, payment.amount)
    assert line.collected_at == collection.collected_at.replace(microsecond=0)
    assert settlement_file_write(day) == path  # rewritten in place, not a second file


def test_the_migration_gives_each_gateway_payment_made_before_it_a_checkout_payment(shopper, address, product_a):
    migration = import_module("marketplace.migrations.0013_checkout_payment")
    (order,) = place(shopper, [(product_a, 1)], address=address)
    Order.objects.filter(pk=order.pk).update(payment_method="gateway")
    Payment.objects.filter(order=order).update(
        provider="sandbox", provider_transaction_id="SBX-OLD", virtual_account="8808123412341234"
    )
    migration.gateway_payments_to_checkout_payments(apps, None)
    migration.gateway_payments_to_checkout_payments(apps, None)  # nothing left to move the second time
    payment = CheckoutPayment.objects.get()
    assert (payment.provider_transaction_id, payment.virtual_account, payment.amount) == (
        "SBX-OLD",
        "8808123412341234",
        order.total,
    )
    assert payment.status == CheckoutPayment.Status.PENDING and checkout_payment_of(order) == payment
    assert orders_of_transaction("SBX-OLD") == [order]
