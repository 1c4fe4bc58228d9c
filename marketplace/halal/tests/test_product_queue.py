"""The staff product queue at scale: figures counted in SQL from each product's latest case, pages of 50, the
streamed CSV, region scoping, and query counts that do not grow with the products."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.halal import selectors
from marketplace.halal.models import CaseStatus, HalalCase
from marketplace.halal.tests.factories import CaseFactory, CertificateFactory
from marketplace.tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("halal:product_queue")
CSV = reverse("halal:product_queue_csv")


def csv_rows(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_figures_follow_each_products_latest_case(pesantren_a, product_a, food, province_staff):
    reopened = ProductFactory(store=product_a.store, category=food, name="Rengginang")
    dropped = ProductFactory(store=product_a.store, category=food, name="Kerupuk")
    certified = ProductFactory(store=product_a.store, category=food, name="Sambal")
    CertificateFactory(organisation=pesantren_a, products=[certified])
    CertificateFactory(organisation=pesantren_a, products=[])  # a certificate of no product changes nothing
    old = CaseFactory(organisation=pesantren_a, products=[reopened, dropped], status=CaseStatus.REJECTED)
    HalalCase.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    CaseFactory(organisation=pesantren_a, products=[reopened], status=CaseStatus.SUBMITTED)
    CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.DRAFT)

    figures = selectors.queue_figures(selectors.product_queue(user=province_staff))
    # in process: Rengginang (its newer case); not started: Keripik (draft) and Kerupuk (rejected)
    assert figures == {"total": 4, "certified": 1, "in_process": 1, "not_started": 2}


def test_pages_of_fifty_uncertified_first_and_scoped_by_region(
    client, product_a, product_b, food, pesantren_a, jombang_staff
):
    store = product_a.store
    for n in range(55):
        ProductFactory(store=store, category=food, name=f"Produk {n:02d}")
    certified = ProductFactory(store=store, category=food, name="Zz bersertifikat")
    CertificateFactory(organisation=pesantren_a, products=[certified])
    client.force_login(jombang_staff)
    first, second = client.get(QUEUE), client.get(QUEUE, {"page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 7
    names = [row[0].name for row in first.context["rows"] + second.context["rows"]]
    assert names[-1] == "Zz bersertifikat" and product_b.name not in names and len(set(names)) == 57
    assert first.context["figures"] == {"total": 57, "certified": 1, "in_process": 0, "not_started": 56}


def test_the_csv_streams_every_filtered_row_with_its_columns(client, product_a, product_b, province_staff, settings):
    client.force_login(province_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English file (Indonesian is the default)
    rows = csv_rows(client.get(CSV, {"kabupaten_kota": "35.17"}))
    assert rows[0] == ["Product", "Business", "Regency/city", "Category", "Status", "Scheme", "Urgency"]
    assert [row[0] for row in rows[1:]] == [product_a.name]
    assert rows[1][4] == "No case yet"
    assert {row[0] for row in csv_rows(client.get(CSV))[1:]} == {product_a.name, product_b.name}


def test_the_queue_and_its_csv_cost_the_same_queries_for_few_or_many_products(
    client, pesantren_a, food, province_staff, django_assert_max_num_queries
):
    store = StoreFactory(organisation=pesantren_a)
    client.force_login(province_staff)

    def measure():
        with django_assert_max_num_queries(10):
            page = client.get(QUEUE)
        with django_assert_max_num_queries(8):
            rows = csv_rows(client.get(CSV))
        return page, rows

    ProductFactory(store=store, category=food)
    measure()
    for _ in range(60):
        CaseFactory(organisation=pesantren_a, products=[ProductFactory(store=store, category=food)])
    page, rows = measure()
    assert len(page.context["rows"]) == 50 and len(rows) == 62
