"""Store pages served from the fragment cache (catalogue/fragments.py): an edit shows at once, a sale moves no
cache version (the product page reads its stock live; lists show it at most LIST_FRESH_SECONDS + RENDER_LOCK_SECONDS
old), a change in one store leaves the other stores' pieces in place, and a missing piece is rendered once.

Every test turns the fragment cache on (the test settings' per-process memory cache leaves it off), warms the
pages, changes the catalogue through the service that production uses, lets the commit callbacks run (versions
are bumped after the commit) and reads the pages again. Time is a fake clock (`clock`), never the wall.
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
from marketplace.catalogue.views import PRODUCT_PARTS
from marketplace.halal.flagship import product_flagship_set
from marketplace.models import Order, OrderItem
from marketplace.orders.reviews import review_create
from marketplace.seller.bulk import BulkRow, bulk_apply
from marketplace.seller.services import photo_delete, product_publish, product_update, store_update
from marketplace.tests.factories import CategoryFactory, ProductFactory, StoreFactory, image_upload
from marketplace.tests.helpers import place
from marketplace.tests.test_query_budgets import STORE_CEILINGS, STORE_PAGES, _products

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(fragments, "clock", fake)
    monkeypatch.setattr(fragments, "sleep", fake.advance)  # a waiting request moves the fake clock only
    return fake


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    settings.CATALOGUE_FRAGMENT_CACHE = True
    cache.clear()
    yield
    cache.clear()


def lists_renew(clock):
    """Past the stated bound for list figures: every list piece is rendered again on its next read."""
    clock.advance(fragments.LIST_FRESH_SECONDS + 0.1)


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
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')  # both are per request
    for _round in range(2):  # a miss, then a hit
        for name, (url, data) in STORE_PAGES.items():
            cached = client.get(url, data).content.decode()
            assert token.sub("", cached) == token.sub("", fresh[name]), name


def test_a_cached_store_page_costs_no_catalogue_query_and_a_miss_keeps_its_budget(client, shelf):
    _products(shelf, 5)
    everything = [fragments._version_key(fragments.CATALOGUE)]
    for name, (url, data) in STORE_PAGES.items():
        client.get(url, data)  # warms the shared caches the budgets assume (category tree, regions, product ids)
        fragments._bump(everything)  # a new catalogue version: this GET renders from the database
        with CaptureQueriesContext(connection) as miss:
            client.get(url, data)
        with CaptureQueriesContext(connection) as hit:
            assert client.get(url, data).status_code == 200
        assert len(miss) <= STORE_CEILINGS[name], (name, len(miss))
        # the product page reads its stock, sold count and rating live (the halal badge is a field of the product,
        # kept by product_halal_sync); the store page reads the store row (its head and rating); lists read nothing
        expected = {"product": 1, "store": 1}.get(name, 0)
        assert len(hit) == expected, (name, [q["sql"] for q in hit.captured_queries])


def stock_line(page: str) -> str:
    return re.search(r'<p class="stock">(.*?)</p>', page, re.S).group(1)


def test_restocking_shows_the_new_stock(client, committed, kopi, admin_a):
    committed(stock_restock, product=kopi, quantity=5, actor=admin_a)
    read_all(client, kopi)
    assert "15" in stock_line(client.get(pages(kopi)["product"]).content.decode())
    committed(stock_restock, product=kopi, quantity=7, actor=admin_a)
    line = stock_line(client.get(pages(kopi)["product"]).content.decode())
    assert "22" in line and "15" not in line


def test_selling_out_shows_at_once_on_the_product_page_and_on_lists_within_the_bound(
    client, committed, clock, kopi, shopper, address
):
    before = read_all(client, kopi)
    kopi_card = re.compile(r'<article class="product-card">\s*<a href="/[^"]*kopi-robusta/".*?</article>', re.S)
    for name in ("home", "search", "all", "category"):
        assert "badge-out" not in kopi_card.search(before[name]).group(0), name
    orders = committed(place, shopper, [(kopi, kopi.stock)], address=address)
    assert orders
    clock.advance(fragments.LIST_FRESH_SECONDS - 1)  # within the bound: lists may still show the old figures
    within = read_all(client, kopi)
    assert "badge-out" in stock_line(within["product"])  # the product page reads the stock live
    assert reverse("marketplace:cart_add", args=[kopi.slug]) not in within["product"]  # no add-to-cart form
    assert reverse("marketplace:cart_add", args=[kopi.slug]) in before["product"]
    for name in ("home", "search", "all", "category"):
        assert "badge-out" not in kopi_card.search(within[name]).group(0), name  # the cached copy, not re-rendered
    clock.advance(1.1)  # past LIST_FRESH_SECONDS: every list shows the sale
    after = read_all(client, kopi)
    for name in ("home", "search", "all", "category"):
        card = kopi_card.search(after[name]).group(0)
        assert "badge-out" in card, name
        assert "10" in card  # its sold count


def test_a_sale_moves_no_cache_version_and_an_edit_only_its_own_stores(
    committed, kopi, shelf, shopper, address, admin_a
):
    other = ProductFactory(category=shelf["category"], name="Sarung Tenun", slug="sarung-tenun")
    deps_of = {
        product.pk: fragments.product_deps(
            product_id=product.pk, store_id=product.store_id, category_id=product.category_id
        )
        for product in (kopi, other)
    }
    store_b = [("store", other.store_id), ("product", other.pk)]
    with translation.override("id"):
        key_b = fragments.key("store", other.store_id)
    before = fragments.versions([fragments.CATALOGUE, *deps_of[kopi.pk], *store_b])
    committed(place, shopper, [(kopi, 2)], address=address)  # a sale in store A
    assert fragments.versions([fragments.CATALOGUE, *deps_of[kopi.pk], *store_b]) == before
    committed(product_update, product=kopi, actor=admin_a, price=1000)
    assert fragments.versions(store_b) == before[-2:]  # store B's pieces stay reachable, under the same key
    assert fragments.versions([("store", kopi.store_id)]) != (before[2],)
    with translation.override("id"):
        assert fragments.key("store", other.store_id) == key_b


def test_a_new_price_shows_at_once_in_its_store_and_category_and_everywhere_within_the_bound(
    client, committed, clock, kopi, admin_a
):
    before = read_all(client, kopi)
    assert all(price(text, 25000) for text in before.values()), [n for n, t in before.items() if not price(t, 25000)]
    committed(product_update, product=kopi, actor=admin_a, price=31000)
    after = read_all(client, kopi)
    for name in ("product", "category"):  # the product's own pieces: at once
        assert price(after[name], 31000) and not price(after[name], 25000), name
    store_page = client.get(reverse("marketplace:store", args=[kopi.store.slug])).content.decode()
    assert price(store_page, 31000)
    lists_renew(clock)  # home and search span every store: renewed within the stated bound
    for name, text in read_all(client, kopi).items():
        assert price(text, 31000) and not price(text, 25000), name


def test_a_bulk_price_change_shows(client, committed, kopi, shelf, admin_a):
    read_all(client, kopi)
    row = BulkRow(line=2, product_id=kopi.pk, price=27000, old_price=25000)
    committed(bulk_apply, store=shelf["store"], rows=[row], actor=admin_a)
    assert price(client.get(pages(kopi)["product"]).content.decode(), 27000)
    assert price(client.get(pages(kopi)["category"]).content.decode(), 27000)
    assert price(client.get(reverse("marketplace:store", args=[shelf["store"].slug])).content.decode(), 27000)


def test_an_unpublished_product_leaves_the_lists(client, committed, clock, kopi, admin_a):
    before = read_all(client, kopi)
    assert all("Kopi Robusta Santri" in text for text in before.values())
    committed(product_publish, product=kopi, actor=admin_a, publish=False)
    assert client.get(pages(kopi)["product"]).status_code == 404  # at once
    assert "Kopi Robusta Santri" not in client.get(pages(kopi)["category"]).content.decode()
    lists_renew(clock)
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


def test_photos_flagship_rating_and_category_changes_show(
    client, committed, clock, kopi, shelf, admin_a, province_staff
):
    read_all(client, kopi)
    photo = committed(product_photo_add, product=kopi, upload=image_upload())
    url = photo.small.url
    assert url in client.get(pages(kopi)["category"]).content.decode()  # at once in its category
    assert photo.medium.url in client.get(pages(kopi)["product"]).content.decode()
    lists_renew(clock)  # home and search span every store: renewed on age
    assert url in client.get(pages(kopi)["home"]).content.decode()
    committed(photo_delete, photo=photo)
    lists_renew(clock)
    assert url not in client.get(pages(kopi)["search"]).content.decode()

    committed(product_flagship_set, actor=province_staff, product=kopi, flagship=True)
    lists_renew(clock)
    assert "OPOP" in client.get(pages(kopi)["home"]).content.decode().split("Kopi Robusta Santri")[0]

    committed(category_create, name="Kopi Bubuk Pilihan", parent=shelf["category"].parent)
    assert "Kopi Bubuk Pilihan" in client.get(pages(kopi)["search"]).content.decode()


def test_a_review_shows_with_the_new_rating(client, committed, kopi, shopper, address):
    [order] = committed(place, shopper, [(kopi, 1)], address=address)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.COMPLETED)
    read_all(client, kopi)
    committed(review_create, buyer=shopper, order_item=OrderItem.objects.get(order=order), rating=4, text="Mantap")
    # the review's product is re-rendered at once (its version moved); the rating figure is that product's
    assert "★ 4,0" in client.get(pages(kopi)["category"]).content.decode()
    assert "Mantap" in client.get(pages(kopi)["product"]).content.decode()


def test_a_page_rendered_before_a_change_is_never_served_after_it(client, committed, kopi, admin_a):
    """The piece holds the versions read before the database: a render that started before the change carries
    the old versions, which the bump after the commit makes out of date."""
    stale = client.get(pages(kopi)["product"]).content.decode()
    with translation.override("id"):  # the language the page is served in
        entry = cache.get(fragments.key("product", kopi.slug, PRODUCT_PARTS))
    assert entry is not None
    committed(product_update, product=kopi, actor=admin_a, price=26000)
    deps = fragments.product_deps(product_id=kopi.pk, store_id=kopi.store_id, category_id=kopi.category_id)
    assert fragments.versions([fragments.CATALOGUE, *deps]) != entry["versions"]
    fresh = client.get(pages(kopi)["product"]).content.decode()
    assert fresh != stale and price(fresh, 26000)  # a price change shows at once on the product page


def test_a_lost_version_starts_again_from_the_clock(kopi):
    (first,) = fragments.versions([("product", kopi.pk)])
    cache.delete(fragments._version_key(("product", kopi.pk)))
    assert fragments.versions([("product", kopi.pk)]) > (first,)  # never a version that could still have pieces
    fragments._bump([fragments._version_key(("product", kopi.pk))])
    cache.delete(fragments._version_key(("product", kopi.pk)))
    fragments._bump([fragments._version_key(("product", kopi.pk))])  # bumping a lost version is harmless
    assert fragments.versions([("product", kopi.pk)]) > (first,)


def test_a_stale_list_is_served_while_one_render_renews_it(clock):
    renders = []

    def build():
        renders.append(clock())
        return f"render {len(renders)}"

    def read():
        return fragments.cached("shelf", (1,), build, deps=[("store", 1)], fresh_for=fragments.LIST_FRESH_SECONDS)

    assert read() == "render 1"
    clock.advance(fragments.LIST_FRESH_SECONDS - 0.1)
    assert read() == "render 1"  # within the bound: no render
    clock.advance(0.2)
    fragment_key = fragments.key("shelf", 1)
    current = fragments.versions([fragments.CATALOGUE, ("store", 1)])
    assert cache.add(fragments._lock_key(fragment_key, current), 1)  # another process is renewing it
    assert read() == "render 1" and len(renders) == 1  # the previous copy, served without rendering
    cache.delete(fragments._lock_key(fragment_key, current))
    assert read() == "render 2"  # the renewal
    assert clock() - renders[-1] <= fragments.LIST_FRESH_SECONDS + fragments.RENDER_LOCK_SECONDS


def test_a_missing_piece_is_rendered_once_while_the_others_wait(clock):
    """Two requests for a piece whose version changed: the second finds the first's render lock, waits (on the
    fake clock) and serves the first's copy; it never renders the page itself."""
    renders = []
    fragment_key = fragments.key("product", "kopi")
    current = fragments.versions([fragments.CATALOGUE, ("product", 7)])
    lock = fragments._lock_key(fragment_key, current)

    def build_first():
        # while the first request renders, the second arrives: the lock is taken, so it waits for this copy
        renders.append("first")
        waiting_value = {}

        def second_sleep(seconds):
            clock.advance(seconds)
            if "stored" not in waiting_value:  # the first request stores its copy while the second waits
                cache.set(fragment_key, {"versions": current, "at": clock(), "value": "page"}, 60)
                waiting_value["stored"] = True

        fragments.sleep = second_sleep
        second = fragments.cached("product", ("kopi",), lambda: renders.append("second") or "x", deps=[("product", 7)])
        waiting_value["second"] = second
        assert cache.get(lock) is not None
        renders.append(("second got", second))
        return "page"

    assert fragments.cached("product", ("kopi",), build_first, deps=[("product", 7)]) == "page"
    assert renders == ["first", ("second got", "page")]  # one render: the second served the first's copy
    assert cache.get(lock) is None  # released


