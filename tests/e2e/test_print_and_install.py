"""Printing at the Samsat counter and the installable OPOP Mart, in a real Chromium (issue 24).

The receipts are printed through Chromium to PDF with the page size the CSS asks for (what the browser's
"Cetak" does): the 58 and 80 mm receipts come out 58 and 80 mm wide, one page, with every amount inside the
paper's printable width. The store is installable by Chrome's own check (DevTools' Page.getInstallabilityErrors,
what Lighthouse reports) and reads offline.
"""

import io

import pytest

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, Journey

pytestmark = pytest.mark.e2e

MM_PER_PT = 25.4 / 72

_OUTSIDE_JS = """
() => {
  const receipt = document.querySelector(".samsat-receipt");
  const box = receipt.getBoundingClientRect();
  const right = box.right - parseFloat(getComputedStyle(receipt).paddingRight);
  const left = box.left + parseFloat(getComputedStyle(receipt).paddingLeft);
  return [...receipt.querySelectorAll("td, th, p, strong, small")]
    .filter((el) => el.getBoundingClientRect().right > right + 0.5 || el.getBoundingClientRect().left < left - 0.5)
    .map((el) => el.tagName + " " + el.textContent.trim().slice(0, 30));
}
"""


def _paid_payment_path(live_portal) -> str:
    return (
        live_portal.manage(
            "shell",
            "-c",
            "from pesantren.samsat.models import Payment\n"
            "p = next(p for p in Payment.objects.order_by('pk') if p.state == 'confirmed')\n"
            "print(f'/samsat/loket/{p.outlet.code}/transaksi/{p.pk}/')",
        )
        .strip()
        .splitlines()[-1]
    )


def test_the_thermal_receipts_print_at_their_width(browser, live_portal):
    from pypdf import PdfReader

    cashier = Journey(browser, live_portal, "print-receipts")
    cashier.login("kasir@opop.test", next_path="/samsat/loket/")
    payment = _paid_payment_path(live_portal)
    cashier.goto(payment, "payment")
    page = cashier.page
    for size, width_mm in (("58", 58), ("80", 80), ("a4", 210)):
        cashier.goto(f"{payment}struk/?size={size}", f"receipt-{size}")
        page.emulate_media(media="print")
        outside = page.evaluate(_OUTSIDE_JS)
        assert not outside, f"{size} mm receipt: printed past the paper's margin: {outside}"
        pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
        page.emulate_media(media="screen")
        box = pdf.pages[0].mediabox
        assert float(box.width) * MM_PER_PT == pytest.approx(width_mm, abs=0.6), f"{size}: {box}"
        assert len(pdf.pages) == 1, f"the {size} receipt runs over {len(pdf.pages)} pages"
        if size != "a4":  # a roll is cut where the receipt ends, not at a Letter or A4 length
            assert 100 < float(box.height) * MM_PER_PT < 280, f"{size}: {box}"
    cashier.goto(f"{payment}etbpkp/", "etbpkp")
    assert page.locator(".samsat-etbpkp .samsat-sim").count() == 1
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert float(pdf.pages[0].mediabox.width) * MM_PER_PT == pytest.approx(148, abs=0.6)
    cashier.finish()


def test_the_store_installs_and_reads_offline(browser, live_portal):
    shopper = Journey(browser, live_portal, "install-offline", phone=True)
    page = shopper.page
    manifest = page.request.get("/manifest.webmanifest")
    assert manifest.ok and manifest.headers["content-type"] == "application/manifest+json"
    data = manifest.json()
    assert data["start_url"] == "/mart/" and data["display"] == "standalone"
    for icon in data["icons"]:
        assert page.request.get(icon["src"]).ok, icon
    shopper.goto("/mart/", "mart")
    assert page.evaluate("async () => (await navigator.serviceWorker.ready).active.scriptURL").endswith("/sw.js")
    page.reload()  # the worker controls the page from now on
    shopper.step("mart-controlled")
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    products = [a.get_attribute("href") for a in page.locator("main a[href^='/mart/produk/']").all()]
    products = list(dict.fromkeys(products))
    assert len(products) >= 3, products
    shopper.goto(products[0], "product")
    product_title = page.locator("h1").first.inner_text().strip()
    store = page.locator("main a[href^='/mart/toko/']").first.get_attribute("href")
    shopper.goto(store, "store")
    store_title = page.locator("h1").first.inner_text().strip()

    shopper.context.set_offline(True)
    shopper.goto(products[0], "offline-kept-product")  # a page viewed before reads offline
    assert page.locator("h1").first.inner_text().strip() == product_title
    shopper.goto(products[2], "offline-page")  # one never viewed: the offline page, listing the kept ones
    assert page.locator("[data-offline-page]").count() == 1
    page.wait_for_function("() => document.querySelectorAll('[data-offline-list] a').length >= 2")
    listed = page.locator("[data-offline-list] a").all_inner_texts()
    assert product_title in listed and store_title in listed, listed
    assert listed[0] == store_title  # most recent first
    shopper.activate(page.locator("[data-offline-list] a", has_text=store_title), "offline-kept-store")
    assert page.locator("h1").first.inner_text().strip() == store_title
    shopper.context.set_offline(False)
    shopper.finish()


def test_chrome_finds_the_store_installable(browser, live_portal, tmp_path):
    """Chrome's own verdict (DevTools' Page.getInstallabilityErrors), what its install prompt and Lighthouse's
    installability check rely on. A persistent profile: Chrome never installs from an incognito context."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, base_url=live_portal
    )
    try:
        page = context.new_page()
        page.goto("/mart/")
        assert page.evaluate("async () => (await navigator.serviceWorker.ready).active.scriptURL").endswith("/sw.js")
        page.reload()
        devtools = context.new_cdp_session(page)
        assert devtools.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        app_manifest = devtools.send("Page.getAppManifest")
        assert app_manifest["url"].endswith("/manifest.webmanifest") and app_manifest["errors"] == []
    finally:
        context.close()
