import re

import pytest
from django.urls import reverse

from marketplace import sitemaps
from marketplace.catalogue.services import product_photo_add
from marketplace.models import Category, Product
from marketplace.tests.factories import CategoryFactory, ProductFactory, StoreFactory, image_upload, santri_org
from opop.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [product.name for product in response.context["page_obj"].object_list]


@pytest.fixture
def catalogue(region):
    kopi = CategoryFactory(name="Kopi", slug="kopi")
    batik = CategoryFactory(name="Batik", slug="batik")
    jombang = StoreFactory(name="Koppontren Darul Ulum")
    malang = StoreFactory(name="Kopi Santri Bululawang", organisation=santri_org(kabupaten_kota=region("35.07")))
    return {
        "robusta": ProductFactory(
            name="Kopi Robusta Bululawang",
            store=malang,
            category=kopi,
            price=55000,
            sold_count=40,
            halal_certificate_number="ID35110000123",
            description="Biji kopi pilihan.",
        ),
        "gula": ProductFactory(
            name="Gula Aren", store=jombang, category=kopi, price=20000, description="Cocok untuk kopi susu.", stock=0
        ),
        "batik": ProductFactory(name="Batik Tulis Jombang", store=jombang, category=batik, price=350000, sold_count=5),
    }


def test_search_ranks_a_name_match_above_a_description_match(client, catalogue):
    response = client.get(reverse("marketplace:search"), {"q": "kopi"})
    assert names(response) == ["Kopi Robusta Bululawang", "Gula Aren"]


def test_search_is_case_insensitive_and_all_words_must_match(client, catalogue):
    assert names(client.get(reverse("marketplace:search"), {"q": "ROBUSTA bululawang"})) == ["Kopi Robusta Bululawang"]
    assert names(client.get(reverse("marketplace:search"), {"q": "robusta batik"})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "batik"}, ["Batik Tulis Jombang"]),
        ({"region": "35.07"}, ["Kopi Robusta Bululawang"]),
        ({"pillar": "santripreneur"}, ["Kopi Robusta Bululawang"]),
        ({"pillar": "pesantrenpreneur", "sort": "price"}, ["Gula Aren", "Batik Tulis Jombang"]),
        ({"halal": "on"}, ["Kopi Robusta Bululawang"]),
        ({"in_stock": "on", "sort": "-price"}, ["Batik Tulis Jombang", "Kopi Robusta Bululawang"]),
        ({"price_min": "30000", "price_max": "100000"}, ["Kopi Robusta Bululawang"]),
        ({"sort": "best_selling"}, ["Kopi Robusta Bululawang", "Batik Tulis Jombang", "Gula Aren"]),
    ],
)
def test_filters_and_sorts_live_in_the_url(client, catalogue, params, expected):
    assert names(client.get(reverse("marketplace:search"), params)) == expected


def test_category_page_includes_subcategories(client, catalogue):
    child = CategoryFactory(name="Kopi Bubuk", slug="kopi-bubuk", parent=Category.objects.get(slug="kopi"))
    ProductFactory(name="Kopi Bubuk Sidogiri", category=child)
    response = client.get(reverse("marketplace:category", args=["kopi"]))
    assert "Kopi Bubuk Sidogiri" in names(response)


def test_pagination_keeps_the_filters(client, catalogue):
    for n in range(30):
        ProductFactory(name=f"Kopi Arabika {n}", category=catalogue["robusta"].category)
    # Newest first pages by keyset: "Next" carries where the page ended, and the filters.
    response = client.get(reverse("marketplace:search"), {"q": "kopi", "sort": "newest"})
    page = response.context["page_obj"]
    assert page.keyset and page.has_next()
    body = response.content.decode()
    assert "q=kopi&amp;sort=newest&amp;after=" in body and "page=" not in body
    last = client.get(reverse("marketplace:search"), {"q": "kopi", "sort": "newest", "after": page.next_cursor})
    assert last.context["page_obj"].object_list and not last.context["page_obj"].has_next()
    assert 'href="?q=kopi&amp;sort=newest" rel="first"' in last.content.decode()
    # Relevance is a computed score: numbered pages, still without a total.
    response = client.get(reverse("marketplace:search"), {"q": "kopi"})
    assert not response.context["page_obj"].keyset and response.context["page_obj"].has_next()
    assert "q=kopi&amp;page=2" in response.content.decode()


