from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class B2BConfig(AppConfig):
    """Bilateral trade between pesantren and programme businesses: supply offers, RFQs, quotations, purchase
    orders, deliveries, invoices and ratings. Its own label inside OPOP Mart."""

    name = "marketplace.b2b"
    label = "b2b"
    verbose_name = _("B2B procurement")


# The kernel's navigation (opop/context_processors.py) shows this label; marked here so this app's catalogue
# carries its translation too.
NAV_LABELS = (_("B2B procurement"),)
