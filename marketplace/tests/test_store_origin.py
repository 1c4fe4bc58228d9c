"""The owner changes the store's ship-from address through the one address widget; quotes use it."""

import pytest
from django.urls import reverse

from marketplace.shipping.places import place_of_store
from opop.models import AuditEvent
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
URL = "marketplace:seller_origin"


def _post(**overrides):
    """Kec. Peterongan, Desa Keplaksari (Jombang), as the widget posts it."""
    return {
        "alamat_provinsi": "35",
        "alamat_kabupaten": "35.17",
        "alamat_kecamatan": "35.17.10",
        "alamat_desa": "35.17.10.2002",
        "alamat_kodepos": "61481",
        "alamat_jalan": "Jl. Pesantren 1",
        **overrides,
    }


def test_the_owner_changes_the_origin_and_the_quote_place_follows(client, admin_a, store_a):
    client.force_login(admin_a)
    assert client.get(reverse(URL)).status_code == 200
    response = client.post(reverse(URL), _post())
    assert response.status_code == 302
    store_a.refresh_from_db()
    assert (store_a.origin_id, store_a.origin_kecamatan_code, store_a.origin_desa_code) == (
        "35.17",
        "35.17.10",
        "35.17.10.2002",
    )
    assert store_a.origin_postal_code == "61481" and store_a.pickup_address.startswith("Jl. Pesantren 1")
    assert store_a.origin_kecamatan and store_a.origin_desa
    place = place_of_store(store_a)
    assert (place.kabupaten_kota, place.kecamatan) == ("35.17", "35.17.10")
    assert AuditEvent.objects.filter(action="marketplace.store_origin_changed").count() == 1
    page = client.get(reverse("marketplace:seller_settings")).content.decode()
    assert store_a.origin_desa in page and "61481" in page


def test_the_form_shows_the_current_address(client, admin_a, store_a):
    client.force_login(admin_a)
    client.post(reverse(URL), _post())
    html = client.get(reverse(URL)).content.decode()
    assert 'value="35.17.10" selected' in html and 'value="35.17.10.2002"' in html


def test_choosing_a_level_without_javascript_saves_nothing(client, admin_a, store_a):
    client.force_login(admin_a)
    before = store_a.origin_kecamatan_code
    response = client.post(reverse(URL), {**_post(alamat_desa=""), "wilayah_pilih": "kecamatan"})
    assert response.status_code == 200 and "35.17.10." in response.content.decode()
    store_a.refresh_from_db()
    assert store_a.origin_kecamatan_code == before


def test_bad_input_gets_a_message_not_a_500(client, admin_a, store_a):
    client.force_login(admin_a)
    for bad in (_post(alamat_desa="35.17.11.2001"), _post(alamat_jalan=""), _post(alamat_kabupaten="99.99")):
        response = client.post(reverse(URL), bad)
        assert response.status_code == 200 and response.context["form"].errors, bad
    store_a.refresh_from_db()
    assert store_a.origin_kecamatan_code == ""


def test_only_the_owner_and_only_their_own_store(client, admin_a, admin_b, store_a, store_b, pesantren_a):
    staff = MembershipFactory(organisation=pesantren_a, role="staff").user
    client.force_login(staff)
    assert client.get(reverse(URL)).status_code == 404
    assert client.post(reverse(URL), _post()).status_code == 404
    client.force_login(admin_b)
    assert client.get(reverse("marketplace:seller_choose_store", args=[store_a.pk])).status_code == 404
    client.post(reverse(URL), _post())
    store_a.refresh_from_db()
    store_b.refresh_from_db()
    assert store_a.origin_kecamatan_code == "" and store_b.origin_kecamatan_code == "35.17.10"
