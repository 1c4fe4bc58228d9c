"""OPOP Mart pages cost the same queries for one row as for fifty, and stay within their budgets.

Store pages (home, search, category, store, product) are measured for an anonymous visitor, as
most shoppers arrive; shopper and seller pages for a logged-in user, whose user row and
memberships are part of the count. The shared cache (session, category tree, regions) is warm.
"""

import pytest
from django.urls import reverse

from marketplace.cart.services import cart_set
from marketplace.catalogue.services import category_create, product_photo_add
from marketplace.halal.tests.factories import CaseFactory, CertificateFactory
from marketplace.models import Product
from marketplace.tests.factories import AddressFactory, CategoryFactory, ProductFactory, StoreFactory, image_upload
from marketplace.tests.helpers import place
from opop.tests.budgets import assert_budgets, measure
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

STORE_PAGES = {
    "home": (reverse("marketplace:home"), None),
    "search": (reverse("marketplace:search"), {"q": "kopi", "region": "35.17", "in_stock": "on", "sort": "price"}),
    "all products": (reverse("marketplace:search"), None),
    "category": (reverse("marketplace:category", args=["minuman"]), {"sort": "best_selling"}),
    "store": (reverse("marketplace:store", args=["toko-kopi"]), None),
    "product": (reverse("marketplace:product", args=["kopi-0"]), None),
}
STORE_CEILINGS = {"home": 4, "search": 4, "all products": 4, "category": 4, "store": 4, "product": 6}


@pytest.fixture
def shelf(pesantren_a):
    parent = CategoryFactory(name="Minuman", slug="minuman")
    return {
        "store": StoreFactory(organisation=pesantren_a, slug="toko-kopi"),
        "category": CategoryFactory(name="Kopi", slug="kopi", parent=parent),
    }


def _products(shelf, count, start=0):
    products = [
        ProductFactory(
            store=shelf["store"],
            category=shelf["category"],
            name=f"Kopi Santri {n}",
            slug=f"kopi-{n}",
            is_flagship=n % 3 == 0,
            sold_count=n + 1,
        )
        for n in range(start, start + count)
    ]
    product_photo_add(product=products[0], upload=image_upload())
    return products


def test_store_pages_cost_the_same_queries_for_one_product_and_for_fifty(client, shelf):
    _products(shelf, 1)
    small = measure(client, STORE_PAGES)
    _products(shelf, 49, start=1)
    large = measure(client, STORE_PAGES)
    assert_budgets(small, large, STORE_CEILINGS)


def test_the_cart_costs_the_same_queries_for_one_line_and_for_fifty(client, shopper, shelf):
    products = _products(shelf, 50)
    client.force_login(shopper)
    page = {"cart": (reverse("marketplace:cart"), None)}
    cart_set(user=shopper, session={}, product=products[0], variant=None, quantity=1)
    small = measure(client, page)
    for product in products[1:]:
        cart_set(user=shopper, session={}, product=product, variant=None, quantity=1)
    assert_budgets(small, measure(client, page), {})


def test_order_pages_cost_the_same_queries_for_one_order_and_for_fifty(client, shopper, admin_a, address, shelf):
    product = _products(shelf, 1)[0]
    Product.objects.filter(pk=product.pk).update(stock=1000)
    buyer_pages = {"buyer orders": (reverse("marketplace:order_list"), None)}
    seller_pages = {
        "seller order queue": (reverse("marketplace:seller_order_list"), None),
        "seller products": (reverse("marketplace:seller_product_list"), None),
        "seller stock": (reverse("marketplace:seller_stock"), None),
        "seller dashboard": (reverse("marketplace:seller_dashboard"), None),
        "seller sales": (reverse("marketplace:seller_sales"), None),
    }

    def everything():
        client.force_login(shopper)
        counts = measure(client, buyer_pages)
        client.force_login(admin_a)
        return counts | measure(client, seller_pages)

    place(shopper, [(product, 1)], address=address)
    small = everything()
    _products(shelf, 49, start=1)
    for _ in range(49):
        place(shopper, [(product, 1)], address=address)
    assert_budgets(small, everything(), {})


