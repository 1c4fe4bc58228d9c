"""Store pages served from the fragment cache (catalogue/fragments.py) never show stale stock, price or listing.

Every test turns the fragment cache on (the test settings' per-process memory cache leaves it off), warms the
pages, changes the catalogue through the service that production uses, lets the commit callbacks run (the
generation is bumped after the commit) and reads the pages again.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from marketplace.catalogue import fragments
from marketplace.catalogue.services import category_create, product_photo_add
from marketplace.catalogue.stock import stock_restock
from marketplace.halal.flagship import product_flagship_set
from marketplace.models import Order, OrderItem
from marketplace.orders.reviews import review_create
from marketplace.seller.bulk import BulkRow, bulk_apply
from marketplace.seller.services import photo_delete, product_publish, product_update, store_update
from marketplace.tests.factories import CategoryFactory, ProductFactory, StoreFactory, image_upload
from marketplace.tests.helpers import place
from marketplace.tests.test_query_budgets import STORE_CEILINGS, STORE_PAGES, _products

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    settings.CATALOGUE_FRAGMENT_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shelf(pesantren_a):
    parent = CategoryFactory(name="Minuman", slug="minuman")
    return {
        "store": StoreFactory(organisation=pesantren_a, slug="toko-kopi", name="Toko Kopi Santri"),
        "category": CategoryFactory(name="Kopi", slug="kopi", parent=parent),
    }


@pytest.fixture
def kopi(shelf):
    return ProductFactory(
        store=shelf["store"], category=shelf["category"], name="Kopi Robusta Santri", slug="kopi-robusta", price=25000
    )


def pages(product):
    return {
        "home": reverse("marketplace:home"),
        "search": reverse("marketplace:search") + "?q=kopi",
        "all": reverse("marketplace:search"),
        "category": reverse("marketplace:category", args=[product.category.slug]),
        "product": reverse("marketplace:product", args=[product.slug]),
    }


def read_all(client, product) -> dict[str, str]:
    out = {}
    for name, url in pages(product).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = response.content.decode()
    return out


def price(text: str, amount: int) -> bool:
    return f"Rp{amount:,}".replace(",", ".") in text.replace("\xa0", "").replace(" ", "")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and the callbacks its commit would run (the generation bump among them)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def test_the_cache_is_off_without_a_shared_cache(settings):
    settings.CATALOGUE_FRAGMENT_CACHE = None
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not fragments.enabled()  # a bump in one process would not reach the others
    settings.CACHES = {"default": {"BACKEND": "opop.cache.FaultTolerantRedisCache", "LOCATION": "redis://x"}}
    assert fragments.enabled()


def test_cached_pages_are_the_pages_rendered_from_the_database(client, settings, shelf):
    _products(shelf, 5)
    fresh = {}
    settings.CATALOGUE_FRAGMENT_CACHE = False
    for name, (url, data) in STORE_PAGES.items():
        fresh[name] = client.get(url, data).content.decode()
    settings.CATALOGUE_FRAGMENT_CACHE = True
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    for _round in range(2):  # a miss, then a hit
        for name, (url, data) in STORE_PAGES.items():
            cached = client.get(url, data).content.decode()
            assert token.sub("", cached) == token.sub("", fresh[name]), name


def test_a_cached_store_page_costs_no_catalogue_query_and_a_miss_keeps_its_budget(client, shelf):
    _products(shelf, 5)
    for name, (url, data) in STORE_PAGES.items():
        if name == "store":
            continue  # the store page is not cached
        client.get(url, data)  # warms the shared caches the budgets assume (category tree, regions)
        cache.delete(fragments.GENERATION_KEY)  # a fresh generation: this GET renders from the database
        with CaptureQueriesContext(connection) as miss:
            client.get(url, data)
        with CaptureQueriesContext(connection) as hit:
            assert client.get(url, data).status_code == 200
        assert len(miss) <= STORE_CEILINGS[name], (name, len(miss))
        # only the halal badge of the product page (certificates are valid by date, not cached) is read
        assert len(hit) == (1 if name == "product" else 0), (name, [q["sql"] for q in hit.captured_queries])


def stock_line(page: str) -> str:
    return re.search(r'<p class="stock">(.*?)</p>', page, re.S).group(1)


def test_restocking_shows_the_new_stock(client, committed, kopi, admin_a):
    committed(stock_restock, product=kopi, quantity=5, actor=admin_a)
    read_all(client, kopi)
    assert "15" in stock_line(client.get(pages(kopi)["product"]).content.decode())
    committed(stock_restock, product=kopi, quantity=7, actor=admin_a)
    line = stock_line(client.get(pages(kopi)["product"]).content.decode())
    assert "22" in line and "15" not in line


def test_selling_out_shows_out_of_stock_on_every_list(client, committed, kopi, shopper, address):
    before = read_all(client, kopi)
    kopi_card = re.compile(r'<article class="product-card">\s*<a href="/[^"]*kopi-robusta/".*?</article>', re.S)
    for name in ("home", "search", "all", "category"):
        assert "badge-out" not in kopi_card.search(before[name]).group(0), name
    orders = committed(place, shopper, [(kopi, kopi.stock)], address=address)
    assert orders
    after = read_all(client, kopi)
    for name in ("home", "search", "all", "category"):
        card = kopi_card.search(after[name]).group(0)
        assert "badge-out" in card, name
        assert "10" in card  # its sold count
    assert "badge-out" in stock_line(after["product"])
    assert reverse("marketplace:cart_add", args=[kopi.slug]) not in after["product"]  # no add-to-cart form
    assert reverse("marketplace:cart_add", args=[kopi.slug]) in before["product"]


def test_a_new_price_shows_everywhere(client, committed, kopi, admin_a):
    before = read_all(client, kopi)
    assert all(price(text, 25000) for text in before.values()), [n for n, t in before.items() if not price(t, 25000)]
    committed(product_update, product=kopi, actor=admin_a, price=31000)
    after = read_all(client, kopi)
    for name, text in after.items():
        assert price(text, 31000) and not price(text, 25000), name


def test_a_bulk_price_change_shows(client, committed, kopi, shelf, admin_a):
    read_all(client, kopi)
    row = BulkRow(line=2, product_id=kopi.pk, price=27000, old_price=25000)
    committed(bulk_apply, store=shelf["store"], rows=[row], actor=admin_a)
    assert price(client.get(pages(kopi)["product"]).content.decode(), 27000)
    assert price(client.get(pages(kopi)["search"]).content.decode(), 27000)


def test_an_unpublished_product_leaves_the_lists(client, committed, kopi, admin_a):
    before = read_all(client, kopi)
    assert all("Kopi Robusta Santri" in text for text in before.values())
    committed(product_publish, product=kopi, actor=admin_a, publish=False)
    for name, url in pages(kopi).items():
        response = client.get(url)
        if name == "product":
            assert response.status_code == 404
        else:
            assert "Kopi Robusta Santri" not in response.content.decode(), name


def test_a_store_on_holiday_stops_taking_orders_on_the_product_page(client, committed, kopi, shelf, admin_a):
    cart_add = reverse("marketplace:cart_add", args=[kopi.slug])
    page = client.get(pages(kopi)["product"]).content.decode()
    assert cart_add in page and "Libur lebaran" not in page
    committed(store_update, store=shelf["store"], actor=admin_a, is_on_holiday=True, holiday_message="Libur lebaran")
    page = client.get(pages(kopi)["product"]).content.decode()
    assert cart_add not in page and "Libur lebaran" in page


def test_photos_flagship_rating_and_category_changes_show(client, committed, kopi, shelf, admin_a, province_staff):
    read_all(client, kopi)
    photo = committed(product_photo_add, product=kopi, upload=image_upload())
    url = photo.small.url
    assert url in client.get(pages(kopi)["home"]).content.decode()
    committed(photo_delete, photo=photo)
    assert url not in client.get(pages(kopi)["search"]).content.decode()

    committed(product_flagship_set, actor=province_staff, product=kopi, flagship=True)
    assert "OPOP" in client.get(pages(kopi)["home"]).content.decode().split("Kopi Robusta Santri")[0]

    committed(category_create, name="Kopi Bubuk Pilihan", parent=shelf["category"].parent)
    assert "Kopi Bubuk Pilihan" in client.get(pages(kopi)["search"]).content.decode()


def test_a_review_shows_with_the_new_rating(client, committed, kopi, shopper, address):
    [order] = committed(place, shopper, [(kopi, 1)], address=address)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.COMPLETED)
    read_all(client, kopi)
    committed(review_create, buyer=shopper, order_item=OrderItem.objects.get(order=order), rating=4, text="Mantap")
    assert "★ 4,0" in client.get(pages(kopi)["category"]).content.decode()
    assert "Mantap" in client.get(pages(kopi)["product"]).content.decode()


def test_a_page_rendered_before_a_change_is_never_served_after_it(client, committed, kopi, admin_a):
    """The key holds the generation read before the database: a render that started before the change is
    stored under the old generation, which the bump after the commit makes unreachable."""
    with translation.override("id"):  # the language the page is served in
        old_key = fragments.key("product", kopi.slug)
    stale = client.get(pages(kopi)["product"]).content.decode()  # rendered and stored under old_key
    assert cache.get(old_key) is not None
    committed(stock_restock, product=kopi, quantity=3, actor=admin_a)
    with translation.override("id"):
        assert fragments.key("product", kopi.slug) != old_key
    assert client.get(pages(kopi)["product"]).content.decode() != stale


def test_a_lost_generation_starts_again_from_the_clock(kopi):
    first = fragments.generation()
    cache.delete(fragments.GENERATION_KEY)
    assert fragments.generation() > first  # never a generation that could still have fragments
    fragments._bump()
    cache.delete(fragments.GENERATION_KEY)
    fragments._bump()  # bumping a lost generation is harmless
    assert fragments.generation() > first
