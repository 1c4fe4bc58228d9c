"""B2B procurement's pages in a real browser on a phone, in both languages (issue 19): the public supplier
directory, and the demo buyer's (Darul Ulum) and supplier's (Sidogiri) workspace, request, purchase order and
invoice pages. Every page is checked by Journey.step: no console error, labels and names, nothing wider than
the phone."""

import pytest

from tests.e2e.browser import Journey

pytestmark = pytest.mark.e2e


def _walk(journey: Journey, prefix: str, sections=("permintaan", "po", "tagihan")) -> None:
    page = journey.page
    journey.goto("/b2b/", f"{prefix}-home")
    for section in sections:
        journey.goto(f"/b2b/{section}/", f"{prefix}-{section}")
        hrefs = [a.get_attribute("href") for a in page.locator(f"main a[href*='/b2b/{section}/']").all()]
        detail = next((href for href in hrefs if href.rstrip("/").split("/")[-1].isdigit()), None)
        assert detail, f"no {section} in the demo for {prefix}"
        journey.goto(detail, f"{prefix}-{section}-detail")


def test_b2b_pages_on_a_phone_in_both_languages(browser, live_portal):
    visitor = Journey(browser, live_portal, "b2b-visitor", phone=True)
    visitor.goto("/b2b/pemasok/", "directory")
    assert visitor.page.locator("main a[href*='/b2b/pemasok/']").count() >= 2
    visitor.activate(visitor.page.locator("main a[href*='/b2b/pemasok/']").first, "supplier")
    visitor.finish()

    buyer = Journey(browser, live_portal, "b2b-buyer", phone=True)
    buyer.login("admin.pesantren@opop.test", next_path="/b2b/")
    _walk(buyer, "id")
    buyer.context.add_cookies([{"name": "django_language", "value": "en", "url": live_portal}])
    _walk(buyer, "en")
    assert buyer.page.locator("html[lang=en]").count() == 1
    buyer.finish()

    supplier = Journey(browser, live_portal, "b2b-supplier", phone=True)
    supplier.login("penjual.sidogiri@opop.test", next_path="/b2b/masuk/")
    supplier.step("inbox")
    _walk(supplier, "id", sections=("po", "tagihan"))  # a supplier answers requests from its inbox
    supplier.finish()
