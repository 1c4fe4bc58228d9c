"""Filter panels, status tabs and charts on a 360 px phone (issue 24): search results start with results, the
seller queue's tabs scroll with a hint, the dashboard draws its phone charts with labels of 11 px or more."""

import pytest

from tests.e2e.browser import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PHONE_360 = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}


def _login(page, email: str) -> None:
    page.goto("/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form[action*='/akun/login/'] button[type=submit]").click()
    assert "/akun/login/" not in page.url


def test_search_queue_tabs_and_dashboard_at_360_px(browser, live_portal):
    context = browser.new_context(**PHONE_360, base_url=live_portal)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Search: the filter panel is shut, results come first; a filter in the URL opens it.
    page.goto("/mart/cari/?q=kopi")
    panel = page.locator("details.filter-panel")
    assert panel.count() == 1 and panel.get_attribute("open") is None
    assert page.locator("main .product-grid > *").first.bounding_box()["y"] < 780
    page.goto("/mart/cari/?q=kopi&in_stock=on")
    assert page.locator("details.filter-panel").get_attribute("open") is not None
    summary = page.locator("details.filter-panel > summary").bounding_box()
    assert summary["height"] >= 24

    # The seller's queue: tabs scroll inside their strip, the page does not, and the arrow says there is more.
    _login(page, "penjual.sidogiri@opop.test")
    page.goto("/mart/penjual/pesanan/")
    tabs = page.locator("nav.tabs")
    assert tabs.evaluate("el => el.scrollWidth > el.clientWidth"), "the demo's tabs fit: nothing to check"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "end" in (page.locator(".tabs-wrap").get_attribute("data-more") or "")
    for box in [a.bounding_box() for a in tabs.locator("a").all()]:
        assert box["height"] >= 24
    tabs.locator("a").last.focus()  # keyboard: focusing the last tab scrolls it into view
    assert tabs.evaluate("el => el.scrollLeft") > 0
    page.wait_for_timeout(100)
    assert "start" in (page.locator(".tabs-wrap").get_attribute("data-more") or "")

    # The programme dashboard: phone charts shown, wide ones hidden, text at 11 px or more.
    context.clear_cookies()
    _login(page, "staf.diskop@opop.test")
    page.goto("/laporan/")
    phone_charts = page.locator("svg.chart-phone")
    assert phone_charts.count() >= 1
    assert all(not svg.is_visible() for svg in page.locator("svg.chart-wide").all())
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart-phone text')]
             .filter(t => t.getBoundingClientRect().width > 0)
             .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
    )
    assert sizes and min(sizes) >= 11, min(sizes)
    assert page.locator("details.filter-panel").get_attribute("open") is None
    assert not errors, errors
    context.close()
