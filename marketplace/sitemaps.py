from django.contrib.sitemaps import Sitemap

from marketplace.models import Category, Product, Store


class ProductSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Product.objects.visible().order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class StoreSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Store.objects.filter(is_active=True).order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class CategorySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Category.objects.order_by("id")


SITEMAPS = {"products": ProductSitemap, "stores": StoreSitemap, "categories": CategorySitemap}
