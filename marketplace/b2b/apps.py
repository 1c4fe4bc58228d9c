from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class B2BConfig(AppConfig):
    """Bilateral trade between pesantren and programme businesses: supply offers, RFQs, quotations, purchase
    orders, deliveries, invoices and ratings. Its own label inside OPOP Mart."""

    name = "marketplace.b2b"
    label = "b2b"
    verbose_name = _("B2B procurement")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = ((230, _("B2B procurement"), "b2b:home", "member"),)
