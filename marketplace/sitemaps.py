"""OPOP Mart's sitemaps, one section per kind, each in pages of PAGE_SIZE URLs (/mart/sitemap-<section>.xml?p=N).

The site's one index (/sitemap.xml, opop/pwa.py) lists every page of every section, so a crawler never asks
for the whole catalogue at once: at province scale (100,000 products) one page is 1,000 rows of two columns.
"""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from marketplace.models import Category, Product, Store

PAGE_SIZE = 1000


class ProductSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = PAGE_SIZE

    def items(self):
        return Product.objects.visible().only("slug", "updated_at").order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class StoreSitemap(Sitemap):
    changefreq = "weekly"
    limit = PAGE_SIZE

    def items(self):
        return Store.objects.filter(is_active=True).only("slug", "updated_at").order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    limit = PAGE_SIZE

    def items(self):
        return Category.objects.only("slug").order_by("id")


SITEMAPS = {"products": ProductSitemap, "stores": StoreSitemap, "categories": CategorySitemap}


@require_safe
def sitemap_moved(request):
    """Where the one sitemap used to be (already known to search engines): the site's index now."""
    return HttpResponsePermanentRedirect(reverse("sitemap_index"))
