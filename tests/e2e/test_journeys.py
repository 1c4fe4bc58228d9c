"""Real-browser journeys through the seeded demo portal (issue 11).

Each journey drives Debian's Chromium against a live server (see conftest.py), saves a
screenshot per step under .ci/artifacts/e2e/<journey>/, and fails on any console or page
error, on a form field without a label, an image without alt text, a control the keyboard
cannot reach, or (on the phone) a page that scrolls sideways. Controls are activated with the
keyboard (focus, then Enter).
"""

from io import BytesIO

import pytest
from PIL import Image, ImageDraw

from tests.e2e.browser import Journey, assert_keyboard_reachable, rupiah

pytestmark = pytest.mark.e2e


def jpeg(text: str) -> bytes:
    image = Image.new("RGB", (640, 640), (15, 107, 60))
    ImageDraw.Draw(image).text((40, 300), text, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_shopper_on_a_phone_searches_filters_buys_from_two_stores_pays_and_reviews(browser, live_portal):
    shopper = Journey(browser, live_portal, "shopper-phone", phone=True)
    page = shopper.page
    shopper.login("pembeli@opop.test", next_path="/mart/")

    # Search for a word from the header, then narrow it down with the filters.
    page.fill("#site-search", "kopi")
    shopper.activate(page.locator("form[role=search] button[type=submit]"), "search-kopi")
    assert page.locator(".product-card").count() >= 4
    assert page.locator(".product-card h3", has_text="Kopi Luwak Liar Malang").count() == 1
    panel = page.locator("details.filter-panel")  # closed on a phone until the shopper opens it
    assert panel.get_attribute("open") is None
    panel.locator("summary").click()
    filters = panel.locator("form")
    filters.locator("input[name=halal]").check()
    filters.locator("input[name=in_stock]").check()
    filters.locator("input[name=price_max]").fill("100000")
    filters.locator("select[name=sort]").select_option("price")
    shopper.activate(filters.locator("button[type=submit]"), "filtered")
    names = page.locator(".product-card h3").all_inner_texts()
    assert "Kopi Arabika Dampit 200 g" in names
    assert "Kopi Luwak Liar Malang 100 g" not in names  # not halal, out of stock, over the price
    prices = [rupiah(text) for text in page.locator(".product-card .price").all_inner_texts()]
    assert prices == sorted(prices) and max(prices) <= 100_000

    # First store: Kopi Santri Bululawang.
    shopper.activate(page.locator(".product-card a", has_text="Kopi Arabika Dampit 200 g"), "product-kopi")
    add = page.locator("form[action*='/keranjang/tambah/'] button[type=submit]")
    shopper.tab_to(add)
    shopper.activate(add, "added-kopi")

    # Second store: Kopontren Sidogiri Mart.
    page.fill("#site-search", "kurma")
    shopper.activate(page.locator("form[role=search] button[type=submit]"), "search-kurma")
    shopper.activate(page.locator(".product-card a", has_text="Kurma Sidogiri Premium 1 kg"), "product-kurma")
    shopper.activate(page.locator("form[action*='/keranjang/tambah/'] button[type=submit]"), "added-kurma")

    shopper.goto("/mart/keranjang/", "cart")
    stores = page.locator(".cart-store h2").all_inner_texts()
    assert sorted(stores) == ["Kopi Santri Bululawang", "Kopontren Sidogiri Mart"]
    shopper.activate(page.locator("a[href$='/mart/checkout/']").last, "checkout")

    # The whole checkout is paid once, by one virtual account; the checkout says bank transfer is per store.
    assert page.locator("section.checkout-payment input[name=payment]").count() == 2
    page.locator("input[name=payment][value=gateway]").check()
    place = page.locator("button[name=place]")
    shopper.tab_to(place)
    shopper.activate(place, "orders-placed")
    assert page.url.endswith("/mart/pesanan/")
    placed, links = {}, set()
    for row in page.locator(".order-row", has=page.locator(".status-awaiting_payment")).all():
        text = row.inner_text()
        for store, product in [("Kopi Santri Bululawang", "Kopi Arabika Dampit"), ("Kopontren Sidogiri Mart", "Kurma")]:
            if store in text and product in text:
                placed[store] = row.locator("a strong").inner_text()
                links.add(row.locator("a[href*='/mart/bayar/']").get_attribute("href"))
    assert set(placed) == set(stores), placed
    # Both orders link to the same payment page: one VA, the grand total, the deadline, copy buttons.
    assert len(links) == 1, links
    number = placed["Kopi Santri Bululawang"]
    shopper.goto(f"/mart/pesanan/{number}/", "order-kopi")
    shopper.activate(page.locator("a[href*='/mart/bayar/']"), "gateway-checkout")
    assert page.locator("button[data-copy]").count() == 2
    assert page.locator(".pay-before").count() == 1
    shopper.activate(page.locator("form[action*='/sandbox/'] button[type=submit]"), "paid-checkout")
    for store_number in placed.values():
        shopper.goto(f"/mart/pesanan/{store_number}/", f"order-{store_number}-paid")
        assert page.locator("h1 .status-paid").count() == 1

    # The coffee seller processes and ships (desktop seller centre); the shopper confirms receipt.
    seller = Journey(browser, live_portal, "shopper-phone-seller")
    seller.login("penjual.kopi@opop.test", next_path=f"/mart/penjual/pesanan/{number}/")
    seller.activate(seller.page.locator("form[action$='/process/'] button"), "processing")
    ship = seller.page.locator("form[action$='/ship/']")
    ship.locator("input[name=courier]").fill("JNE")
    ship.locator("input[name=tracking_number]").fill("JNE0012345678")
    seller.activate(ship.locator("button[type=submit]"), "shipped")
    assert seller.page.locator(".status-shipped").count() >= 1
    seller.finish()

    shopper.goto(f"/mart/pesanan/{number}/", "shipped")
    assert page.locator("dl.definition", has_text="JNE · JNE0012345678").count() == 1
    shopper.activate(page.locator("form[action$='/confirm/'] button"), "completed")
    assert page.locator("h1 .status-completed").count() == 1

    # The review shows on the product page.
    review = page.locator("form[action*='/ulasan/']").first
    review.locator("input[name=rating][value='5']").check()
    review.locator("textarea[name=text]").fill("Kopinya harum, sampai dalam dua hari. Mantap!")
    shopper.activate(review.locator("button[type=submit]"), "reviewed")
    shopper.goto("/mart/cari/?q=Kopi+Arabika+Dampit", "search-reviewed")
    shopper.activate(page.locator(".product-card a", has_text="Kopi Arabika Dampit 200 g"), "product-with-review")
    assert page.locator(".review", has_text="Kopinya harum").count() == 1
    shopper.finish()


def test_pesantren_admin_adds_a_product_with_a_photo_and_ships_an_order(browser, live_portal):
    admin = Journey(browser, live_portal, "pesantren-admin")
    page = admin.page
    admin.login("admin.pesantren@opop.test", next_path="/mart/penjual/")

    # A new product, then its photo (a JPEG made here, uploaded through the file field).
    admin.activate(page.locator("main a[href$='/mart/penjual/produk/baru/']").first, "new-product")
    form = page.locator("form.card", has=page.locator("input[name=name]"))
    form.locator("input[name=name]").fill("Madu Klanceng Darul Ulum 250 g")
    form.locator("select[name=category]").select_option(label="Pertanian & Agribisnis > Madu")
    form.locator("textarea[name=description]").fill("Madu lebah klanceng dari kebun pesantren, dipanen santri.")
    form.locator("input[name=price]").fill("68000")
    form.locator("input[name=weight_grams]").fill("300")
    form.locator("input[name=opening_stock]").fill("12")
    admin.activate(form.locator("button[type=submit]"), "product-saved")
    assert "/mart/penjual/produk/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()

    page.locator("input[name=photo]").set_input_files(
        {"name": "madu-klanceng.jpg", "mimeType": "image/jpeg", "buffer": jpeg("Madu Klanceng")}
    )
    admin.activate(page.locator("form[action$='/foto/'] button[type=submit]"), "photo-uploaded")
    photo = page.locator(".photo-strip img")
    assert photo.count() == 1 and photo.get_attribute("alt") == "Madu Klanceng Darul Ulum 250 g"

    # The product is on sale in the shop, with its photo.
    admin.activate(page.locator(".page-head a[href*='/mart/produk/']"), "in-the-shop")
    gallery = page.locator(".gallery img")
    assert gallery.count() == 1 and gallery.get_attribute("alt") == "Madu Klanceng Darul Ulum 250 g"
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", gallery.element_handle())

    # Ship the paid order waiting in the queue: accept it, then courier and tracking number.
    admin.goto("/mart/penjual/pesanan/?tab=paid", "orders-to-handle")
    row = page.locator("tbody tr", has_text="Kopiah Rajut Santri").first
    admin.activate(row.locator("a[href*='/mart/penjual/pesanan/']"), "order")
    number = page.url.rstrip("/").split("/")[-1]
    admin.activate(page.locator("form[action$='/process/'] button"), "processing")
    ship = page.locator("form[action$='/ship/']")
    ship.locator("input[name=courier]").fill("J&T")
    ship.locator("input[name=tracking_number]").fill("JT0099887766")
    admin.tab_to(ship.locator("button[type=submit]"))
    admin.activate(ship.locator("button[type=submit]"), "shipped")
    assert page.locator(".page-head .status-shipped").count() == 1
    assert page.locator("dl.definition", has_text="J&T · JT0099887766").count() == 1
    admin.goto("/mart/penjual/pesanan/?tab=shipped", "shipped-tab")
    assert page.locator("tbody a", has_text=number).count() == 1
    admin.finish()


def test_samsat_cashier_pays_a_vehicle_tax_and_prints_the_receipt(browser, live_portal):
    cashier = Journey(browser, live_portal, "samsat-cashier")
    page = cashier.page
    cashier.login("kasir@opop.test", next_path="/samsat/loket/")
    cashier.activate(page.locator("main a.card", has_text="Darul Ulum"), "counter")
    paid_before = int(page.locator(".samsat-counter dl.definition dd").first.inner_text())

    # Inquiry by plate (the sandbox biller's on-time motorbike), then the owner's NIK and the cash.
    page.fill("input[name=plate]", "S 1234 AB")
    check = page.locator("form button.samsat-big")
    cashier.tab_to(check)
    cashier.activate(check, "bill")
    assert "/tagihan/" in page.url
    total = rupiah(page.locator(".samsat-counter h2").inner_text())
    assert total > 0
    page.fill("input[name=nik]", "3517011203900001")
    cashier.activate(page.locator("form button.samsat-big"), "paid")
    assert page.locator(".samsat-state-confirmed").count() == 1

    # The receipt opens in a new tab; its print rendering is saved too, and the PDF is a PDF.
    with cashier.context.expect_page() as opened:
        cashier.activate(page.locator("a[href*='/struk/?size=80']"), navigates=False)
    receipt = cashier.watch(opened.value)
    cashier.step("receipt", page=receipt)
    assert receipt.locator(".samsat-receipt", has_text="S 1234 AB").count() == 1
    pdf_link = receipt.locator("a[href*='/struk.pdf']")
    assert_keyboard_reachable(pdf_link)
    receipt.emulate_media(media="print")
    receipt.screenshot(path=str(cashier.folder / f"{cashier.steps:02d}-receipt-print.png"), full_page=True)
    assert receipt.locator(".samsat-noprint").is_hidden()
    pdf = cashier.context.request.get(cashier.base_url + pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    receipt.close()

    cashier.goto(page.url.split("/transaksi/")[0] + "/", "counter-after")
    assert int(page.locator(".samsat-counter dl.definition dd").first.inner_text()) == paid_before + 1
    assert page.locator("main table", has_text="S 1234 AB").count() >= 1
    cashier.finish()


def test_diskop_staff_verifies_a_monthly_report_and_the_dashboard_figure_changes(browser, live_portal):
    staff = Journey(browser, live_portal, "diskop-staff")
    page = staff.page
    staff.login("staf.diskop@opop.test", next_path="/laporan/")
    omzet_total = page.locator("div.grid.grid-2:not(.pillar-tiles) > .card .stat").first
    before = rupiah(omzet_total.inner_text())

    staff.goto("/pesantren/staf/antrean/", "queue")
    row = page.locator("tr", has=page.locator("a[href*='/pesantren/laporan/']")).first
    report_omzet = rupiah(row.locator("td.num").inner_text())
    assert report_omzet > 0
    staff.activate(row.locator("a[href*='/pesantren/laporan/']"), "report")
    verify = page.locator("button[name=decision][value=verify]")
    staff.tab_to(verify)
    staff.activate(verify, "verified")
    assert page.locator(".badge-verified").count() == 1

    # Tasks run eagerly in the portal: the rollup has already counted the report.
    staff.goto("/laporan/", "dashboard-after")
    assert rupiah(omzet_total.inner_text()) == before + report_omzet
    staff.finish()
