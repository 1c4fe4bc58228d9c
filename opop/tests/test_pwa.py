"""OPOP Mart installable and offline (issue 24): the manifest, the service worker's script and headers, the
offline page, the favicon, robots.txt and the sitemap index at the site root."""

import json
import re
from io import BytesIO

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from opop.icons import draw_icon

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_the_store_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/mart/" and manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"] and len(manifest["short_name"]) <= 12
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"]) and manifest["background_color"]
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _purpose), src in icons.items():
        path = finders.find(src.removeprefix("/static/"))
        assert path, src
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == sizes and image.format == "PNG"


def test_the_maskable_icon_fills_its_square_and_the_star_stays_in_the_safe_zone():
    image = draw_icon(512, maskable=True)
    assert image.getpixel((2, 2))[3] == 255  # no transparent corners for the launcher to fill
    gold = [(x, y) for x in range(0, 512, 8) for y in range(0, 512, 8) if image.getpixel((x, y))[0] > 200]
    assert gold and all((x - 256) ** 2 + (y - 256) ** 2 < (0.4 * 512) ** 2 for x, y in gold)


def test_every_page_links_the_manifest_and_registers_the_worker(client):
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert "/static/js/pwa.js" in html and "apple-touch-icon" in html


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    script = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});", script).group(1))
    assert config["offlineUrl"] == reverse("opop:offline") and "/mart/" in config["shell"]
    assert "/static/css/opop.css" in config["static"]
    assert any(re.match(p, "/mart/produk/kopi-robusta/") for p in config["pagePatterns"])
    assert not any(re.match(p, "/mart/pesanan/OPM-1/") for p in config["pagePatterns"])
    assert "&quot;" not in script and "&lt;" not in script  # rendered as plain script, nothing HTML-escaped


def test_the_service_worker_is_served_under_the_production_manifest_storage(client, settings, tmp_path):
    """Production's whitenoise storage knows only collected files: the worker once asked it for static("") and
    answered 500, so the store was installable nowhere but in development (found by Lighthouse)."""
    from opop.pwa import PRECACHE_STATIC

    paths = {path: path.replace(".", ".0123abcd.", 1) for path in PRECACHE_STATIC}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/sw.js")
    assert response.status_code == 200
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});", response.content.decode()).group(1))
    assert "/static/css/opop.0123abcd.css" in config["static"] and config["staticPrefix"] == "/static/"


def test_the_csp_allows_the_worker_and_the_manifest(client):
    csp = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    # worker-src and manifest-src fall back to default-src: our own origin.
    assert "'self'" in directives.get("worker-src", directives["default-src"])
    assert "'self'" in directives.get("manifest-src", directives["default-src"])


def test_the_offline_page_lists_what_the_worker_kept(client):
    html = client.get(reverse("opop:offline"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-offline-list" in html and 'name="robots" content="noindex"' in html


def test_favicon_robots_and_the_sitemap_index(client):
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon["Content-Type"] == "image/x-icon"
    with Image.open(BytesIO(b"".join(favicon.streaming_content))) as icon:
        assert icon.format == "ICO"
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /admin/" in robots
    assert "Disallow: /mart/pesanan/" in robots and "Disallow: /samsat/loket/" in robots
    index = client.get("/sitemap.xml")
    assert index["Content-Type"] == "application/xml"
    for section in ("products", "stores", "categories"):
        assert f"<loc>http://testserver/mart/sitemap-{section}.xml</loc>" in index.content.decode()
        assert client.get(f"/mart/sitemap-{section}.xml").status_code == 200
