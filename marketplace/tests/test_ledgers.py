"""The Mart's ledgers — stock movements and order events — are append-only, and the figures add up: every
product's stock is the sum of its movements, and every order's total the sum of its lines plus shipping."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError, Sum

from marketplace.catalogue.services import product_create, variant_create
from marketplace.catalogue.stock import ledger_sum, stock_restock, stock_set
from marketplace.models import Order, OrderEvent, Product, ProductVariant, StockMovement
from marketplace.orders import services as orders
from marketplace.payments.services import seller_confirm_payment
from marketplace.seller.services import variant_delete
from marketplace.tests.factories import CategoryFactory
from marketplace.tests.helpers import place
from opop.ledger import LedgerIsAppendOnly

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the append-only trigger is PostgreSQL's; SQLite has the model guard"
)


def fresh(*rows):
    """The cart checks the stock of the instance it is given: read the figures the ledger left."""
    for row in rows:
        row.refresh_from_db()


@pytest.fixture
def movement(product_a, admin_a):
    return stock_restock(product=product_a, quantity=3, actor=admin_a, reason="Dari konveksi")


@pytest.fixture
def event(shopper, address, product_a):
    (order,) = place(shopper, [(product_a, 1)], address=address)
    return order.events.get()


@pytest.mark.parametrize("row", ["movement", "event"])
def test_ledger_rows_are_never_updated_or_deleted_through_the_models(row, request):
    instance = request.getfixturevalue(row)
    model = type(instance)
    field = "quantity" if model is StockMovement else "note"
    setattr(instance, field, 99 if field == "quantity" else "rewritten")
    with pytest.raises(LedgerIsAppendOnly):
        instance.save()
    with pytest.raises(LedgerIsAppendOnly):
        instance.delete()
    with pytest.raises(LedgerIsAppendOnly):
        model.objects.filter(pk=instance.pk).update(**{field: getattr(instance, field)})
    with pytest.raises(LedgerIsAppendOnly):
        model.objects.filter(pk=instance.pk).delete()
    with pytest.raises(LedgerIsAppendOnly):
        model.objects.bulk_update([instance], [field])
    fresh = model.objects.get(pk=instance.pk)
    assert getattr(fresh, field) != getattr(instance, field)


@pytest.mark.postgres
@on_postgres
@pytest.mark.parametrize(
    ("row", "statement"),
    [
        ("movement", "UPDATE marketplace_stockmovement SET quantity = 99 WHERE id = %s"),
        ("movement", "UPDATE marketplace_stockmovement SET actor_id = NULL, quantity = 1 WHERE id = %s"),
        ("movement", "UPDATE marketplace_stockmovement SET created_at = now() - interval '1 day' WHERE id = %s"),
        ("movement", "DELETE FROM marketplace_stockmovement WHERE id = %s"),
        ("event", "UPDATE marketplace_orderevent SET to_status = 'paid' WHERE id = %s"),
        ("event", "DELETE FROM marketplace_orderevent WHERE id = %s"),
    ],
)
def test_on_postgresql_the_database_refuses_ledger_changes(row, statement, request):
    instance = request.getfixturevalue(row)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [instance.pk])
    assert type(instance).objects.filter(pk=instance.pk).exists()


@pytest.mark.postgres
@on_postgres
def test_on_postgresql_a_setting_of_a_reference_to_null_still_passes(movement):
    """ON DELETE SET NULL of the actor (an account removed) keeps the ledger fact and drops only the name."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE marketplace_stockmovement SET actor_id = NULL WHERE id = %s", [movement.pk])
    fresh = StockMovement.objects.get(pk=movement.pk)
    assert fresh.actor_id is None and fresh.quantity == 3 and fresh.reason == "Dari konveksi"


def test_a_product_or_order_with_ledger_rows_cannot_be_deleted(event, product_a):
    with pytest.raises(ProtectedError):
        Product.objects.get(pk=product_a.pk).delete()
    with pytest.raises(ProtectedError):
        Order.objects.get(pk=event.order_id).delete()


