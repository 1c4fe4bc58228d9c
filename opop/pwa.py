"""OPOP Mart as an installable, offline-capable web app, and the files crawlers ask for at the site root.

- `/manifest.webmanifest`: name, start URL /mart/, standalone, theme colours, icons (opop/icons.py).
- `/sw.js`: the service worker, rendered so it knows the static URLs it precaches; served from the root so
  its scope is the whole site (same origin, allowed by the CSP's `script-src 'self'`).
- `/offline/`: what the worker shows when a page cannot load; it lists the pages kept for offline reading.
- `/favicon.ico`, `/robots.txt` (naming the sitemap index), `/sitemap.xml`: the site's one sitemap index, of
  every page of every section of the sitemaps each app declares on its AppConfig (`sitemaps`, a dotted path
  to its {section: Sitemap} dict, and `sitemap_section_url_name`, the URL serving one page of one section),
  so this kernel names no app. One COUNT per section.
"""

import json

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0f6b3c"
BACKGROUND_COLOUR = "#ffffff"
# Bump when the worker's caching rules change: the new worker drops the old caches.
CACHE_VERSION = "opop-v1"
# Pages kept for reading offline, as the worker matches them (product and store pages of OPOP Mart).
OFFLINE_PAGE_PATTERNS = [r"^/mart/produk/[^/]+/$", r"^/mart/toko/[^/]+/$"]
OFFLINE_PAGE_LIMIT = 30
OFFLINE_IMAGE_LIMIT = 120  # the product photos of those pages (thumbnails are a few KB each)
PRECACHE_STATIC = [
    "css/opop.css",
    "css/mart.css",
    "js/opop.js",
    "js/pwa.js",
    "img/logo.svg",
    "img/icons/icon-192.png",
]


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    data = {
        "id": "/mart/",
        "name": _("OPOP Mart · OPOP Jatim"),
        "short_name": _("OPOP Mart"),
        "description": _("Products of East Java's pesantren, santri and alumni."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/mart/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["shopping", "business"],
        "icons": [
            {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("img/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
@never_cache  # a new worker must reach browsers at once; they still compare it byte for byte
def service_worker(request):
    config = {
        "version": CACHE_VERSION,
        "offlineUrl": reverse("opop:offline"),
        "shell": [reverse("marketplace:home") if _has("marketplace:home") else "/", reverse("opop:offline")],
        "static": [static(path) for path in PRECACHE_STATIC],
        # STATIC_URL, not static(""): the production manifest storage has no entry for "" and would raise.
        "staticPrefix": settings.STATIC_URL,
        "pagePatterns": OFFLINE_PAGE_PATTERNS,
        "pageLimit": OFFLINE_PAGE_LIMIT,
        "mediaPrefix": settings.MEDIA_URL,
        "imageLimit": OFFLINE_IMAGE_LIMIT,
        "logoutPath": reverse("account_logout"),
    }
    response = render(
        request, "opop/sw.js", {"config": json.dumps(config)}, content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def _has(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


@require_GET
def offline(request):
    """The worker keeps this page and shows it when the network is gone; static/js/pwa.js fills the list."""
    return render(request, "opop/offline.html")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    path = finders.find("img/icons/favicon.ico")
    if not path:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


def _sitemap_urls(request) -> list[str]:
    urls = []
    for config in apps.get_app_configs():
        sections = getattr(config, "sitemaps", None)
        for section, sitemap_class in import_string(sections).items() if sections else ():
            try:
                path = reverse(config.sitemap_section_url_name, kwargs={"section": section})
            except NoReverseMatch:  # the app's URLs are not mounted in this site
                continue
            url = request.build_absolute_uri(path)
            pages = sitemap_class().paginator.num_pages
            urls.extend(url if page == 1 else f"{url}?p={page}" for page in range(1, pages + 1))
    return urls


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /akun/",
        "Disallow: /staf/",
        "Disallow: /mart/penjual/",
        "Disallow: /mart/keranjang/",
        "Disallow: /mart/checkout/",
        "Disallow: /mart/pesanan/",
        "Disallow: /samsat/loket/",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=3600, public=True)
def sitemap_index(request):
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in _sitemap_urls(request))
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'
    )
    return HttpResponse(body, content_type="application/xml")
