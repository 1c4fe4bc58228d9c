"""Two buyers check out the same two products with their carts in opposite orders, on PostgreSQL: the stock rows
are locked in (product id, variant id) order whatever the cart's order, so neither waits for the other in a circle
(PostgreSQL would abort one with "deadlock detected")."""

import contextlib
import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from marketplace.cart.services import cart_by_store, cart_lines, cart_set
from marketplace.checkout import services
from marketplace.models import Order, Product
from marketplace.tests.factories import ProductFactory, StoreFactory
from marketplace.tests.test_concurrency import _buyers, regions  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL's concurrent writers"),
]


def test_opposite_order_carts_do_not_deadlock(regions, monkeypatch):  # noqa: F811
    first = ProductFactory(stock=10, store=StoreFactory(name="Toko Al-Amin"))
    second = ProductFactory(stock=10, store=StoreFactory(name="Toko Bahrul Ulum"))
    buyers = _buyers(2)
    carts = []
    for buyer in buyers:
        cart_set(user=buyer, session={}, product=first, variant=None, quantity=1)
        cart_set(user=buyer, session={}, product=second, variant=None, quantity=2)
        carts.append(cart_by_store(cart_lines(user=buyer, session={})))
    carts[1] = list(reversed(carts[1]))  # the second buyer's cart holds the other store first
    assert [g.store for g in carts[0]] == [g.store for g in reversed(carts[1])]

    # Each checkout pauses after its first stock UPDATE until the other has made its own (or 3 s passed): without
    # one lock order both would then hold one row and wait for the other's.
    barrier = threading.Barrier(2)
    reserved = threading.local()
    real = services.stock_change

    def stock_change(**kwargs):
        movement = real(**kwargs)
        if not getattr(reserved, "done", False):
            reserved.done = True
            # A broken barrier: the other checkout waits on our row lock, the lock order held.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=3)
        return movement

    monkeypatch.setattr(services, "stock_change", stock_change)
    outcomes = []

    def buy(buyer, cart):
        try:
            connection.ensure_connection()
            with translation.override("en"):
                services.order_place(buyer=buyer, session={}, address=buyer.addresses.first(), choices={}, cart=cart)
            outcomes.append("ok")
        except Exception as error:  # a deadlock must fail the test, not vanish
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=pair) for pair in zip(buyers, carts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok", "ok"]
    assert Order.objects.count() == 4
    assert Product.objects.get(pk=first.pk).stock == 8
    assert Product.objects.get(pk=second.pk).stock == 6