def test_list_and_search_pages_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries, region):
    stores = [StoreFactory(), StoreFactory(organisation=santri_org(kabupaten_kota=region("35.07")))]
    for n in range(40):
        product = ProductFactory(name=f"Kopi Santri {n}", store=stores[n % 2])
        if n < 3:
            product_photo_add(product=product, upload=image_upload())
    for url, params in [
        (reverse("marketplace:search"), {"q": "kopi", "sort": "rating"}),
        (reverse("marketplace:search"), {}),
        (reverse("marketplace:home"), {}),
        (reverse("marketplace:store", args=[stores[0].slug]), {}),
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(url, params).status_code == 200


def test_product_page_shows_legal_data_open_graph_and_canonical_url(client, catalogue):
    product = catalogue["robusta"]
    product_photo_add(product=product, upload=image_upload())
    body = client.get(product.get_absolute_url()).content.decode()
    assert 'property="og:title" content="Kopi Robusta Bululawang"' in body
    assert f'rel="canonical" href="http://testserver{product.get_absolute_url()}"' in body
    assert "ID35110000123" in body and 'loading="lazy"' not in body.split("gallery")[1].split("</div>")[0]
    assert "Kopi Santri Bululawang" in body


def test_the_first_screen_photos_load_at_once_and_cards_do_not_say_the_name_twice(client, catalogue):
    """Lighthouse: the largest paint (the first card's photo) was lazy-loaded, and the photo's alt repeated the
    product name the card's heading already gives its link; the result cards' h3 came with no h2 above."""
    product_photo_add(product=catalogue["robusta"], upload=image_upload())
    product_photo_add(product=catalogue["batik"], upload=image_upload(), alt_text="Kain batik motif cinde")
    html = client.get(reverse("marketplace:search")).content.decode()
    photos = re.findall(r'<article class="product-card">\s*<a [^>]*>\s*(<img [^>]*>)', html)
    assert len(photos) == 2
    assert 'fetchpriority="high"' in photos[0] and not any('loading="lazy"' in photo for photo in photos)
    robusta, batik = sorted(photos, key=lambda photo: "batik" in photo)
    assert 'alt=""' in robusta and 'alt="Kain batik motif cinde"' in batik
    assert re.search(r'<h2 class="visually-hidden" id="catalogue-results">', html)
    gallery = client.get(catalogue["robusta"].get_absolute_url()).content.decode().split("gallery")[1]
    assert 'fetchpriority="high"' in gallery.split("<img")[1]


def test_out_of_stock_product_says_so_and_offers_no_cart_button(client, catalogue):
    body = client.get(catalogue["gula"].get_absolute_url()).content.decode()
    assert "badge-out" in body
    assert reverse("marketplace:cart_add", args=[catalogue["gula"].slug]) not in body


def test_store_page_and_sitemap(client, catalogue):
    store = catalogue["robusta"].store
    assert "Santripreneur" in client.get(store.get_absolute_url()).content.decode()
    products = client.get(reverse("marketplace:sitemap_section", args=["products"])).content.decode()
    stores = client.get(reverse("marketplace:sitemap_section", args=["stores"])).content.decode()
    assert catalogue["batik"].get_absolute_url() in products and store.get_absolute_url() in stores
    # The old address sends crawlers to the site's one index.
    old = client.get(reverse("marketplace:sitemap"))
    assert old.status_code == 301 and old["Location"] == "/sitemap.xml"


def test_hidden_products_and_unknown_slugs_answer_404(client, catalogue):
    product = catalogue["batik"]
    product.is_active = False
    product.save()
    assert client.get(product.get_absolute_url()).status_code == 404
    assert client.get(reverse("marketplace:store", args=["tidak-ada"])).status_code == 404
    OrganisationFactory()


def test_home_page_is_light(client, catalogue):
    for product in catalogue.values():
        product_photo_add(product=product, upload=image_upload())
    response = client.get(reverse("marketplace:home"))
    html = response.content
    assert b'loading="lazy"' in html and b"srcset" in html
    assert not re.search(rb"<script(?![^>]*\bsrc=)", html)  # only the deferred static scripts, nothing inline
    assert len(html) < 60_000


def _is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="full-text search runs on PostgreSQL")
def test_postgres_search_matches_prefixes_and_ignores_accents(client, catalogue):
    ProductFactory(name="Kopi Lúwak Malang", description="Kopi langka.")
    assert names(client.get(reverse("marketplace:search"), {"q": "robus"})) == ["Kopi Robusta Bululawang"]
    assert names(client.get(reverse("marketplace:search"), {"q": "LUWAK"})) == ["Kopi Lúwak Malang"]
    assert names(client.get(reverse("marketplace:search"), {"q": "luwak!! & |"})) == ["Kopi Lúwak Malang"]


