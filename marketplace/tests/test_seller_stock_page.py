"""The seller's stock page: 50 products a page, each row's form returns to its page, the low-stock tab, scoping."""

import pytest
from django.urls import reverse

from marketplace.models import ProductVariant
from marketplace.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

URL = reverse("marketplace:seller_stock")


@pytest.fixture
def seller(client, admin_a, store_a):
    client.force_login(admin_a)
    return client


def names(response):
    return [product.name for product in response.context["products"]]


def test_fifty_products_a_page_and_the_foreign_store_absent(seller, store_a, store_b):
    for i in range(55):
        ProductFactory(store=store_a, name=f"Produk {i:02d}", stock=10, low_stock_threshold=2)
    ProductFactory(store=store_b, name="Produk asing", stock=0)
    first, second = seller.get(URL), seller.get(URL, {"page": 2})
    assert names(first) == [f"Produk {i:02d}" for i in range(50)]
    assert names(second) == [f"Produk {i:02d}" for i in range(50, 55)]
    assert "Produk asing" not in first.content.decode() + second.content.decode()
    assert f'name="next" value="{URL}?page=2"' in second.content.decode()


def test_the_low_stock_tab_pages_the_restock_list(seller, store_a):
    for i in range(52):
        ProductFactory(store=store_a, name=f"Habis {i:02d}", stock=0, low_stock_threshold=3)
    ProductFactory(store=store_a, name="Cukup", stock=50, low_stock_threshold=3)
    first, second = seller.get(URL, {"low": "1"}), seller.get(URL, {"low": "1", "page": 2})
    assert len(names(first)) == 50 and names(second) == ["Habis 50", "Habis 51"]
    assert "Cukup" not in names(first) + names(second)
    assert 'href="?low=1&amp;page=2"' in first.content.decode()


def test_a_row_form_changes_only_its_product_and_returns_to_its_page(seller, store_a):
    products = [ProductFactory(store=store_a, name=f"Produk {i:02d}", stock=1) for i in range(55)]
    target, other = products[52], products[1]
    back = f"{URL}?page=2"
    response = seller.post(
        reverse("marketplace:seller_stock_change", args=[target.pk]),
        {"action": "restock", "quantity": 4, "reason": "Produksi", "next": back},
    )
    assert response.status_code == 302 and response.url == back
    target.refresh_from_db()
    other.refresh_from_db()
    assert (target.stock, other.stock) == (5, 1)
    bad = seller.post(reverse("marketplace:seller_stock_change", args=[target.pk]), {"action": "restock", "next": back})
    assert bad.url == back


def test_the_page_costs_the_same_queries_for_few_or_many_products(seller, store_a, django_assert_max_num_queries):
    def fill(n, start):
        for i in range(start, start + n):
            product = ProductFactory(store=store_a, name=f"Produk {i:03d}")
            ProductVariant.objects.create(product=product, name="A", price=1000, stock=1)

    fill(3, 0)
    with django_assert_max_num_queries(14):
        seller.get(URL)
    fill(80, 3)
    with django_assert_max_num_queries(14):
        response = seller.get(URL)
    assert len(names(response)) == 50
