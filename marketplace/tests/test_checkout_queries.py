"""Placing a checkout of 3 items from 2 stores costs a fixed number of queries (issue #10: checkout p95).

The count is pinned: a change that adds a query per line or per order shows here. The order e-mails are
enqueued after the commit (the test settings run tasks eagerly, so they are outside the counted block)."""

import os
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.cart.services import cart_set
from marketplace.models import Order
from marketplace.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

# 46 before order placement wrote its sales together; each order sits in a savepoint (2 queries) so that a
# clashing order number can be drawn again. 36 before the cart was read once per request (the checkout module:
# the place step checks the cart it was given with one small query instead of reading it again). Paid by the
# gateway, the checkout writes one CheckoutPayment and the orders' payment rows in one INSERT: the same count.
# 33 with the seller queues' order counters (orders/counters.py): one INSERT … ON CONFLICT for both stores.
# 33 for the checkout itself, and 3 for the session write that leaves the header's cart count
# (a savepoint, the UPDATE, its release). 28 (issue #22) once each kind of row — orders (in one savepoint),
# their lines, events, payments, e-mail outbox rows — is one INSERT for the whole checkout, the variants are read
# with the cart's products, and the checkout reads no photos; the gateway's one CheckoutPayment is its one more.
CHECKOUT_QUERIES = {"bank_transfer": 28, "gateway": 29}


@pytest.mark.parametrize("method", ["bank_transfer", "gateway"])
def test_a_checkout_of_three_items_from_two_stores_costs_a_fixed_number_of_queries(
    client, shopper, address, store_a, store_b, django_capture_on_commit_callbacks, method
):
    products = [
        ProductFactory(store=store_a, price=10000, stock=10),
        ProductFactory(store=store_a, price=20000, stock=10),
        ProductFactory(store=store_b, price=30000, stock=10),
    ]
    for product in products:
        cart_set(user=shopper, session={}, product=product, variant=None, quantity=2)
    client.force_login(shopper)
    client.get(reverse("marketplace:checkout"))
    data = {"address": address.pk, "place": "1", "checkout_key": str(uuid.uuid4()), "payment": method}
    for store in (store_a, store_b):  # as the benchmark posts it
        data |= {f"delivery_{store.pk}": "shipping"}
    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as context:
        response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Order.objects.count() == 2
    if os.environ.get("OPOP_PRINT_QUERIES"):
        for query in context.captured_queries:
            print(query["sql"][:160])
    assert len(context) == CHECKOUT_QUERIES[method], len(context)
    assert sorted(p.stock for p in type(products[0]).objects.filter(pk__in=[p.pk for p in products])) == [8, 8, 8]
