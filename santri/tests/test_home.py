"""The santripreneur home: pesantren 50 a page with their santri counted, filters, scoping, the cached figures."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from opop.tests.factories import OrganisationFactory
from pesantren.tests.factories import PesantrenFactory
from santri import selectors
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db

# Session and user, memberships, the pesantren count and page, the page's santri counts, the figures and their
# regions' labels (the first request of a scope only): the same for 2 pesantren as for 5,000.
HOME_QUERIES = 8


def _pesantren(count, kode="35.17", prefix="PP Jombang"):
    return [
        PesantrenFactory(organisation=OrganisationFactory(name=f"{prefix} {n:02d}", kabupaten_kota_id=kode))
        for n in range(count)
    ]


def _names(response):
    return [row.name for row in response.context["page"].object_list]


def test_the_home_pages_the_pesantren_fifty_at_a_time_with_each_ones_santri_counted(
    client, pes_a, pes_b, province_staff, django_assert_max_num_queries
):
    _pesantren(55)
    SantriFactory.create_batch(3, pesantren=pes_a)
    SantriFactory(pesantren=pes_a, santripreneur_since=date(2024, 3, 1))
    client.force_login(province_staff)
    with django_assert_max_num_queries(HOME_QUERIES):
        first = client.get(reverse("santri:home"))
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 57
    with django_assert_max_num_queries(HOME_QUERIES):
        second = client.get(reverse("santri:home"), {"page": 2})
    assert len(second.context["page"].object_list) == 7
    assert not set(_names(first)) & set(_names(second))
    row = next(
        row for row in [*first.context["page"].object_list, *second.context["page"].object_list] if row.pk == pes_a.pk
    )
    assert (row.santri_total, row.santripreneur_total) == (4, 1)
    assert row.list_url == reverse("santri:list", args=[pes_a.pk])
    assert row.business_url == reverse("santri:business_list", args=[pes_a.pk])
    assert 'rel="next"' in first.content.decode()


def test_the_home_filters_by_name_or_nspp_and_by_regency(client, pes_a, pes_b, province_staff):
    client.force_login(province_staff)
    assert _names(client.get(reverse("santri:home"), {"q": "sidogiri"})) == ["PP Sidogiri"]
    assert _names(client.get(reverse("santri:home"), {"q": "510035170001"})) == ["PP Darul Ulum"]
    assert _names(client.get(reverse("santri:home"), {"kabupaten_kota": "35.14"})) == ["PP Sidogiri"]
    response = client.get(reverse("santri:home"), {"q": "no such pesantren"})
    assert (
        response.status_code == 200
        and "Tidak ada pesantren yang cocok dengan saringan ini." in response.content.decode()
    )
    # a wrong regency code is the form's error, never a 500
    assert client.get(reverse("santri:home"), {"kabupaten_kota": "99.99"}).status_code == 200


def test_the_home_keeps_each_users_scope(client, pes_a, pes_b, admin_a, jombang_staff):
    SantriFactory(pesantren=pes_a, santripreneur_since=date(2024, 3, 1))
    SantriFactory(pesantren=pes_b, santripreneur_since=date(2025, 1, 1))
    for user in (admin_a, jombang_staff):
        cache.clear()
        client.force_login(user)
        response = client.get(reverse("santri:home"))
        assert _names(response) == ["PP Darul Ulum"]
        figures = response.context["figures"]
        assert [(row["key"], row["total"]) for row in figures.by_region] == [("35.17", 1)]
        assert [(row["key"], row["total"]) for row in figures.by_year] == [(2024, 1)]
        # the filter never widens the scope
        assert _names(client.get(reverse("santri:home"), {"kabupaten_kota": "35.14"})) == []


def test_the_figures_are_the_santripreneur_counts_kept_five_minutes_per_scope(
    pes_a, pes_b, province_staff, jombang_staff
):
    SantriFactory(pesantren=pes_a, santripreneur_since=date(2024, 3, 1))
    SantriFactory(pesantren=pes_a, santripreneur_since=date(2025, 6, 1))
    SantriFactory(pesantren=pes_b, santripreneur_since=date(2025, 1, 1))
    SantriFactory(pesantren=pes_b)  # not a santripreneur
    figures = selectors.santripreneur_figures(user=province_staff)
    for rows, by in ((figures.by_region, "kabupaten_kota"), (figures.by_year, "year")):
        assert rows == selectors.santripreneur_counts(user=province_staff, by=by)
    assert [(row["label"], row["total"]) for row in figures.by_region] == [("Kab. Pasuruan", 1), ("Kab. Jombang", 2)]
    # another scope is counted apart; the same scope reads the kept figures until they expire
    assert [row["total"] for row in selectors.santripreneur_figures(user=jombang_staff).by_region] == [2]
    SantriFactory(pesantren=pes_a, santripreneur_since=date(2025, 7, 1))
    assert selectors.santripreneur_figures(user=province_staff) == figures
    cache.clear()
    assert sum(row["total"] for row in selectors.santripreneur_figures(user=province_staff).by_year) == 4
