"""The organisation list: 50 a page, filtered in SQL, scoped to the user, the same queries for 5 rows as for 60."""

import pytest
from django.urls import reverse

from opop.models import Organisation
from opop.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("opop:organisation_list")


def _many(count, **fields):
    return [OrganisationFactory(name=f"Koperasi Santri {n:03d}", **fields) for n in range(count)]


def _names(response):
    return [organisation.name for organisation in response.context["page"].object_list]


def test_the_list_shows_fifty_a_page_and_the_page_links_keep_the_filters(client, province_staff):
    _many(60, kabupaten_kota_id="35.14")
    client.force_login(province_staff)
    first = client.get(URL, {"kabupaten_kota": "35.14"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 60
    assert "?kabupaten_kota=35.14&amp;page=2" in first.content.decode()
    second = client.get(URL, {"kabupaten_kota": "35.14", "page": "2"})
    assert _names(second) == [f"Koperasi Santri {n:03d}" for n in range(50, 60)]


def test_the_list_costs_the_same_queries_for_five_rows_and_for_sixty(
    client, province_staff, django_assert_max_num_queries
):
    for organisation in _many(5):
        MembershipFactory(organisation=organisation)
    client.force_login(province_staff)
    client.get(URL)  # warms the session and the kept filter panel
    # session, user, memberships, the count, the page (members counted in it)
    with django_assert_max_num_queries(5):
        assert client.get(URL).status_code == 200
    for organisation in _many(55, kabupaten_kota_id="35.14"):
        MembershipFactory(organisation=organisation)
        MembershipFactory(organisation=organisation)
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
    # filtered by kind and region: one more query, validating the region
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"kind": "pesantren", "kabupaten_kota": "35.14", "q": "santri"})
    assert response.context["page"].paginator.count == 55


def test_members_are_counted_per_organisation(client, admin_a, pesantren_a):
    MembershipFactory(organisation=pesantren_a, role="staff")
    client.force_login(admin_a)
    (row,) = client.get(URL).context["page"].object_list
    assert row == pesantren_a and row.member_count == 2


def test_filters_by_name_kind_and_region(client, province_staff, pesantren_a, pesantren_b):
    business = OrganisationFactory(
        kind=Organisation.Kind.SANTRI_BUSINESS, name="Kopontren Darul Ulum Mart", kabupaten_kota_id="35.17"
    )
    client.force_login(province_staff)
    assert _names(client.get(URL, {"q": "  darul ulum "})) == ["PP Darul Ulum", business.name]
    assert _names(client.get(URL, {"kind": "santri_business"})) == [business.name]
    assert _names(client.get(URL, {"kabupaten_kota": "35.14"})) == ["PP Sidogiri"]
    empty = client.get(URL, {"q": "tidak ada"})
    assert _names(empty) == [] and "Tidak ada organisasi yang cocok dengan saringan ini." in empty.content.decode()


def test_regional_staff_filtering_another_region_see_nothing_of_it(client, jombang_staff, pesantren_a, pesantren_b):
    client.force_login(jombang_staff)
    assert "PP Sidogiri" not in _names(client.get(URL))
    assert _names(client.get(URL, {"kabupaten_kota": "35.14"})) == []
    assert _names(client.get(URL, {"q": "Sidogiri"})) == []
    assert client.get(reverse("opop:organisation_detail", args=[pesantren_b.slug])).status_code == 404


def test_a_member_sees_only_their_organisations_whatever_the_filters(client, admin_a, pesantren_a, pesantren_b):
    client.force_login(admin_a)
    assert _names(client.get(URL)) == ["PP Darul Ulum"]
    assert _names(client.get(URL, {"kabupaten_kota": "35.14"})) == []
    assert _names(client.get(URL, {"q": "Sidogiri", "page": "2"})) == []


def test_bad_filter_values_and_pages_answer_the_list_not_an_error(client, province_staff, pesantren_a):
    client.force_login(province_staff)
    for params in ({"kind": "bogus"}, {"kabupaten_kota": "99.99"}, {"page": "abc"}, {"page": "999"}):
        response = client.get(URL, params)
        assert response.status_code == 200, params
    response = client.get(URL, {"kind": "bogus"})
    assert response.context["filter"].form.errors["kind"]
