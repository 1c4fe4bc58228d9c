"""The address widget on a phone (issue 20): a shopper picks Kab. Jombang → Kec. Peterongan → Desa Keplaksari,
each list filling at once from /wilayah/<kode>/anak.json, sees the postal code appear, and saves the address."""

import pytest

from tests.e2e.browser import Journey

pytestmark = pytest.mark.e2e


def test_a_shopper_picks_kabupaten_kecamatan_desa_and_sees_the_postal_code(browser, live_portal):
    journey = Journey(browser, live_portal, "address-widget", phone=True)
    page = journey.page
    journey.login("pembeli@opop.test", next_path="/mart/alamat/baru/%3Fnext%3D/mart/alamat/")
    assert "/mart/alamat/baru/" in page.url
    # The script took over: no "Choose" round-trip buttons.
    assert page.locator("[data-wilayah-refresh]").count() == 0
    page.fill("input[name=label]", "Pondok")
    page.fill("input[name=recipient_name]", "Siti Aminah")
    page.fill("input[name=phone]", "081234500009")

    page.select_option("select[name=alamat_kabupaten]", "35.17")
    page.wait_for_selector("select[name=alamat_kecamatan] option[value='35.17.10']", state="attached")
    page.select_option("select[name=alamat_kecamatan]", "35.17.10")
    page.wait_for_selector("select[name=alamat_desa] option[value='35.17.10.2002']", state="attached")
    assert page.locator("input[name=alamat_kodepos]").input_value() == ""
    page.select_option("select[name=alamat_desa]", "35.17.10.2002")
    assert page.locator("input[name=alamat_kodepos]").input_value() == "61481"
    page.fill("input[name=alamat_jalan]", "Jl. Raya Rejoso 5")
    journey.step("picked-desa")

    journey.activate(page.locator("form.form-stack button[type=submit]"), "saved")
    assert "Keplaksari, Peterongan, Kab. Jombang, Jawa Timur, 61481" in page.locator("main").inner_text()
    journey.finish()
