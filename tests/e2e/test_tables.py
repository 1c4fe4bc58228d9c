"""The responsive table (static/css/opop.css, static/js/tables.js) on a 360 px phone, as each demo role.

Every page below that shows a data table must fit the screen (document no wider than 360 px) and no table cell
may clip its text (scrollWidth > clientWidth), unless the cell sits inside a keyboard-focusable scroll region
(role="region", tabindex="0", a name: the wide report tables). Screenshots go to .ci/artifacts/e2e/tables/.
"""

import re

import pytest

from tests.e2e.browser import ARTIFACTS, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

NARROW = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}

# Runs in the page: what is wrong with its tables, empty when they pass.
_TABLES_JS = """
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > 360) problems.push("document is " + root.scrollWidth + " px wide");
  const describe = (el) => el.outerHTML.replace(/\\s+/g, " ").slice(0, 140);
  const tables = document.querySelectorAll("main table");
  for (const region of document.querySelectorAll(".table-wrap")) {
    if (region.scrollWidth <= region.clientWidth + 1) continue;
    const named = (region.getAttribute("aria-label") || "").trim() || region.getAttribute("aria-labelledby");
    if (region.tabIndex < 0 || region.getAttribute("role") !== "region" || !named)
      problems.push("a table that scrolls is not a focusable, named region: " + describe(region));
  }
  for (const cell of document.querySelectorAll("main td, main th")) {
    if (cell.getClientRects().length === 0) continue;
    const region = cell.closest('[role=region][tabindex="0"]');
    if (region) continue;
    if (cell.closest("thead") && getComputedStyle(cell.closest("thead")).position === "absolute") continue;
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push("clipped cell: " + describe(cell));
    const box = cell.getBoundingClientRect();
    if (box.right > 361) problems.push("cell beyond the screen (" + Math.round(box.right) + " px): " + describe(cell));
  }
  return {count: tables.length, problems: problems.slice(0, 10)};
}
"""

# role → pages to open; a page given as (list page, link selector) opens the first matching link on that list.
PAGES = {
    "staf.diskop@opop.test": [
        "/laporan/",
        "/laporan/wilayah/",
        "/laporan/angkatan/",
        "/pesantren/staf/",
        ("/pesantren/staf/", "main table a[href^='/pesantren/']"),
        "/pesantren/staf/antrean/",
        "/pesantren/staf/mitra/",
        "/samsat/kelola/",
        "/santri/kegiatan/",
        ("/santri/kegiatan/", "main table a[href^='/santri/kegiatan/']"),
        "/halal/produk/",
        "/halal/unggulan/",
        "/halal/legalitas/",
        "/halal/klaim/",
        "/mart/staf/toko/",
        "/mart/staf/kurasi/aturan/",
        "/staf/privasi/",
        "/organisasi/",
    ],
    "kasir@opop.test": [
        ("/samsat/loket/", "main a[href^='/samsat/loket/']"),
        ("/samsat/loket/", "main a[href^='/samsat/loket/']", "a[href*='/harian/']"),
    ],
    "supervisor.samsat@opop.test": [
        ("/samsat/loket/", "main a[href^='/samsat/loket/']", "a[href*='/harian/']", "main table a[href*='/harian/']"),
    ],
    "pembeli@opop.test": [
        "/mart/pesanan/",
        ("/mart/pesanan/", "main a[href^='/mart/pesanan/OPM-']"),
    ],
    "penjual.kopi@opop.test": [
        "/mart/penjual/pesanan/",
        ("/mart/penjual/pesanan/", "main table a[href^='/mart/penjual/pesanan/']"),
        "/mart/penjual/produk/",
        "/mart/penjual/produk/massal/",
        "/mart/penjual/stok/",
        "/mart/penjual/penjualan/",
        "/mart/penjual/saldo/",
        "/mart/penjual/saldo/pencairan/",
        "/mart/penjual/tim/",
    ],
    "admin.pesantren@opop.test": [
        "/pesantren/",
        "/santri/",
        ("/santri/", "main a[href^='/santri/p/'][href$='/']"),
        "/mart/penjual/pengaturan/",
    ],
    "keuangan@opop.test": ["/mart/keuangan/pencairan/", "/mart/keuangan/rekonsiliasi/"],
    "pendamping@opop.test": ["/halal/"],
    "alumni@opop.test": ["/alumni/"],
}


def _login(page, email: str) -> None:
    page.goto("/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form[action*='/akun/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/akun/login/" not in page.url, f"login as {email} failed"


def _open(page, target) -> str | None:
    """Go to the page; a tuple follows its links in turn. None when the demo has no such link (nothing to check)."""
    steps = (target,) if isinstance(target, str) else target
    response = page.goto(steps[0])
    assert response.ok, f"{steps[0]} answered {response.status}"
    for selector in steps[1:]:
        link = page.locator(selector).first
        if link.count() == 0:
            return None
        page.goto(link.get_attribute("href"))
    return page.url


@pytest.mark.parametrize("email", list(PAGES))
def test_tables_fit_a_360px_phone_and_clip_no_number(browser, live_portal, email):
    context = browser.new_context(**NARROW, base_url=live_portal)
    page = context.new_page()
    folder = ARTIFACTS / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    failures, tables_seen = [], 0
    try:
        _login(page, email)
        for number, target in enumerate(PAGES[email]):
            url = _open(page, target)
            if url is None:
                continue
            page.wait_for_load_state("load")
            result = page.evaluate(_TABLES_JS)
            tables_seen += result["count"]
            name = re.sub(r"[^a-z0-9]+", "-", f"{email.split('@')[0]}-{number}-{url.split('/', 3)[-1]}").strip("-")
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            failures += [f"{url}: {problem}" for problem in result["problems"]]
    finally:
        context.close()
    assert tables_seen, f"no table found on the pages of {email}: the page list is stale"
    assert not failures, "\n".join(failures)
