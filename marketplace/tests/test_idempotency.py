"""Every money-moving POST of the Mart, sent twice — one after the other, or at the same moment on PostgreSQL —
has one effect and gives the same response: checkout, the seller's payment confirmation (transfer or cash),
the gateway webhook and the sandbox payment page."""

import re
import uuid
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection  # noqa: F401 (read by the skipif conditions)
from django.test import Client
from django.urls import reverse

from marketplace.cart.services import cart_set
from marketplace.catalogue.stock import stock_restock, stock_set
from marketplace.checkout.services import order_place
from marketplace.models import CartItem, CheckoutPayment, Order, OrderEvent, Payment, Product, StockMovement
from marketplace.orders.services import order_expire
from marketplace.payments.sandbox import SIGNATURE_HEADER, sandbox_callback_body, sign
from marketplace.payments.services import seller_confirm_payment
from marketplace.tests.factories import AddressFactory, ProductFactory, StoreFactory
from marketplace.tests.helpers import checkout_payment, place
from opop.models import AuditEvent
from opop.services import DomainError
from opop.tests.concurrency import run_together

S = Order.Status
on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="concurrent requests need PostgreSQL's row locks; SQLite serialises writers, so there is no race",
)


def _webhook_headers(body: bytes) -> dict:
    return {f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": sign(body)}


def _messages(response) -> list[str]:
    """The messages this response added (the first answer's unread message still waits in the session)."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def _tab(browser) -> Client:
    """Another request from the same logged-in browser (its own cookie jar, safe to use in a thread)."""
    tab = Client()
    for name in (settings.SESSION_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME):
        tab.cookies[name] = browser.cookies[name].value
    return tab


def _fill_cart(buyer, *lines):
    for product, quantity in lines:
        cart_set(user=buyer, session={}, product=product, variant=None, quantity=quantity)


# ---------------------------------------------------------------- checkout


def _checkout_form(client) -> dict:
    """What the browser submits from the rendered checkout page: its fields, with the hidden key it carries."""
    body = client.get(reverse("marketplace:checkout")).content.decode()
    key = re.search(r'name="checkout_key" value="([0-9a-f-]{36})"', body)
    assert key, "the checkout form carries its idempotency key"
    checked = dict(re.findall(r'<input type="radio" name="([\w]+)" value="([^"]*)"[^>]*checked', body))
    assert "address" in checked
    return {**checked, "checkout_key": key.group(1), "place": "1"}


@pytest.mark.django_db
def test_each_rendering_of_the_checkout_form_has_its_own_key(shopper, address, product_a):
    client = _browser(shopper)
    _fill_cart(shopper, (product_a, 1))
    assert _checkout_form(client)["checkout_key"] != _checkout_form(client)["checkout_key"]


@pytest.mark.django_db
def test_the_checkout_form_submitted_twice_places_one_set_of_orders_and_answers_the_same(
    shopper, address, product_a, product_b
):
    client = _browser(shopper)
    _fill_cart(shopper, (product_a, 2), (product_b, 2))
    form = _checkout_form(client)
    first = client.post(reverse("marketplace:checkout"), form)
    second = client.post(reverse("marketplace:checkout"), form)  # a double click, or a retry after a timeout
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert first["Location"] == reverse("marketplace:order_list")
    assert _messages(first) == _messages(second)
    assert "2 order(s) placed" in _messages(second)[0]  # not "your cart is empty"
    orders = Order.objects.filter(buyer=shopper)
    assert orders.count() == 2 and {str(o.checkout_group) for o in orders} == {form["checkout_key"]}
    assert Product.objects.get(pk=product_a.pk).stock == 8 and Product.objects.get(pk=product_b.pk).stock == 8
    assert StockMovement.objects.filter(kind="sale").count() == 2
    assert Payment.objects.count() == 2 and OrderEvent.objects.count() == 2
    assert not CheckoutPayment.objects.exists()  # paid by bank transfer: per store


def test_order_place_with_a_key_used_before_returns_those_orders(db, shopper, address, product_a, product_b):
    key = uuid.uuid4()
    _fill_cart(shopper, (product_a, 1), (product_b, 2))
    first = order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key=key)
    _fill_cart(shopper, (product_a, 5))  # something new in the cart meanwhile: the old key still means the old checkout
    again = order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key=str(key))
    assert [o.pk for o in again] == [o.pk for o in first] and len(first) == 2
    assert Order.objects.count() == 2 and Product.objects.get(pk=product_a.pk).stock == 9
    assert CartItem.objects.filter(user=shopper).count() == 1  # the new line waits for its own checkout
    # A new form (a new key) is a new checkout.
    (third,) = order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key=uuid.uuid4())
    assert third.pk not in {o.pk for o in first} and Product.objects.get(pk=product_a.pk).stock == 4


def test_a_checkout_that_failed_can_be_retried_with_its_key(db, shopper, address, product_a):
    key = uuid.uuid4()
    _fill_cart(shopper, (product_a, 6))
    stock_set(product=product_a, stock=5, actor=None, reason="Counted")  # someone else bought one meanwhile
    with pytest.raises(DomainError, match="sold out"):
        order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key=key)
    assert not Order.objects.exists()
    stock_restock(product=product_a, quantity=5, actor=None)
    (order,) = order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key=key)
    assert order.checkout_group == key and Product.objects.get(pk=product_a.pk).stock == 4


def test_a_key_is_the_buyers_own(db, shopper, address, product_a, admin_b):
    key = uuid.uuid4()
    _fill_cart(shopper, (product_a, 1))
    (mine,) = order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key=key)
    _fill_cart(admin_b, (product_a, 1))
    (theirs,) = order_place(
        buyer=admin_b, session={}, address=AddressFactory(user=admin_b), choices={}, idempotency_key=key
    )
    assert theirs.pk != mine.pk and theirs.buyer == admin_b  # another buyer's key never shows someone's orders


def test_a_damaged_key_is_refused_clearly(db, shopper, address, product_a):
    _fill_cart(shopper, (product_a, 1))
    with pytest.raises(DomainError, match="reload the page"):
        order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key="not-a-uuid")
    assert not Order.objects.exists()


@pytest.fixture
def regions(transactional_db):
    # An earlier transactional test may have flushed the regions that a data migration loaded.
    import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)


@pytest.mark.postgres
@on_postgres
def test_concurrent_checkouts_with_one_key_place_one_set_of_orders(regions, shopper):
    address = AddressFactory(user=shopper)
    product = ProductFactory(stock=10, store=StoreFactory())
    other = ProductFactory(stock=10, store=StoreFactory())
    _fill_cart(shopper, (product, 3), (other, 1))
    key = uuid.uuid4()
    results = run_together(
        8, lambda i: order_place(buyer=shopper, session={}, address=address, choices={}, idempotency_key=key)
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({tuple(o.pk for o in r) for r in results}) == 1 and len(results[0]) == 2
    assert Order.objects.count() == 2
    assert Product.objects.get(pk=product.pk).stock == 7 and Product.objects.get(pk=other.pk).stock == 9
    assert StockMovement.objects.filter(kind="sale").count() == 2


@pytest.mark.postgres
@on_postgres
def test_concurrent_submissions_of_one_checkout_form_answer_alike(regions, shopper):
    AddressFactory(user=shopper)
    product = ProductFactory(stock=10)
    _fill_cart(shopper, (product, 2))
    browser = _browser(shopper)
    form = _checkout_form(browser)

    def submit(i):
        response = _tab(browser).post(reverse("marketplace:checkout"), form)
        return response.status_code, response["Location"], _messages(response)

    results = run_together(5, submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(map(repr, results))) == 1, results
    assert results[0][:2] == (302, reverse("marketplace:order_list"))
    assert Order.objects.count() == 1 and Product.objects.get(pk=product.pk).stock == 8


# ---------------------------------------------------------------- the seller confirms a transfer or cash


@pytest.fixture
def transfer_order(db, shopper, address, product_a):
    (order,) = place(shopper, [(product_a, 2)], address=address)
    return order


@pytest.fixture
def cash_order(db, shopper, address, product_a, store_a):
    (order,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("pickup", "cash_on_pickup")})
    return order


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["transfer_order", "cash_order"])
def test_the_seller_confirming_a_payment_twice_records_it_once(admin_a, store_a, which, request):
    order = request.getfixturevalue(which)
    client = _browser(admin_a)
    url = reverse("marketplace:seller_order_action", args=[order.number, "confirm_payment"])
    first, second = client.post(url), client.post(url)
    assert (first.status_code, first["Location"], _messages(first)) == (
        second.status_code,
        second["Location"],
        _messages(second),
    )
    order.refresh_from_db()
    assert order.status == S.PAID
    assert order.events.filter(to_status=S.PAID).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 1
    assert order.payments.get().status == Payment.Status.CONFIRMED


@pytest.mark.postgres
@on_postgres
@pytest.mark.parametrize("method", ["bank_transfer", "cash_on_pickup"])
def test_concurrent_confirmations_of_one_payment_record_it_once(regions, shopper, admin_a, store_a, method):
    product = ProductFactory(store=store_a, stock=5)
    choices = {store_a.pk: ("pickup", method)}
    (order,) = place(shopper, [(product, 1)], address=AddressFactory(user=shopper), choices=choices)
    results = run_together(6, lambda i: seller_confirm_payment(order=Order.objects.get(pk=order.pk), actor=admin_a))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.pk for r in results} == {order.payments.get().pk}
    assert Order.objects.get(pk=order.pk).status == S.PAID
    assert OrderEvent.objects.filter(order=order, to_status=S.PAID).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 1


# ---------------------------------------------------------------- the gateway's webhook and payment page


@pytest.fixture
def gateway_order(db, shopper, address, product_a, store_a):
    (order,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "gateway")})
    return order


def _post_webhook(client, body):
    url = reverse("marketplace:gateway_webhook")
    return client.post(url, body, content_type="application/json", **_webhook_headers(body))


def test_a_webhook_for_a_cancelled_order_answers_the_same_when_delivered_again(client, gateway_order):
    order_expire(order=gateway_order)
    body = sandbox_callback_body(checkout_payment=checkout_payment(gateway_order))
    first, second = _post_webhook(client, body), _post_webhook(client, body)
    assert (first.status_code, first.content) == (second.status_code, second.content) == (200, b"ignored")
    assert AuditEvent.objects.filter(action="marketplace.refund_due").count() == 1
    assert Order.objects.get(pk=gateway_order.pk).status == S.CANCELLED


@pytest.mark.postgres
@on_postgres
def test_one_provider_event_delivered_concurrently_credits_once(regions, shopper, store_a):
    product = ProductFactory(store=store_a, stock=5)
    choices = {store_a.pk: ("shipping", "gateway")}
    (order,) = place(shopper, [(product, 1)], address=AddressFactory(user=shopper), choices=choices)
    body = sandbox_callback_body(checkout_payment=checkout_payment(order))

    def deliver(i):
        response = _post_webhook(Client(), body)
        return response.status_code, response.content

    results = run_together(8, deliver)
    assert results == [(200, b"paid")] * 8
    assert Order.objects.get(pk=order.pk).status == S.PAID
    assert OrderEvent.objects.filter(order=order, to_status=S.PAID).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 1


@pytest.mark.django_db
def test_the_sandbox_payment_page_posted_twice_pays_once_and_answers_the_same(shopper, gateway_order):
    client = _browser(shopper)
    url = reverse("marketplace:sandbox_pay", args=[checkout_payment(gateway_order).provider_transaction_id])
    first, second = client.post(url), client.post(url)
    assert (first["Location"], _messages(first)) == (second["Location"], _messages(second))
    assert _messages(first) == ["Payment received. Thank you!"]
    assert gateway_order.events.filter(to_status=S.PAID).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 1


@pytest.mark.postgres
@on_postgres
def test_the_sandbox_payment_page_posted_concurrently_pays_once(regions, shopper, store_a):
    product = ProductFactory(store=store_a, stock=5)
    choices = {store_a.pk: ("shipping", "gateway")}
    (order,) = place(shopper, [(product, 1)], address=AddressFactory(user=shopper), choices=choices)
    url = reverse("marketplace:sandbox_pay", args=[checkout_payment(order).provider_transaction_id])
    browser = _browser(shopper)

    def pay(i):
        response = _tab(browser).post(url)
        return response.status_code, response["Location"], _messages(response)

    results = run_together(5, pay)
    assert len(set(map(repr, results))) == 1, results
    assert results[0][2] == ["Payment received. Thank you!"]
    assert OrderEvent.objects.filter(order=order, to_status=S.PAID).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 1
