"""The journeys' own checks catch what they claim to: proven on small pages, without the portal."""

import shutil

import pytest

from tests.e2e.browser import Journey, assert_accessible

pytestmark = pytest.mark.e2e

PAGE = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>t</title>{head}</head>
<body><main>{body}</main></body></html>"""


@pytest.fixture
def journey(browser):
    journey = Journey(browser, "http://127.0.0.1", "_checks")
    yield journey
    journey.context.close()
    shutil.rmtree(journey.folder, ignore_errors=True)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('<input name="q">', "form field without a label"),
        ('<label>Nama</label><input name="q">', "form field without a label"),
        ('<details><summary>Filter</summary><select name="s"></select></details>', "form field without a label"),
        ('<img src="/media/marketplace/products/s/x.jpg" alt="">', "product image with an empty alt"),
        ('<img src="/static/img/logo.svg">', "image without an alt attribute"),
        ('<a href="/x" tabindex="-1">Beli</a>', "visible control out of the tab order"),
        ('<button type="submit"></button>', "control without an accessible name"),
    ],
)
def test_assert_accessible_finds_the_problem(journey, body, problem):
    journey.page.set_content(PAGE.format(head="", body=body))
    with pytest.raises(AssertionError, match=problem):
        assert_accessible(journey.page)


def test_assert_accessible_passes_labelled_fields_and_described_images(journey):
    body = """<label for="a">Nama</label><input id="a" name="a"><label>Jumlah <input name="b" type="number"></label>
    <input name="c" aria-label="Cari"><span id="l">Kota</span><select name="d" aria-labelledby="l"></select>
    <input type="hidden" name="csrf"><img src="/media/p.jpg" alt="Kopi Arabika"><img src="/static/logo.svg" alt="">
    <a href="/mart/produk/kopi/"><img src="/media/marketplace/products/s/kopi.jpg" alt=""><h3>Kopi Arabika</h3></a>
    <button type="submit">Kirim</button><a href="/x" aria-label="Keranjang">🛒</a>"""
    journey.page.set_content(PAGE.format(head="", body=body))
    assert_accessible(journey.page)


@pytest.mark.parametrize(
    ("head", "body", "event", "message"),
    [
        # A strict CSP (as the portal sends) blocking an inline script shows up as a console error.
        ("<meta http-equiv='Content-Security-Policy' content=\"script-src 'none'\">", "<script>1</script>", "console",
         "Content Security Policy"),
        ("", "<script>console.error('boom')</script>", "console", "boom"),
        ("", "<script>undefinedFunction()</script>", "pageerror", "undefinedFunction"),
    ],
)  # fmt: skip
def test_console_errors_csp_violations_and_page_errors_fail_the_journey(journey, head, body, event, message):
    with journey.page.expect_event(event):
        journey.page.set_content(PAGE.format(head=head, body=body))
    with pytest.raises(AssertionError, match=message):
        journey.assert_no_errors()


def test_keyboard_activation_refuses_a_control_outside_the_tab_order(journey):
    journey.page.set_content(PAGE.format(head="", body='<button type="button" tabindex="-1">Bayar</button>'))
    with pytest.raises(AssertionError, match="not reachable with the keyboard"):
        journey.activate(journey.page.locator("button"), navigates=False)
