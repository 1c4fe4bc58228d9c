"""One very short pass of the web benchmark against a live gunicorn on the test database, so the bench code
cannot rot. It asserts that every page answered as expected and the shape of the results, never a time."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from marketplace.tests.factories import CategoryFactory, ProductFactory, StoreFactory
from opop.tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["store_home", "search", "product_detail", "cart_add", "checkout", "programme_dashboard"]


def _database_url() -> str:
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "postgres")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"])
    return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.mark.postgres
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the web benchmark measures the portal on PostgreSQL (full-text search, row locks)",
)
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
@pytest.mark.django_db(transaction=True)
def test_one_short_benchmark_pass_answers_every_page(tmp_path, shopper, province_staff, jombang_staff, pesantren_a):
    seller = MembershipFactory(organisation=pesantren_a, role="owner", user__email="penjual@opop.test").user
    kopi = CategoryFactory(name="Kopi", slug="kopi")
    first, second = StoreFactory(organisation=pesantren_a), StoreFactory()
    for n in range(3):
        ProductFactory(name=f"Kopi Robusta {n}", store=first, category=kopi, stock=500, sold_count=n)
    ProductFactory(name="Kopi Arabika", store=second, category=kopi, stock=500)

    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.web",
            "--database",
            _database_url(),
            "--duration",
            "2",
            "--warmup",
            "0.5",
            "--connections",
            "1",
            "--workers",
            "1",
            "--gunicorn-threads",
            "2",
            "--pages",
            ",".join(PAGES),
            "--shopper",
            shopper.email,
            "--seller",
            seller.email,
            "--staff",
            province_staff.email,
            "--region-staff",
            jombang_staff.email,
            "--search-word",
            "kopi",
            "--output",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]

    data = json.loads((tmp_path / "web.json").read_text())
    assert {"schema", "run", "targets", "reference", "pages", "fixes"} <= set(data)
    assert data["run"]["database"]["name"] == connection.settings_dict["NAME"]
    assert set(data["reference"]) == {"fortunes", "static"}
    # Every page answered as expected: the request checked before its pass, and every response during it
    # (a loaded machine may finish few of them in the short pass, so no count is asserted).
    for reference in data["reference"].values():
        assert reference["checked_status"] == 200 and reference["bad"] == 0, reference
    assert [page["name"] for page in data["pages"]] == PAGES
    for page in data["pages"]:
        expected = 302 if page["method"] == "POST" else 200  # the POSTs redirect to the cart and the orders
        assert page["checked_status"] == expected and page["bad"] == 0 and page["exhausted"] == 0, page
        assert {"rps", "ratio", "p50_ms", "p95_ms", "p99_ms", "meets", "requests", "ok"} <= set(page)
    assert "| page | req/s | ratio |" in (tmp_path / "web.md").read_text()
