import re

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.cart.services import cart_by_store, cart_lines, cart_set
from marketplace.catalogue.services import shipping_rate_set
from marketplace.checkout.planning import checkout_plan
from marketplace.checkout.services import order_place
from marketplace.models import CartItem, CheckoutPayment, Order, Payment, Product
from marketplace.tests.factories import AddressFactory, VariantFactory
from marketplace.tests.helpers import place
from opop.services import DomainError

pytestmark = pytest.mark.django_db


def test_the_cart_splits_into_one_order_per_store_with_its_own_shipping(
    shopper, address, store_a, store_b, product_a, product_b, region, django_capture_on_commit_callbacks
):
    shipping_rate_set(store=store_a, kabupaten_kota=region("35.78"), price=18000)
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=2)
    cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=4)
    plans = checkout_plan(cart=cart_by_store(cart_lines(user=shopper, session={})), address=address, choices={})
    assert [(p.store.name, p.subtotal, p.shipping_cost, p.total) for p in plans] == [
        ("Koppontren Darul Ulum", 240000, 18000, 258000),
        ("Koppontren Sidogiri", 180000, 40000, 220000),  # no rate for Surabaya: the default
    ]
    with django_capture_on_commit_callbacks(execute=True):
        orders = order_place(buyer=shopper, session={}, address=address, choices={})
    assert sorted(o.total for o in orders) == [220000, 258000]
    assert len({o.checkout_group for o in orders}) == 1
    assert {o.payment_method for o in orders} == {"bank_transfer"}
    assert Product.objects.get(pk=product_a.pk).stock == 8 and Product.objects.get(pk=product_b.pk).stock == 6
    assert not CartItem.objects.filter(user=shopper).exists()
    # Bank transfer stays per store: one payment per order, to that store's own account, no gateway payment.
    assert sorted(Payment.objects.values_list("provider", "amount")) == [
        ("bank_transfer", 220000),
        ("bank_transfer", 258000),
    ]
    assert not CheckoutPayment.objects.exists()
    assert all(o.status == "awaiting_payment" and o.expires_at for o in orders)
    # buyer and seller hear about each order
    recipients = sorted(r for message in mail.outbox for r in message.to)
    assert recipients.count(shopper.email) == 2 and "admin.a@opop.test" in recipients


def test_pickup_costs_no_shipping_and_cash_on_pickup_never_expires(shopper, address, product_a, store_a):
    (order,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("pickup", "cash_on_pickup")})
    assert order.shipping_cost == 0 and order.total == 120000 and order.expires_at is None


def test_an_address_outside_east_java_pays_the_default_rate(shopper, product_a, store_a, region):
    shipping_rate_set(store=store_a, kabupaten_kota=region("35.78"), price=18000)
    outside = AddressFactory(user=shopper, provinsi="Jawa Tengah", kabupaten_kota=None, other_city="Kota Semarang")
    outside.full_clean()
    (order,) = place(shopper, [(product_a, 1)], address=outside)
    assert order.shipping_cost == 40000 and "Kota Semarang" in order.shipping_address


@pytest.mark.parametrize(
    ("choice", "message"),
    [(("shipping", "cash_on_pickup"), "only possible when you pick"), (("pickup", "bank_transfer"), "does not offer")],
)
def test_impossible_choices_are_refused(shopper, address, product_b, store_b, choice, message):
    with pytest.raises(DomainError, match=message):
        place(shopper, [(product_b, 2)], address=address, choices={store_b.pk: choice})


def test_a_buyer_who_loses_the_race_gets_a_clear_message_and_nothing_changes(shopper, address, product_a, product_b):
    cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=2)
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=3)
    Product.objects.filter(pk=product_a.pk).update(stock=1)  # someone else bought meanwhile
    with pytest.raises(DomainError, match="has just sold out: only 1 left, you wanted 3"):
        order_place(buyer=shopper, session={}, address=address, choices={})
    assert not Order.objects.exists()
    assert Product.objects.get(pk=product_b.pk).stock == 10  # the other store's reservation rolled back
    assert CartItem.objects.filter(user=shopper).count() == 2


def test_variant_stock_is_reserved_with_the_product_total(shopper, address):
    variant = VariantFactory(stock=5, price=30000)
    Product.objects.filter(pk=variant.product_id).update(stock=5)
    (order,) = place(shopper, [(variant.product, 2, variant)], address=address)
    variant.refresh_from_db()
    assert variant.stock == 3 and Product.objects.get(pk=variant.product_id).stock == 3
    assert order.items.get().variant_name == variant.name and order.subtotal == 60000


def test_checkout_page_shows_totals_per_order_and_grand_total(client, shopper, address, product_a, product_b):
    client.force_login(shopper)
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=2)
    body = client.get(reverse("marketplace:checkout")).content.decode()
    assert "Rp160.000" in body and "Rp130.000" in body and "Rp290.000" in body
    # The address book is a real choice the browser submits: a checked radio button per address.
    assert re.search(rf'<input type="radio" name="address" value="{address.pk}"[^>]*checked', body)
    response = client.post(
        reverse("marketplace:checkout"),
        {
            "address": address.pk,
            "payment": "gateway",
            f"delivery_{product_a.store_id}": "pickup",
            f"cash_{product_a.store_id}": "on",
            f"delivery_{product_b.store_id}": "shipping",
            "place": "1",
        },
    )
    assert response.status_code == 302
    assert sorted(Order.objects.values_list("total", "payment_method")) == [
        (120000, "cash_on_pickup"),
        (130000, "gateway"),
    ]
    # Only the gateway order is in the one gateway payment; the cash is paid at the pesantren.
    assert CheckoutPayment.objects.get().amount == 130000


def test_checkout_needs_login_and_an_address(client, shopper, product_a):
    assert client.get(reverse("marketplace:checkout")).status_code == 302
    client.force_login(shopper)
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    assert client.get(reverse("marketplace:checkout"))["Location"] == reverse("marketplace:address_create")
    response = client.post(
        reverse("marketplace:address_create"),
        {
            "label": "Rumah",
            "recipient_name": "Siti",
            "phone": "0812 3450 0001",
            "alamat_provinsi": "35",
            "alamat_kabupaten": "35.17",
            "alamat_kecamatan": "35.17.09",
            "alamat_desa": "35.17.09.1006",
            "alamat_jalan": "Jl. Merdeka 1",
            "alamat_kodepos": "61411",
        },
    )
    assert response.status_code == 302
    assert shopper.addresses.get().phone == "+6281234500001"