def test_halal_pages_cost_the_same_queries_for_one_case_and_for_fifty(client, pesantren_a, province_staff, shelf):
    pages = {
        "cases": (reverse("halal:case_list"), None),
        "product queue": (reverse("halal:product_queue"), None),
        "certificates": (reverse("halal:certificate_search"), {"q": "ID"}),
        "flagship": (reverse("halal:flagship_list"), None),
        "legality": (reverse("halal:legality_list"), None),
    }

    def rows(count, start=0):
        for product in _products(shelf, count, start):
            CaseFactory(organisation=pesantren_a, products=[product])
            CertificateFactory(organisation=pesantren_a, products=[product])

    rows(1)
    client.force_login(province_staff)
    small = measure(client, pages)
    rows(49, start=1)
    assert_budgets(small, measure(client, pages), {})


def test_address_book_and_seller_team_cost_the_same_queries_for_one_row_and_for_fifty(
    client, shopper, admin_a, pesantren_a, shelf
):
    def rows(count):
        for _ in range(count):
            AddressFactory(user=shopper)
            MembershipFactory(organisation=pesantren_a, role="staff")

    def everything():
        client.force_login(shopper)
        counts = measure(client, {"address book": (reverse("marketplace:address_list"), None)})
        client.force_login(admin_a)
        return counts | measure(client, {"seller team": (reverse("marketplace:seller_team"), None)})

    rows(1)
    small = everything()
    rows(49)
    assert_budgets(small, everything(), {})


def test_the_cached_category_tree_follows_every_change(client, shelf, django_capture_on_commit_callbacks):
    # Each change commits (its on_commit callbacks run), as in production: with Redis the pages' fragments
    # are cached too, and their catalogue generation moves after the commit.
    _products(shelf, 1)
    assert "Kopi" in client.get(reverse("marketplace:search")).content.decode()  # the tree is now cached
    with django_capture_on_commit_callbacks(execute=True):
        added = category_create(name="Teh Herbal")
    assert "Teh Herbal" in client.get(reverse("marketplace:search")).content.decode()
    assert client.get(reverse("marketplace:category", args=[added.slug])).status_code == 200
    added.name = "Teh Rempah"
    with django_capture_on_commit_callbacks(execute=True):
        added.save()
    assert "Teh Rempah" in client.get(reverse("marketplace:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        added.delete()
    assert client.get(reverse("marketplace:category", args=[added.slug])).status_code == 404


@pytest.mark.parametrize("sort", ["newest", "price", "-price", "best_selling", "rating"])
def test_walking_every_page_shows_every_product_once(client, shelf, sort):
    products = _products(shelf, 60)
    # Ties on every sort key but the id: the pages must still neither skip nor repeat a product.
    Product.objects.update(price=10_000, sold_count=3, created_at=products[0].created_at)
    seen, params = [], {"sort": sort}
    for _ in range(10):
        response = client.get(reverse("marketplace:search"), params)
        page = response.context["page_obj"]
        seen += [product.pk for product in page]
        if not page.has_next():
            break
        params = {"sort": sort, **({"after": page.next_cursor} if page.keyset else {"page": page.number + 1})}
    assert sorted(seen) == sorted(product.pk for product in products)
    assert (sort != "rating") == page.keyset  # rating has empty values: numbered pages


def test_a_tampered_cursor_starts_from_the_first_page(client, shelf):
    _products(shelf, 30)
    first = client.get(reverse("marketplace:search")).context["page_obj"]
    tampered = client.get(reverse("marketplace:search"), {"after": first.next_cursor[:-2] + "xx"})
    assert [p.pk for p in tampered.context["page_obj"]] == [p.pk for p in first]
    assert client.get(reverse("marketplace:store", args=["toko-kopi"]), {"after": first.next_cursor}).status_code == 200


def test_walking_a_stores_pages_shows_every_product_once(client, shelf):
    products = _products(shelf, 60)  # every third is flagship: the flagship key flips mid-way
    Product.objects.update(sold_count=3)
    seen, params = [], {}
    for _ in range(10):
        page = client.get(reverse("marketplace:store", args=["toko-kopi"]), params).context["page_obj"]
        seen += [product.pk for product in page]
        if not page.has_next():
            break
        params = {"after": page.next_cursor}
    assert page.keyset and sorted(seen) == sorted(product.pk for product in products)
