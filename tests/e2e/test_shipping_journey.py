"""Shipping on a phone (issue #20), across roles at 360 px: the shopper checks out from two stores, choosing JNE REG
for one and instant delivery for the other, and the totals follow each choice at once; the seller books the
shipment, opens the label with the resi's barcode, and the courier's signed tracking webhook delivers the order."""

import json
import urllib.request
from datetime import UTC, datetime

import pytest

from tests.e2e.browser import Journey, rupiah

pytestmark = pytest.mark.e2e

NEAR = ("keripik tempe", "Keripik Tempe Jombang", "Koppontren Darul Ulum")  # Jombang, as the shopper's office
FAR = ("kurma", "Kurma Sidogiri Premium 1 kg", "Kopontren Sidogiri Mart")  # Pasuruan


def _webhook(live_portal, body: bytes) -> tuple[int, str]:
    signature = live_portal.manage(
        "shell", "-c", f"from marketplace.shipping.sandbox import sign; print(sign({body!r}))"
    ).split()[-1]  # the last line: the shell may announce its automatic imports first
    request = urllib.request.Request(  # noqa: S310 - our own test server
        live_portal + "/mart/kurir/webhook/sandbox/",
        data=body,
        headers={"Content-Type": "application/json", "X-Sandbox-Courier-Signature": signature},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own test server
        return response.status, response.read().decode()


def test_two_stores_two_services_live_totals_booking_label_and_tracking_on_a_phone(browser, live_portal):
    shopper = Journey(browser, live_portal, "shipping-shopper", phone=True)
    buy = shopper.page
    shopper.login("pembeli@opop.test", next_path="/mart/")
    for word, name, _store in (NEAR, FAR):
        buy.fill("#site-search", word)
        shopper.activate(buy.locator("form[role=search] button[type=submit]"), f"search-{word.split()[0]}")
        shopper.activate(buy.locator(".product-card a", has_text=name).first, f"product-{word.split()[0]}")
        shopper.activate(buy.locator("form[action*='/keranjang/tambah/'] button[type=submit]"), "added")
    shopper.goto("/mart/checkout/", "checkout")
    # Sent to the office in Jombang: the page asks the server for that address' quotes at once.
    office = buy.locator("label", has_text="Kantor").locator("input[name=address]")
    with buy.expect_navigation():
        office.check()
    shopper.step("checkout-office")
    near = buy.locator("[data-store]", has_text=NEAR[2])
    far = buy.locator("[data-store]", has_text=FAR[2])
    assert far.locator("input[value=instant]").count() == 0, "instant is only offered in the same regency/city"
    totals = []
    for section, service in ((near, "instant"), (far, "jne_reg")):
        radio = section.locator(f"input[value={service}]")
        radio.check()
        price, subtotal = int(radio.get_attribute("data-price")), int(section.get_attribute("data-subtotal"))
        assert rupiah(section.locator("[data-shipping]").inner_text()) == price
        assert rupiah(section.locator("[data-order-total]").inner_text()) == subtotal + price
        totals.append(subtotal + price)
    assert rupiah(buy.locator("[data-grand-total]").inner_text()) == sum(totals)
    # Cash is only possible with pickup: the box is off until pickup is chosen.
    assert near.locator("[data-cash] input").is_disabled()
    near.locator("input[value=pickup]").check()
    assert near.locator("[data-cash] input").is_enabled()
    near.locator("input[value=instant]").check()
    assert rupiah(buy.locator("[data-grand-total]").inner_text()) == sum(totals)
    shopper.step("services-chosen")
    shopper.activate(buy.locator("button[name=place]"), "placed")
    assert "/mart/pesanan/" in buy.url, "one press places: the page showed the totals it sends"
    number = buy.locator(".order-row", has_text=FAR[2]).first.locator("a strong").inner_text()

    # The seller confirms the transfer, accepts, books JNE REG and opens the thermal label.
    seller = Journey(browser, live_portal, "shipping-seller", phone=True)
    desk = seller.page
    seller.login("penjual.sidogiri@opop.test", next_path=f"/mart/penjual/pesanan/{number}/")
    seller.activate(desk.locator("form[action$='/confirm_payment/'] button"), "paid")
    seller.activate(desk.locator("form[action$='/process/'] button"), "processing")
    seller.activate(desk.locator("form[action$='/book/'] button"), "booked")
    assert desk.locator(".page-head .status-ready_to_ship").count() == 1
    resi = desk.locator(".shipment-tracking .resi").inner_text().strip()
    assert resi.startswith("JN") and len(resi) == 16
    seller.activate(desk.locator("a[href$='/cetak/label-thermal/']"), "label")
    assert desk.locator(".label-barcode img[src^='data:image/svg+xml']").count() == 1
    assert desk.locator(".label-barcode .resi").inner_text() == resi and number in desk.content()
    seller.activate(desk.locator(f"a[href$='/mart/penjual/pesanan/{number}/']"), "back")

    # The courier picks it up and carries it (the sandbox control), then its signed webhook delivers it.
    for step in ("picked-up", "in-transit", "out-for-delivery"):
        seller.activate(desk.locator("form[action$='/advance/'] button"), step)
    assert desk.locator(".page-head .status-shipped").count() == 1
    event = {"event_id": f"{resi}:delivered", "awb": resi, "status": "delivered", "description": "Diterima oleh Siti"}
    body = json.dumps(event | {"happened_at": datetime.now(UTC).isoformat()}).encode()
    assert _webhook(live_portal, body) == (200, "recorded")
    assert _webhook(live_portal, body) == (200, "duplicate")  # the courier retries: one effect
    seller.goto(f"/mart/penjual/pesanan/{number}/", "delivered")
    assert desk.locator(".page-head .status-delivered").count() == 1
    seller.finish()

    shopper.goto(f"/mart/pesanan/{number}/", "tracking")
    assert buy.locator(".timeline.tracking li").count() == 4 and "Diterima oleh Siti" in buy.content()
    shopper.finish()
