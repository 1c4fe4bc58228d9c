"""OPOP Mart's whole loop in a real browser (issue 16), across roles, on a phone and a desktop:

a pesantren waiting for verification cannot open a store and is told why → Diskop staff verify it → its admin
opens a store → staff approve it → the admin lists a product in a curated category → staff approve the listing →
a shopper buys it together with another store's product and pays both with one virtual account → the seller
ships, marks it delivered → the auto-complete job completes it → the balance is available → the owner requests
a payout → finance approves it, downloads the bank file, marks it transferred → the statement shows every step.
"""

import pytest

from tests.e2e.browser import Journey, rupiah

pytestmark = pytest.mark.e2e

ADMIN = "pengurus.darussalam.ngadiluwih@opop.test"  # the demo's pesantren waiting for verification (Kab. Kediri)
PESANTREN = "Darussalam Ngadiluwih"
STORE = "Toko Santri Darussalam"
PRODUCT = "Keripik Singkong Darussalam 200 g"


def test_a_new_pesantren_opens_a_store_sells_a_curated_product_and_is_paid_out(browser, live_portal):
    admin = Journey(browser, live_portal, "mart-loop-admin", phone=True)
    staff = Journey(browser, live_portal, "mart-loop-staff")
    page, desk = admin.page, staff.page

    # Not verified yet: the seller centre says why, instead of a 404.
    admin.login(ADMIN, next_path="/mart/penjual/")
    assert desk.url == "about:blank" and page.locator(".card", has_text=PESANTREN).count() == 1
    assert page.locator("a[href*='/mart/penjual/buka/']").count() == 0

    # Diskop staff verify it into a cohort.
    staff.login("staf.diskop@opop.test", next_path="/pesantren/staf/antrean/")
    staff.activate(desk.locator("main a", has_text=PESANTREN).first, "pesantren")
    verify = desk.locator("form.transition-form", has=desk.locator("input[name=to_status][value=verified]"))
    verify.locator("input[name=cohort]").fill("2026")
    staff.activate(verify.locator("button[type=submit]"), "verified")

    # The admin opens a store: name, address, origin, pickup address, bank account.
    admin.goto("/mart/penjual/", "seller-centre-verified")
    admin.activate(page.locator("a[href*='/mart/penjual/buka/']").first, "open-store")
    form = page.locator("form.opening-form")
    form.locator("input[name=name]").fill(STORE)
    form.locator("input[name=slug]").fill("toko-santri-darussalam")
    form.locator("textarea[name=description]").fill("Camilan dan beras dari koperasi pesantren.")
    # The ship-from address through the one address widget: the regency comes from the pesantren.
    assert form.locator("select[name=alamat_kabupaten]").input_value() == "35.06"
    page.wait_for_selector("select[name=alamat_kecamatan] option[value='35.06.04']", state="attached")
    form.locator("select[name=alamat_kecamatan]").select_option("35.06.04")
    page.wait_for_selector("select[name=alamat_desa] option[value='35.06.04.2008']", state="attached")
    form.locator("select[name=alamat_desa]").select_option("35.06.04.2008")
    assert form.locator("input[name=alamat_kodepos]").input_value() == "64171"
    form.locator("[name=alamat_jalan]").fill("Koperasi Pondok, Jl. Raya Ngadiluwih 12")
    form.locator("input[name=bank_name]").fill("Bank Jatim Syariah")
    form.locator("input[name=bank_account_number]").fill("6012345678")
    form.locator("input[name=bank_account_name]").fill("Koppontren Darussalam")
    admin.activate(form.locator("button[name=action][value=submit]"), "store-requested")

    # Staff approve the request; the store exists from then on.
    staff.goto("/mart/staf/toko/", "store-requests")
    staff.activate(desk.locator("tbody tr", has_text=STORE).locator("a[href*='/mart/staf/toko/']"), "store-request")
    staff.activate(desk.locator("form[action$='/approve/'] button[type=submit]"), "store-approved")

    # The admin lists a snack: food is curated, so it waits for review.
    admin.goto("/mart/penjual/produk/baru/", "new-product")
    form = page.locator("form.card", has=page.locator("input[name=name]"))
    form.locator("input[name=name]").fill(PRODUCT)
    form.locator("select[name=category]").select_option(label="Makanan & Minuman > Camilan")
    form.locator("textarea[name=description]").fill("Singkong pilihan dari kebun pesantren, digoreng santri.")
    form.locator("input[name=price]").fill("18000")
    form.locator("input[name=weight_grams]").fill("250")
    form.locator("input[name=opening_stock]").fill("40")
    admin.activate(form.locator("button[type=submit]"), "product-waiting")
    assert page.locator(".review-pending").count() == 1, "a curated product waits for review"

    # Diskop staff approve the listing.
    staff.goto("/mart/staf/kurasi/", "curation-queue")
    item = desk.locator(".curation-item", has_text=PRODUCT)
    staff.activate(item.locator("form[action$='/setujui/'] button"), "listing-approved")

    # A shopper buys it with another store's product, and pays the whole checkout with one virtual account.
    shopper = Journey(browser, live_portal, "mart-loop-shopper", phone=True)
    buy = shopper.page
    shopper.login("pembeli@opop.test", next_path="/mart/")
    for word, name in [("singkong darussalam", PRODUCT), ("kurma", "Kurma Sidogiri Premium 1 kg")]:
        buy.fill("#site-search", word)
        shopper.activate(buy.locator("form[role=search] button[type=submit]"), f"search-{word.split()[0]}")
        shopper.activate(buy.locator(".product-card a", has_text=name).first, f"product-{word.split()[0]}")
        shopper.activate(buy.locator("form[action*='/keranjang/tambah/'] button[type=submit]"), "added")
    shopper.goto("/mart/checkout/", "checkout")
    buy.locator("input[name=payment][value=gateway]").check()
    shopper.activate(buy.locator("button[name=place]"), "placed")
    row = buy.locator(".order-row", has_text=STORE).first
    number = row.locator("a strong").inner_text()
    shopper.activate(row.locator("a[href*='/mart/bayar/']"), "one-virtual-account")
    assert buy.locator(".pay-before").count() == 1 and buy.locator("button[data-copy]").count() == 2
    shopper.activate(buy.locator("form[action*='/sandbox/'] button[type=submit]"), "paid")
    shopper.goto("/mart/pesanan/", "orders-paid")
    assert buy.locator(".order-row", has=buy.locator(".status-awaiting_payment")).count() == 0
    shopper.finish()

    # The seller processes, ships and marks it delivered; nobody confirms, the job completes it.
    admin.goto(f"/mart/penjual/pesanan/{number}/", "order")
    assert page.locator(".status-paid").count() >= 1
    total = rupiah(page.locator(".order-total").inner_text())
    admin.activate(page.locator("form[action$='/process/'] button"), "processing")
    ship = page.locator("form[action$='/ship/']")
    ship.locator("input[name=courier]").fill("JNE")
    ship.locator("input[name=tracking_number]").fill("JNE0055512345")
    admin.activate(ship.locator("button[type=submit]"), "shipped")
    admin.activate(page.locator("form[action$='/deliver/'] button"), "delivered")
    assert "Completed " in live_portal.manage("auto_complete_orders")  # ours and the demo's delivered ones
    admin.goto(f"/mart/penjual/pesanan/{number}/", "completed")
    assert page.locator(".page-head .status-completed").count() == 1

    # The balance is available; the owner asks for all of it (password confirmed).
    admin.goto("/mart/penjual/saldo/", "balance")
    available = rupiah(page.locator("[data-balance=available]").inner_text())
    assert available == total
    request = page.locator("form.payout-form")
    request.locator("input[name=amount]").fill(str(available))
    request.locator("input[name=password]").fill("opop-demo-2026")
    admin.activate(request.locator("button[type=submit]"), "payout-requested")

    # Finance approves, downloads the bank file, marks it transferred with the bank's reference.
    finance = Journey(browser, live_portal, "mart-loop-finance")
    fin = finance.page
    finance.login("keuangan@opop.test", next_path="/mart/keuangan/pencairan/")
    row = fin.locator("tbody tr", has_text=STORE)
    finance.activate(row.locator("form[action$='/approve/'] button"), "approved")
    with fin.expect_download() as download:
        fin.locator("a[href$='/pencairan/csv/']").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        csv = handle.read()
    assert "6012345678" in csv and str(available) in csv
    finance.goto("/mart/keuangan/pencairan/?status=approved", "approved-tab")
    row = fin.locator("tbody tr", has_text=STORE)
    row.locator("input[name=bank_reference]").fill("BJS-20261203-0001")
    finance.activate(row.locator("form[action$='/transferred/'] button"), "transferred")
    finance.finish()

    # The statement shows every step, and nothing is left to withdraw.
    admin.goto("/mart/penjual/saldo/", "statement")
    assert rupiah(page.locator("[data-balance=available]").inner_text()) == 0
    assert rupiah(page.locator("[data-balance=paid_out]").inner_text()) == total
    statement = page.locator(".statement").inner_text()
    assert number in statement and statement.count("\n") >= 4
    admin.finish()
    staff.finish()