def test_deleting_an_empty_variant_keeps_its_movements_on_the_product(store_a, admin_a):
    product = product_create(store=store_a, category=CategoryFactory(), name="Kaos Santri", price=50000, stock=0)
    keep = variant_create(product=product, name="M", price=50000, stock=4, actor=admin_a)
    gone = variant_create(product=product, name="XXL", price=55000, stock=2, actor=admin_a)
    stock_set(product=product, variant=gone, stock=0, actor=admin_a, reason="Rusak, dibuang")
    variant_delete(variant=gone)
    assert StockMovement.objects.filter(product=product, variant=None).count() == 2  # +2 and -2, still recorded
    product.refresh_from_db()
    assert product.stock == ledger_sum(product=product) == 4
    assert ProductVariant.objects.get(pk=keep.pk).stock == ledger_sum(product=product, variant=keep) == 4


def test_after_orders_cancellations_refunds_and_restocks_the_stock_is_the_sum_of_its_movements(
    shopper, address, store_a, store_b, admin_a, admin_b
):
    category = CategoryFactory()
    sarung = product_create(store=store_a, category=category, name="Sarung", price=120000, stock=10, actor=admin_a)
    kurma = product_create(store=store_b, category=category, name="Kurma", price=45000, stock=0)
    kaos = product_create(store=store_a, category=category, name="Kaos", price=50000, stock=3, actor=admin_a)
    small = variant_create(product=kaos, name="S", price=50000, stock=5, actor=admin_a)
    large = variant_create(product=kaos, name="L", price=60000, stock=2, actor=admin_a)
    stock_restock(product=kurma, quantity=20, actor=admin_b)
    fresh(sarung, kurma, kaos, small, large)
    kept, cancelled = place(shopper, [(sarung, 2), (kurma, 3)], address=address)
    (expired,) = place(shopper, [(sarung, 1), (kaos, 2, small), (kaos, 1, large)], address=address)
    (refunded,) = place(shopper, [(kurma, 4)], address=address)
    orders.order_cancel_by_buyer(order=cancelled, buyer=shopper)
    orders.order_expire(order=expired)
    seller_confirm_payment(order=refunded, actor=admin_b)
    orders.order_request_refund(order=refunded, buyer=shopper, reason="Kemasan rusak")
    orders.order_refund(order=refunded, actor=admin_b)
    seller_confirm_payment(order=kept, actor=admin_a)
    stock_set(product=sarung, stock=7, actor=admin_a, reason="Stock opname")
    stock_restock(product=kaos, variant=large, quantity=6, actor=admin_a)
    fresh(sarung, kaos, large)
    place(shopper, [(kaos, 3, large), (sarung, 1)], address=address)

    for product in Product.objects.all():
        assert product.stock == ledger_sum(product=product), product.name
        assert product.stock >= 0
    for variant in ProductVariant.objects.select_related("product"):
        assert variant.stock == ledger_sum(product=variant.product, variant=variant), variant.name
    assert Product.objects.get(pk=kaos.pk).stock == sum(v.stock for v in kaos.variants.all()) == 5 + 2 + 6 - 3
    assert Product.objects.get(pk=sarung.pk).stock == 7 - 1
    # every sale of a cancelled order went back: its movements add up to nothing
    for order in (cancelled, expired):
        assert StockMovement.objects.filter(order=order).aggregate(n=Sum("quantity"))["n"] == 0
    # …and every order has one event per status it went through, oldest first
    assert list(refunded.events.values_list("to_status", flat=True)) == [
        "awaiting_payment",
        "paid",
        "refund_requested",
        "refunded",
    ]


def test_every_order_total_is_its_lines_plus_shipping(shopper, address, store_a, store_b, product_a, product_b):
    place(shopper, [(product_a, 3), (product_b, 2)], address=address, payment_method="gateway")
    place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("pickup", "cash_on_pickup")})
    totals = Order.objects.annotate(lines=Sum("items__line_total"))
    assert totals.count() == 3
    for order in totals:
        assert order.subtotal == order.lines == sum(i.unit_price * i.quantity for i in order.items.all())
        assert order.total == order.lines + order.shipping_cost
    assert sorted(OrderEvent.objects.values_list("to_status", flat=True)) == ["awaiting_payment"] * 3
