import pytest

from marketplace.cart.services import cart_set
from marketplace.catalogue.services import product_create, variant_create
from marketplace.catalogue.stock import NotEnoughStock, ledger_sum, low_stock, stock_move, stock_restock, stock_set
from marketplace.checkout import services as checkout
from marketplace.models import Order, Product, StockMovement
from marketplace.orders import services
from marketplace.payments.services import seller_confirm_payment
from marketplace.tests.factories import CategoryFactory
from marketplace.tests.helpers import place
from opop.models import DirtyFigureKey
from opop.services import DomainError

pytestmark = pytest.mark.django_db


def assert_ledger(product):
    product.refresh_from_db()
    assert product.stock == ledger_sum(product=product)
    for variant in product.variants.all():
        assert variant.stock == ledger_sum(product=product, variant=variant)
    if product.variants.exists():
        assert product.stock == sum(v.stock for v in product.variants.all())


@pytest.fixture
def beras(store_a, admin_a):
    return product_create(
        store=store_a, category=CategoryFactory(), name="Beras Organik 5 kg", price=85000, stock=20, actor=admin_a
    )


@pytest.fixture
def sarung(store_a, admin_a):
    product = product_create(store=store_a, category=CategoryFactory(), name="Sarung Tenun", price=175000, stock=4)
    variant_create(product=product, name="Hijau", price=175000, stock=6, actor=admin_a)
    variant_create(product=product, name="Marun", price=180000, stock=9, actor=admin_a)
    return product


def test_opening_stock_and_variants_are_movements(beras, sarung, admin_a):
    assert_ledger(beras)
    assert_ledger(sarung)
    assert sarung.stock == 15  # the 4 held before the first variant left as a correction
    opening = StockMovement.objects.get(product=beras)
    assert (opening.kind, opening.quantity, opening.actor) == ("restock", 20, admin_a)


def test_every_kind_of_change_keeps_stock_equal_to_the_sum(beras, sarung, shopper, address, admin_a):
    hijau = sarung.variants.get(name="Hijau")
    stock_restock(product=beras, quantity=10, actor=admin_a, reason="Panen baru")
    assert_ledger(beras)
    stock_set(product=beras, stock=27, actor=admin_a, reason="Stock opname: 3 karung basah")
    assert_ledger(beras)
    assert beras.stock == 27
    (sold,) = place(shopper, [(beras, 5), (sarung, 2, hijau)], address=address)
    assert_ledger(beras)
    assert_ledger(sarung)
    assert set(sold.stock_movements.values_list("kind", "quantity")) == {("sale", -5), ("sale", -2)}
    services.order_cancel_by_buyer(order=sold, buyer=shopper)
    assert_ledger(beras)
    assert_ledger(sarung)
    assert beras.stock == 27
    (expired,) = place(shopper, [(beras, 2)], address=address)
    services.order_expire(order=expired)
    assert_ledger(beras)
    (paid,) = place(shopper, [(sarung, 1, hijau)], address=address)
    seller_confirm_payment(order=paid, actor=admin_a)
    services.order_cancel_by_seller(order=paid, actor=admin_a, reason="Kain cacat")
    assert_ledger(sarung)
    assert sarung.variants.get(name="Hijau").stock == 6
    assert StockMovement.objects.filter(order=paid, kind="cancellation").get().actor == admin_a


def test_a_sale_that_loses_the_race_writes_no_movement(beras, shopper, address):
    cart_set(user=shopper, session={}, product=beras, variant=None, quantity=3)
    stock_set(product=beras, stock=1, actor=None, reason="Dua karung rusak")
    before = StockMovement.objects.count()
    with pytest.raises(DomainError, match="sold out"):
        checkout.order_place(buyer=shopper, session={}, address=address, choices={})
    assert StockMovement.objects.count() == before
    assert not Order.objects.exists()
    assert_ledger(beras)
    assert beras.stock == 1


def test_stock_can_never_go_below_zero_nor_change_without_a_reason(beras, sarung, admin_a):
    with pytest.raises(NotEnoughStock):
        stock_move(product=beras, quantity=-21, kind="correction", actor=admin_a, reason="hilang")
    with pytest.raises(DomainError, match="Say why"):
        stock_move(product=beras, quantity=-1, kind="correction", actor=admin_a)
    with pytest.raises(DomainError, match="variant"):
        stock_restock(product=sarung, quantity=3, actor=admin_a)
    with pytest.raises(DomainError):
        stock_move(product=beras, quantity=0, kind="restock")
    assert_ledger(beras)


def test_the_restock_list_holds_products_at_or_below_their_threshold(beras, sarung, admin_a):
    stock_set(product=beras, stock=5, actor=admin_a, reason="opname")
    assert list(low_stock(Product.objects.all())) == [beras]
    Product.objects.filter(pk=beras.pk).update(low_stock_threshold=2)
    assert list(low_stock(Product.objects.all())) == []


def test_paid_completed_and_cancelled_after_payment_orders_mark_the_figures_dirty(beras, shopper, address, admin_a):
    (order,) = place(shopper, [(beras, 1)], address=address)
    assert not DirtyFigureKey.objects.exists()  # placing is not a sale yet
    seller_confirm_payment(order=order, actor=admin_a)
    assert DirtyFigureKey.objects.filter(kabupaten_kota_id="35.17").exists()
    DirtyFigureKey.objects.all().delete()
    services.order_cancel_by_seller(order=order, actor=admin_a, reason="Habis")
    assert DirtyFigureKey.objects.filter(kabupaten_kota_id="35.17").exists()
    DirtyFigureKey.objects.all().delete()
    (unpaid,) = place(shopper, [(beras, 1)], address=address)
    services.order_cancel_by_buyer(order=unpaid, buyer=shopper)
    assert not DirtyFigureKey.objects.exists()
    assert Order.objects.count() == 2
