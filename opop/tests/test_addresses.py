"""The address widget (opop.addresses), the region table (opop.wilayah) and its JSON endpoint."""

import csv
from collections import Counter

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from opop import wilayah
from opop.addresses import AddressFormMixin
from opop.models import Wilayah

pytestmark = pytest.mark.django_db

JOMBANG, PETERONGAN, DESA_PETERONGAN = "35.17", "35.17.10", "35.17.10.2001"


class PlainAddressForm(AddressFormMixin, forms.Form):
    note = forms.CharField(required=False)


class JatimAddressForm(AddressFormMixin, forms.Form):
    address_jatim_only = True


def _choices(form, level):
    return [value for value, _label in form.fields[f"alamat_{level}"].choices if value]


def _post(**values):
    data = {"alamat_provinsi": "35", "alamat_jalan": "Jl. KH Hasyim Asyari 12", "alamat_rt_rw": "002/005"}
    data.update({key if key in ("note", "wilayah_pilih") else f"alamat_{key}": value for key, value in values.items()})
    return data


# --- the data ------------------------------------------------------------------------------------------------


def test_migration_loads_38_provinces_514_regencies_and_east_java_to_the_village():
    with wilayah.JATIM_CSV.open(encoding="utf-8") as handle:
        jatim = Counter(row["tingkat"] for row in csv.DictReader(handle))
    levels = Counter(Wilayah.objects.values_list("tingkat", flat=True))
    assert levels["provinsi"] == 38
    assert levels["kabupaten_kota"] == 514  # idn-area-data 3.1.2
    assert Wilayah.objects.filter(tingkat="kabupaten_kota", induk_id="35").count() == 38 == jatim["kabupaten_kota"]
    assert levels["kecamatan"] == jatim["kecamatan"] == 666
    assert levels["desa"] + levels["kelurahan"] == jatim["desa"] + jatim["kelurahan"] == 8494
    # Only East Java goes below the kabupaten/kota.
    assert not Wilayah.objects.filter(tingkat="kecamatan").exclude(kode__startswith="35.").exists()


def test_names_are_written_as_kemendagri_does():
    assert Wilayah.objects.get(kode="31").nama == "DKI Jakarta"
    assert Wilayah.objects.get(kode="35").nama == "Jawa Timur"
    assert Wilayah.objects.get(kode="32.73").nama == "Kota Bandung"
    assert Wilayah.objects.get(kode=JOMBANG).nama == "Kabupaten Jombang"
    assert Wilayah.objects.get(kode=DESA_PETERONGAN).kodepos == "61481"


def test_loading_again_changes_nothing():
    before = Wilayah.objects.count()
    wilayah.wilayah_load(Wilayah)
    assert Wilayah.objects.count() == before


# --- the widget's choices ---------------------------------------------------------------------------------------


def test_choices_at_each_level_are_filtered_by_the_one_before():
    form = PlainAddressForm()
    assert len(_choices(form, "provinsi")) == 38
    assert form.initial["alamat_provinsi"] == "35"
    assert len(_choices(form, "kabupaten")) == 38 and JOMBANG in _choices(form, "kabupaten")
    assert _choices(form, "kecamatan") == [] and _choices(form, "desa") == []

    form = PlainAddressForm(initial={"alamat_kabupaten": JOMBANG})
    kecamatan = _choices(form, "kecamatan")
    assert len(kecamatan) == 21 and PETERONGAN in kecamatan
    assert all(code.startswith("35.17.") for code in kecamatan)

    form = PlainAddressForm(initial={"alamat_kabupaten": JOMBANG, "alamat_kecamatan": PETERONGAN})
    desa = _choices(form, "desa")
    assert DESA_PETERONGAN in desa and all(code.startswith("35.17.10.") for code in desa)
    assert len(desa) == Wilayah.objects.filter(induk_id=PETERONGAN).count() == 14
    labels = dict(form.fields["alamat_kecamatan"].choices)
    assert labels[PETERONGAN] == "Peterongan"
    # The options carry their postal codes for the script.
    html = str(form["alamat_desa"])
    assert f'value="{DESA_PETERONGAN}" data-kodepos="61481"' in html


