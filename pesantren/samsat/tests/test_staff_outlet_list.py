"""The staff outlet list: 50 outlets a page, one month's figures per outlet and over the list, scoped by region."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pesantren.samsat import services
from pesantren.samsat.tests.conftest import at
from pesantren.samsat.tests.factories import OutletFactory

pytestmark = pytest.mark.django_db

URL = reverse("samsat:staff_outlet_list")


def pay(outlet, cashier, *, when, plate="S 1234 AB", nik="3517011203900001"):
    bill = services.samsat_bill_inquire(outlet=outlet, cashier=cashier, plate=plate, now=when)
    return services.samsat_payment_make(
        outlet=outlet, cashier=cashier, idempotency_key=bill.idempotency_key, nik=nik, now=when
    )


def rows(response):
    return {outlet.code: figures for outlet, figures in response.context["rows"]}


def test_the_chosen_month_counts_only_its_confirmed_payments(client, province_staff, outlet_a, outlet_b, cashier_a):
    october = pay(outlet_a, cashier_a, when=at(10, month=10))
    pay(outlet_a, cashier_a, when=at(10, month=11), plate="AG 1234 XY", nik="3571014402920004")
    client.force_login(province_staff)

    response = client.get(URL, {"month": "2026-10"})
    figures = rows(response)
    assert figures[outlet_a.code] == {"count": 1, "amount": october.total}
    assert figures[outlet_b.code] == {"count": 0, "amount": 0}
    assert response.context["totals"] == {"count": 1, "amount": october.total}
    assert client.get(URL, {"month": "2026-09"}).context["totals"] == {"count": 0, "amount": 0}


def test_the_month_defaults_to_the_current_one_in_wib(client, province_staff, outlet_a, cashier_a):
    client.force_login(province_staff)
    assert client.get(URL).context["month"] == timezone.localdate().replace(day=1)


def test_a_bad_month_gets_a_message_not_a_500(client, province_staff, outlet_a):
    client.force_login(province_staff)
    response = client.get(URL, {"month": "11/2026"})
    assert response.status_code == 200
    assert "Give the month as YYYY-MM" in response.content.decode()
    assert outlet_a.code in rows(response)


def test_pages_of_fifty_keep_region_scope_and_filters(client, province_staff, jombang_staff, outlet_a, outlet_b):
    for n in range(55):
        OutletFactory(organisation=outlet_a.organisation, name=f"Gerai {n:02d}")
    client.force_login(province_staff)
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 7
    assert not set(rows(first)) & set(rows(second))
    assert outlet_b.code in rows(client.get(URL, {"kabupaten_kota": "35.14"}))
    assert set(rows(client.get(URL, {"q": "sidogiri"}))) == {outlet_b.code}

    client.force_login(jombang_staff)
    codes = set(rows(client.get(URL))) | set(rows(client.get(URL, {"page": 2})))
    assert outlet_a.code in codes and outlet_b.code not in codes
    assert client.get(URL, {"kabupaten_kota": "35.14"}).context["rows"] == []


def test_the_list_costs_the_same_queries_for_five_or_sixty_outlets(
    client, province_staff, outlet_a, outlet_b, cashier_a, django_assert_max_num_queries
):
    pay(outlet_a, cashier_a, when=at(10, month=11))
    client.force_login(province_staff)
    with django_assert_max_num_queries(9):
        client.get(URL, {"month": "2026-11"})
    for n in range(60):
        OutletFactory(organisation=outlet_b.organisation, name=f"Gerai {n:02d}")
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"month": "2026-11"})
    assert len(response.context["rows"]) == 50
