"""Buyers race for the last units on PostgreSQL: exactly as many win as there are units, and stock never goes
negative. The CHECK (stock >= 0) constraint is the last line of defence, proven on its own."""

import threading
from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, connections, transaction
from django.utils import translation

from marketplace.cart.services import cart_clear, cart_set
from marketplace.catalogue.stock import ledger_sum, stock_restock
from marketplace.checkout.services import order_place
from marketplace.models import Order, Product, ProductVariant, StockMovement
from marketplace.tests.factories import AddressFactory, ProductFactory, VariantFactory
from opop.services import DomainError
from opop.tests.factories import UserFactory


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _race(buyers) -> list[str]:
    """Every buyer checks out their cart at the same moment, each on its own connection; returns the outcomes."""
    barrier = threading.Barrier(len(buyers))
    outcomes: list[str] = []

    def buy(buyer):
        try:
            connection.ensure_connection()  # connect first, so the barrier releases a race and not a queue
            barrier.wait(timeout=60)
            with translation.override("en"):  # the active language is per thread
                order_place(buyer=buyer, session={}, address=buyer.addresses.first(), choices={})
                outcomes.append("ok")
        except DomainError as error:
            outcomes.append(str(error))
        except Exception as error:  # an unexpected error must fail the test, not vanish
            outcomes.append(f"unexpected {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def regions(transactional_db):
    # An earlier transactional test may have flushed the regions that a data migration loaded.
    import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)


def _buyers(count: int):
    buyers = [UserFactory() for _ in range(count)]
    for buyer in buyers:
        AddressFactory(user=buyer)
    return buyers


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="row-level races need PostgreSQL's concurrent writers")
def test_twenty_buyers_race_for_the_last_five_units(regions):
    product = ProductFactory(stock=5, name="Kopi Bululawang Edisi Terbatas")
    buyers = _buyers(20)
    for buyer in buyers:
        cart_set(user=buyer, session={}, product=product, variant=None, quantity=1)
    outcomes = _race(buyers)
    assert outcomes.count("ok") == 5
    assert all("sold out" in outcome for outcome in outcomes if outcome != "ok")
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == 5
    # The stock ledger holds one sale movement per winner and no trace of the losers.
    sales = StockMovement.objects.filter(product=product, kind="sale")
    assert sales.count() == 5 and sum(sales.values_list("quantity", flat=True)) == -5


RUNS, BUYERS, UNITS = 10, 50, 10


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="row-level races need PostgreSQL's concurrent writers")
def test_fifty_buyers_race_for_the_last_ten_units_ten_times_over(regions):
    buyers = _buyers(BUYERS)
    for run in range(RUNS):
        product = ProductFactory(stock=0, name=f"Sarung Edisi Terbatas {run}")
        stock_restock(product=product, quantity=UNITS, actor=None, reason="Last batch")
        product.refresh_from_db()
        for buyer in buyers:
            cart_clear(user=buyer, session={})
            cart_set(user=buyer, session={}, product=product, variant=None, quantity=1)
        outcomes = _race(buyers)
        assert outcomes.count("ok") == UNITS, (run, [o for o in outcomes if o != "ok"][:3])
        assert all("sold out" in outcome for outcome in outcomes if outcome != "ok"), run
        product.refresh_from_db()
        assert product.stock == 0, run
        assert product.sold_count == UNITS, run
        assert Order.objects.filter(items__product=product).count() == UNITS, run
        sales = StockMovement.objects.filter(product=product, kind="sale")
        assert sales.count() == UNITS and ledger_sum(product=product) == 0, run
    assert Order.objects.count() == RUNS * UNITS
    assert not Product.objects.filter(stock__lt=0).exists()


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="row-level races need PostgreSQL's concurrent writers")
def test_buyers_race_for_the_last_units_of_a_variant(regions):
    product = ProductFactory(stock=0)
    variant = VariantFactory(product=product, stock=0)
    stock_restock(product=product, variant=variant, quantity=3, actor=None)
    variant.refresh_from_db()
    buyers = _buyers(12)
    for buyer in buyers:
        cart_set(user=buyer, session={}, product=product, variant=variant, quantity=1)
    outcomes = _race(buyers)
    assert outcomes.count("ok") == 3
    assert ProductVariant.objects.get(pk=variant.pk).stock == 0
    assert Product.objects.get(pk=product.pk).stock == 0


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["queryset", "raw"])
def test_the_database_itself_refuses_a_negative_stock(how):
    """Bypassing the stock service — a queryset update or raw SQL — still cannot take the shelf below zero."""
    product = ProductFactory(stock=3)
    variant = VariantFactory(product=ProductFactory(stock=0), stock=2)
    for model, pk in ((Product, product.pk), (ProductVariant, variant.pk)):
        with pytest.raises(IntegrityError), transaction.atomic():
            if how == "queryset":
                model.objects.filter(pk=pk).update(stock=-1)
            else:
                with connection.cursor() as cursor:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"UPDATE {table} SET stock = stock - 10 WHERE id = %s", [pk])  # noqa: S608
    assert Product.objects.get(pk=product.pk).stock == 3
    assert ProductVariant.objects.get(pk=variant.pk).stock == 2