def test_a_kecamatan_of_another_kabupaten_is_dropped_when_the_kabupaten_changes():
    form = PlainAddressForm(initial={"alamat_kabupaten": "35.78", "alamat_kecamatan": PETERONGAN})
    assert PETERONGAN not in _choices(form, "kecamatan")
    assert _choices(form, "desa") == []


def test_jatim_only_forms_offer_east_java_alone():
    form = JatimAddressForm(initial={"alamat_provinsi": "32"})
    assert _choices(form, "provinsi") == ["35"]
    assert form.initial["alamat_provinsi"] == "35"


# --- the no-JavaScript round trip -------------------------------------------------------------------------------


def test_choose_button_comes_back_unbound_with_input_kept_and_next_level_offered():
    form = PlainAddressForm(_post(kabupaten=JOMBANG, note="kept", wilayah_pilih="kabupaten"))
    assert form.address_refresh and not form.is_bound
    assert not form.is_valid() and form.errors == {}
    assert form.initial["note"] == "kept" and form.initial["alamat_jalan"] == "Jl. KH Hasyim Asyari 12"
    assert PETERONGAN in _choices(form, "kecamatan")
    html = str(form["alamat_jalan"])
    assert "Jl. KH Hasyim Asyari 12" in html and "errorlist" not in html


def test_choosing_the_village_fills_in_its_postal_code():
    form = PlainAddressForm(_post(kabupaten=JOMBANG, kecamatan=PETERONGAN, desa=DESA_PETERONGAN, wilayah_pilih="desa"))
    assert form.initial["alamat_kodepos"] == "61481"
    assert 'value="61481"' in str(form["alamat_kodepos"])


def test_a_submitted_address_carries_codes_and_names():
    form = PlainAddressForm(_post(kabupaten=JOMBANG, kecamatan=PETERONGAN, desa=DESA_PETERONGAN, kodepos=""))
    assert form.is_valid(), form.errors
    value = form.address
    assert (value.provinsi, value.kabupaten_code, value.kabupaten_kota.kode) == ("Jawa Timur", JOMBANG, JOMBANG)
    assert (value.kecamatan_code, value.kecamatan, value.desa_code, value.desa) == (
        PETERONGAN,
        "Peterongan",
        DESA_PETERONGAN,
        "Peterongan",
    )
    assert value.postal_code == "61481"  # left empty: the village's


def test_the_postal_code_stays_editable_where_the_kecamatan_has_several():
    # Kecamatan 35.17.09 uses several postal codes; a desa's may be corrected to another of them.
    codes = set(Wilayah.objects.filter(induk_id="35.17.09").exclude(kodepos="").values_list("kodepos", flat=True))
    assert len(codes) > 1
    desa = Wilayah.objects.filter(induk_id="35.17.09").first()
    other = sorted(codes - {desa.kodepos})[0]
    form = PlainAddressForm(_post(kabupaten=JOMBANG, kecamatan="35.17.09", desa=desa.kode, kodepos=other))
    assert "readonly" not in str(form["alamat_kodepos"])
    assert form.is_valid(), form.errors
    assert form.address.postal_code == other


def test_a_postal_code_of_another_kecamatan_is_refused_in_the_users_language():
    form = PlainAddressForm(_post(kabupaten=JOMBANG, kecamatan=PETERONGAN, desa=DESA_PETERONGAN, kodepos="60111"))
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["alamat_kodepos"] == ["Kecamatan Peterongan uses the postal codes 61481."]


def test_a_village_from_another_kecamatan_is_refused():
    form = PlainAddressForm(_post(kabupaten=JOMBANG, kecamatan="35.17.09", desa=DESA_PETERONGAN, kodepos="61481"))
    assert not form.is_valid()
    assert "alamat_desa" in form.errors


