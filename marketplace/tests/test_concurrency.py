"""Twenty buyers race for the last five units on PostgreSQL: exactly five win, and stock never goes negative."""

import threading
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection, connections
from django.utils import translation

from marketplace.cart.services import cart_set
from marketplace.models import Order, Product, StockMovement
from marketplace.orders.services import order_place
from marketplace.tests.factories import AddressFactory, ProductFactory
from opop.services import DomainError
from opop.tests.factories import UserFactory


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="row-level races need PostgreSQL")
def test_twenty_buyers_race_for_the_last_five_units(transactional_db):
    # An earlier transactional test may have flushed the regions that a data migration loaded.
    import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)
    product = ProductFactory(stock=5, name="Kopi Bululawang Edisi Terbatas")
    buyers = [UserFactory() for _ in range(20)]
    for buyer in buyers:
        AddressFactory(user=buyer)
        cart_set(user=buyer, session={}, product=product, variant=None, quantity=1)
    barrier = threading.Barrier(len(buyers))
    outcomes: list[str] = []

    def buy(buyer):
        try:
            barrier.wait()
            with translation.override("en"):  # the active language is per thread
                order_place(buyer=buyer, session={}, address=buyer.addresses.first(), choices={})
                outcomes.append("ok")
        except DomainError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 5
    assert all("sold out" in outcome for outcome in outcomes if outcome != "ok")
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == 5
    # The stock ledger holds one sale movement per winner and no trace of the losers.
    sales = StockMovement.objects.filter(product=product, kind="sale")
    assert sales.count() == 5 and sum(sales.values_list("quantity", flat=True)) == -5
