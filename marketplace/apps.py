from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("OPOP Mart")
    sitemap_url_names = ("marketplace:sitemap",)  # listed in the site's sitemap index (/sitemap.xml)

    def ready(self):
        from marketplace.cart import receivers  # noqa: F401 - connects the login → cart merge receiver
        from marketplace.catalogue import receivers as catalogue_receivers  # noqa: F401 - category cache