def test_pin_must_be_in_range_and_complete():
    base = _post(kabupaten=JOMBANG, kecamatan=PETERONGAN, desa=DESA_PETERONGAN, kodepos="61481")
    form = PlainAddressForm({**base, "alamat_lat": "-95", "alamat_lng": "112.28"})
    assert not form.is_valid() and "alamat_lat" in form.errors
    form = PlainAddressForm({**base, "alamat_lat": "-7.5451"})
    assert not form.is_valid() and "alamat_lng" in form.errors
    form = PlainAddressForm({**base, "alamat_lat": "-7.545120", "alamat_lng": "112.280300"})
    assert form.is_valid(), form.errors
    assert str(form.address.latitude) == "-7.545120"


# --- outside East Java ------------------------------------------------------------------------------------------


def test_outside_east_java_the_kecamatan_and_desa_are_typed():
    form = PlainAddressForm(initial={"alamat_provinsi": "32"})
    assert not form.address_villages
    assert "32.73" in _choices(form, "kabupaten") and len(_choices(form, "kabupaten")) == 27
    form = PlainAddressForm(
        {
            "alamat_provinsi": "32",
            "alamat_kabupaten": "32.73",
            "alamat_kecamatan_nama": "Coblong",
            "alamat_desa_nama": "Dago",
            "alamat_jalan": "Jl. Ir. H. Juanda 100",
            "alamat_kodepos": "40135",
        }
    )
    assert form.is_valid(), form.errors
    value = form.address
    assert (value.provinsi, value.kabupaten, value.kabupaten_code, value.kabupaten_kota) == (
        "Jawa Barat",
        "Kota Bandung",
        "32.73",
        None,
    )
    assert (value.kecamatan, value.kecamatan_code, value.desa, value.desa_code) == ("Coblong", "", "Dago", "")


def test_outside_east_java_a_kabupaten_of_another_province_is_refused():
    form = PlainAddressForm(
        {
            "alamat_provinsi": "32",
            "alamat_kabupaten": JOMBANG,
            "alamat_kecamatan_nama": "X",
            "alamat_desa_nama": "Y",
            "alamat_jalan": "Z",
            "alamat_kodepos": "40135",
        }
    )
    assert not form.is_valid() and "alamat_kabupaten" in form.errors


# --- the JSON endpoint ------------------------------------------------------------------------------------------


def test_children_endpoint_serves_a_kecamatans_villages_with_postal_codes(client, django_assert_max_num_queries):
    url = reverse("opop:wilayah_children", kwargs={"kode": PETERONGAN})
    assert url == "/wilayah/35.17.10/anak.json"
    with django_assert_max_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["kode"], data["nama"], data["tingkat"]) == (PETERONGAN, "Peterongan", "kecamatan")
    assert {"kode": DESA_PETERONGAN, "nama": "Peterongan", "kodepos": "61481"} in data["anak"]
    assert len(data["anak"]) == 14
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_children_endpoint_for_a_province_and_a_kabupaten(client):
    assert len(client.get("/wilayah/32/anak.json").json()["anak"]) == 27
    names = [row["nama"] for row in client.get("/wilayah/35.17/anak.json").json()["anak"]]
    assert "Peterongan" in names and names == sorted(names)


def test_children_endpoint_unknown_code_is_404(client):
    assert client.get("/wilayah/99/anak.json").status_code == 404
    assert client.get("/wilayah/35.99.99/anak.json").status_code == 404
    assert client.get("/wilayah/abc/anak.json").status_code == 404


# --- matching typed names (the data migrations) -----------------------------------------------------------------


def test_name_matcher_finds_codes_in_typed_addresses():
    matcher = wilayah.NameMatcher(Wilayah)
    assert matcher.child(JOMBANG, "  peterongan ").kode == PETERONGAN
    kecamatan, desa = matcher.from_text("35.23", "Koppontren Al-Hikmah, Jl. Pesantren, Socorejo, Jenu, Kab. Tuban")
    assert kecamatan.nama == "Jenu" and desa.nama == "Socorejo"
    assert matcher.kabupaten("Jawa Barat", "kota bandung").kode == "32.73"
    assert matcher.child(JOMBANG, "Nowhere") is None