def test_a_waiting_request_renders_itself_when_the_lock_holder_is_gone(clock):
    fragment_key = fragments.key("product", "teh")
    current = fragments.versions([fragments.CATALOGUE, ("product", 8)])
    cache.add(fragments._lock_key(fragment_key, current), 1)  # a holder that never finishes
    before = clock()
    assert fragments.cached("product", ("teh",), lambda: "own render", deps=[("product", 8)]) == "own render"
    assert clock() - before == pytest.approx(fragments.RENDER_WAIT_SECONDS, abs=0.06)  # waited, boundedly


def _counting_cache_calls(monkeypatch) -> list[str]:
    """The cache calls made from now on, the caller's only (the memory cache's get_many calls its own get)."""
    calls, depth = [], []

    def counted(name, method):
        def call(*args, **kwargs):
            if not depth:
                calls.append(name)
            depth.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "add", "set", "incr", "delete"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    return calls


def test_a_warm_product_page_costs_two_cache_reads_and_one_query(client, kopi, monkeypatch):
    """What the page depends on (its product, store and categories, parents included) is one read, the versions
    and the page piece a second; the category tree is not read; stock, sold count and rating are one query."""
    url = reverse("marketplace:product", args=[kopi.slug])
    client.get(url)
    calls = _counting_cache_calls(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and kopi.name in response.content.decode()
    assert calls == ["get", "get_many"]
    assert [q["sql"] for q in queries.captured_queries if "marketplace_product" in q["sql"]] == [
        q["sql"] for q in queries.captured_queries
    ] and len(queries) == 1


def test_a_fresh_piece_is_served_in_one_cache_round_trip(monkeypatch):
    """The versions of what a piece shows and the piece itself are read together (one get_many); a hit makes no
    other cache call and never renders."""
    fragments.cached("shelf", (1,), lambda: "rendered", deps=[("store", 1)])  # stored
    calls = _counting_cache_calls(monkeypatch)
    assert fragments.cached("shelf", (1,), lambda: pytest.fail("a hit renders nothing"), deps=[("store", 1)]) == (
        "rendered"
    )
    assert calls == ["get_many"]


def _head(page: str) -> dict[str, str]:
    tags = re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', page.split("</head>")[0])
    return dict(tags)


def test_the_product_pages_sharing_tags_are_kept_with_it_and_change_with_it(client, committed, kopi, admin_a):
    """The head's description, sharing tags and price are kept with the page (views.PRODUCT_PARTS): the same on a
    hit as on the miss, and a new description, price or photo shows at once."""
    url = pages(kopi)["product"]
    long = "Kopi robusta dari kebun pesantren <Lereng Kawi> & disangrai santri. " * 5
    committed(product_update, product=kopi, actor=admin_a, description=long)
    miss, hit = client.get(url).content.decode(), client.get(url).content.decode()
    head = _head(hit)
    assert _head(miss) == head
    assert head["description"].startswith("Kopi robusta dari kebun pesantren &lt;Lereng Kawi&gt; &amp; disangrai")
    assert len(head["description"]) < len(head["og:description"]) < len(long) + 40  # 155 and 200 characters
    assert head["og:title"] == "Kopi Robusta Santri" and head["product:price:amount"] == "25000"
    assert head["og:url"] == "http://testserver" + url and "og:image" not in head
    committed(product_update, product=kopi, actor=admin_a, price=31000, description="Kopi robusta sangrai.")
    head = _head(client.get(url).content.decode())
    assert head["product:price:amount"] == "31000" and head["description"] == "Kopi robusta sangrai."
    photo = committed(product_photo_add, product=kopi, upload=image_upload())
    assert _head(client.get(url).content.decode())["og:image"] == "http://testserver" + photo.large.url


def test_the_language_switcher_is_rendered_once_for_the_header_and_the_footer(client, kopi, monkeypatch):
    from django.template.base import Template

    rendered = []
    render = Template.render

    def counting(self, context):
        if self.origin and self.origin.template_name == "components/language_switcher.html":
            rendered.append(self.origin.template_name)
        return render(self, context)

    monkeypatch.setattr(Template, "render", counting)
    page = client.get(pages(kopi)["product"]).content.decode()
    forms = re.findall(r'<form class="lang-switch".*?</form>', page, re.S)
    assert len(forms) == 2 and forms[0] == forms[1] and len(rendered) == 1
    assert f'name="next" value="{pages(kopi)["product"]}"' in forms[0]


def test_piece_counts_reach_the_shared_cache_at_most_once_a_second(settings, clock, monkeypatch):
    """The benchmark's hit counts (CATALOGUE_FRAGMENT_STATS) are kept in the process and added to the shared cache
    once STATS_FLUSH_SECONDS have passed: no cache write on every read, and no count lost."""
    from collections import Counter

    settings.CATALOGUE_FRAGMENT_STATS = True
    monkeypatch.setattr(fragments, "_stats_pending", Counter())
    monkeypatch.setattr(fragments, "_stats_flushed_at", clock())  # as if this process had just added its counts
    stat = fragments.STATS_PREFIX + "shelf:"

    def read():
        return fragments.cached("shelf", (1,), lambda: "rendered", deps=[("store", 1)])

    for _ in range(4):
        assert read() == "rendered"
    assert cache.get(stat + "render") is None and cache.get(stat + "hit") is None  # counted here only
    clock.advance(fragments.STATS_FLUSH_SECONDS)
    read()  # the first count a second later adds everything pending
    assert (cache.get(stat + "render"), cache.get(stat + "hit")) == (1, 4)
    read()
    assert cache.get(stat + "hit") == 4  # within the next second: pending again
    assert fragments.stats(["shelf"]) == {"shelf": {"hit": 5, "stale": 0, "waited": 0, "render": 1}}


def test_piece_counts_are_off_in_production(settings, monkeypatch):
    from collections import Counter

    settings.CATALOGUE_FRAGMENT_STATS = False
    monkeypatch.setattr(fragments, "_stats_pending", Counter())
    fragments.cached("shelf", (2,), lambda: "rendered", deps=[("store", 2)])
    assert not fragments._stats_pending and fragments.stats(["shelf"])["shelf"]["render"] == 0