@pytest.mark.postgres
@pytest.mark.skipif("not _is_postgres()", reason="the stored search document exists on PostgreSQL only")
def test_postgres_search_document_follows_renamed_products_categories_and_stores(client, catalogue):
    """The document is kept by the models' triggers (Meta.triggers): edits, renames and new rows are found at once."""

    def search(text):
        return names(client.get(reverse("marketplace:search"), {"q": text}))

    robusta, batik = catalogue["robusta"], catalogue["batik"]
    robusta.name = "Kopi Arabika Ijen"
    robusta.save(update_fields=["name"])
    assert search("arabika") == ["Kopi Arabika Ijen"]
    assert search("robusta") == []
    batik.category.name = "Wastra Nusantara"
    batik.category.save(update_fields=["name"])
    assert search("wastra") == ["Batik Tulis Jombang"]
    batik.store.name = "Koperasi Tebuireng"
    batik.store.save(update_fields=["name"])
    assert search("tebuireng") == ["Batik Tulis Jombang", "Gula Aren"]  # both of its products, by the B weight
    Product.objects.filter(pk=batik.pk).update(description="Motif kawung.")
    assert search("kawung") == ["Batik Tulis Jombang"]


def test_search_text_with_only_symbols_lists_everything(client, catalogue):
    assert len(names(client.get(reverse("marketplace:search"), {"q": "&|!"}))) == 3


def test_the_category_filter_lists_each_parent_followed_by_its_children(client):
    food = CategoryFactory(name="Makanan & Minuman", slug="makanan", position=0)
    crafts = CategoryFactory(name="Kerajinan", slug="kerajinan", position=1)
    CategoryFactory(name="Kopi", slug="kopi", parent=food, position=0)
    CategoryFactory(name="Anyaman", slug="anyaman", parent=crafts, position=0)
    field = client.get(reverse("marketplace:search")).context["filter"].form.fields["category"]
    assert [label for _value, label in field.choices][1:] == ["Makanan & Minuman", "— Kopi", "Kerajinan", "— Anyaman"]


def test_the_sitemap_index_pages_each_section_and_costs_one_count_per_section(
    client, store_a, monkeypatch, django_assert_max_num_queries
):
    products = [ProductFactory(store=store_a, name=f"Produk Peta {n}") for n in range(5)]
    for sitemap_class in sitemaps.SITEMAPS.values():
        monkeypatch.setattr(sitemap_class, "limit", 2)
    with django_assert_max_num_queries(3):  # a COUNT per section: products, stores, categories
        index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>http://testserver(/mart/sitemap-products\.xml(?:\?p=\d+)?)</loc>", index)
    assert pages == ["/mart/sitemap-products.xml", "/mart/sitemap-products.xml?p=2", "/mart/sitemap-products.xml?p=3"]
    listed = "".join(client.get(page).content.decode() for page in pages)
    assert all(listed.count(f"{product.get_absolute_url()}<") == 1 for product in products)  # each once
    assert client.get("/mart/sitemap-products.xml?p=4").status_code == 404
    with django_assert_max_num_queries(2):  # one page: its rows (and the COUNT that pages them)
        client.get("/mart/sitemap-products.xml?p=2")
