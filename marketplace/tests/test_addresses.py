"""The shopper's address book through the address widget: East Java to the desa, elsewhere to the kabupaten/kota."""

import pytest
from django.urls import reverse
from django.utils import translation

from marketplace.models import Address

pytestmark = pytest.mark.django_db

JATIM = {
    "label": "Rumah",
    "recipient_name": "Siti Aminah",
    "phone": "0812 3450 0001",
    "alamat_provinsi": "35",
    "alamat_kabupaten": "35.17",
    "alamat_kecamatan": "35.17.10",
    "alamat_desa": "35.17.10.2002",
    "alamat_jalan": "Jl. Raya Rejoso 5",
    "alamat_rt_rw": "002/005",
    "alamat_kodepos": "",
    "alamat_lat": "-7.545120",
    "alamat_lng": "112.280300",
}


def test_the_form_asks_province_then_kabupaten_then_kecamatan_then_desa(client, shopper):
    client.force_login(shopper)
    body = client.get(reverse("marketplace:address_create")).content.decode()
    order = [body.index(f'name="alamat_{name}"') for name in ("provinsi", "kabupaten", "kecamatan", "desa", "jalan")]
    assert order == sorted(order)
    assert 'src="/static/js/address.js"' in body and 'name="wilayah_pilih"' in body
    assert "onchange" not in body  # CSP: no inline handlers


def test_a_shopper_saves_an_east_java_address_with_codes_and_the_desas_postal_code(client, shopper):
    client.force_login(shopper)
    response = client.post(reverse("marketplace:address_create"), JATIM)
    assert response.status_code == 302
    address = shopper.addresses.get()
    assert (address.provinsi, address.kabupaten_kota_id, address.kabupaten_code) == ("Jawa Timur", "35.17", "35.17")
    assert (address.kecamatan, address.kecamatan_code) == ("Peterongan", "35.17.10")
    assert (address.desa, address.desa_code, address.postal_code) == ("Keplaksari", "35.17.10.2002", "61481")
    assert (address.rt_rw, str(address.latitude), str(address.longitude)) == ("002/005", "-7.545120", "112.280300")
    assert address.phone == "+6281234500001" and address.other_city == ""
    assert "RT/RW 002/005, Keplaksari, Peterongan, Kab. Jombang, Jawa Timur, 61481" in address.one_line


def test_without_javascript_each_choose_keeps_the_input_and_fills_the_postal_code(client, shopper):
    client.force_login(shopper)
    url = reverse("marketplace:address_create")
    step = {k: v for k, v in JATIM.items() if k not in ("alamat_kecamatan", "alamat_desa")}
    response = client.post(url, {**step, "wilayah_pilih": "kabupaten"})
    assert response.status_code == 200 and not Address.objects.exists()
    body = response.content.decode()
    assert "errorlist" not in body and 'value="Siti Aminah"' in body and 'value="Jl. Raya Rejoso 5"' in body
    assert '<option value="35.17.10">Peterongan</option>' in body
    response = client.post(url, {**step, "alamat_kecamatan": "35.17.10", "wilayah_pilih": "kecamatan"})
    assert 'value="35.17.10.2002" data-kodepos="61481"' in response.content.decode()
    response = client.post(url, {**JATIM, "wilayah_pilih": "desa"})
    form = response.context["form"]
    assert form.initial["alamat_kodepos"] == "61481" and not form.errors
    assert 'name="alamat_kodepos" value="61481"' in response.content.decode()
    assert client.post(url, {**JATIM, "alamat_kodepos": "61481"}).status_code == 302


def test_outside_east_java_the_shopper_picks_the_kabupaten_and_types_kecamatan_and_desa(client, shopper):
    client.force_login(shopper)
    url = reverse("marketplace:address_create")
    response = client.post(url, {**JATIM, "alamat_provinsi": "31", "wilayah_pilih": "provinsi"})
    body = response.content.decode()
    assert '<option value="31.74">Kota Administrasi Jakarta Selatan</option>' in body
    data = {
        **JATIM,
        "alamat_provinsi": "31",
        "alamat_kabupaten": "31.74",
        "alamat_kecamatan": "",
        "alamat_desa": "",
        "alamat_kecamatan_nama": "Kebayoran Baru",
        "alamat_desa_nama": "Senayan",
        "alamat_kodepos": "12190",
    }
    assert client.post(url, data).status_code == 302
    address = shopper.addresses.get()
    assert (address.provinsi, address.kabupaten_kota_id, address.kabupaten_code) == ("DKI Jakarta", None, "31.74")
    assert (address.other_city, address.kecamatan, address.desa) == (
        "Kota Administrasi Jakarta Selatan",
        "Kebayoran Baru",
        "Senayan",
    )
    assert (address.kecamatan_code, address.desa_code, address.postal_code) == ("", "", "12190")
    assert address.city_label == "Kota Administrasi Jakarta Selatan"


def test_outside_east_java_the_typed_kecamatan_is_required_in_the_users_language(client, shopper):
    client.force_login(shopper)
    client.cookies["django_language"] = "en"
    data = {**JATIM, "alamat_provinsi": "31", "alamat_kabupaten": "31.74", "alamat_kodepos": "12190"}
    response = client.post(reverse("marketplace:address_create"), data)
    with translation.override("en"):
        assert response.context["form"].errors["alamat_kecamatan_nama"] == ["This field is required."]
    assert not Address.objects.exists()


def test_the_shopper_edits_their_own_address_and_a_foreign_one_is_404(client, shopper, django_user_model):
    client.force_login(shopper)
    client.post(reverse("marketplace:address_create"), JATIM)
    address = shopper.addresses.get()
    url = reverse("marketplace:address_update", args=[address.pk])
    form = client.get(url).context["form"]
    assert (form.initial["alamat_kabupaten"], form.initial["alamat_kecamatan"], form.initial["alamat_desa"]) == (
        "35.17",
        "35.17.10",
        "35.17.10.2002",
    )
    data = {**JATIM, "alamat_desa": "35.17.10.2001", "alamat_kodepos": "61481"}
    assert client.post(url, data).status_code == 302
    address.refresh_from_db()
    assert (address.desa, address.desa_code) == ("Peterongan", "35.17.10.2001")
    other = django_user_model.objects.create_user(email="lain@opop.test", password="x")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
