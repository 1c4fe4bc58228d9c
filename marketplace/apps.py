from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("OPOP Mart")
    # Its sitemap sections and the URL that serves one (a page of one section), for the site's index (/sitemap.xml).
    sitemaps = "marketplace.sitemaps.SITEMAPS"
    sitemap_section_url_name = "marketplace:sitemap_section"
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = (
        (10, _("OPOP Mart"), "marketplace:home", "everyone"),
        (60, _("Seller centre"), "marketplace:seller_dashboard", "seller"),
        (190, _("Listing curation"), "marketplace:curation_queue", "curator"),
        (200, _("Store requests"), "marketplace:store_request_list", "curator"),
        (210, _("Payouts (finance)"), "marketplace:finance_payouts", "finance"),
    )
    demo = True  # seed_demo calls <app>.demo.seed(users), in the order of INSTALLED_APPS

    def ready(self):
        from marketplace.cart import receivers  # noqa: F401 - connects the login → cart merge receiver
        from marketplace.catalogue import receivers as catalogue_receivers  # noqa: F401 - category cache
