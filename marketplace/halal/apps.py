from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HalalConfig(AppConfig):
    """Halal certification facilitation, certificates and flagship curation: its own label inside OPOP Mart."""

    name = "marketplace.halal"
    label = "halal"
    verbose_name = _("Halal and flagship products")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = (
        (160, _("Halal certification"), "halal:case_list", "authenticated"),
        (170, _("Halal queue (Diskop)"), "halal:product_queue", "programme_staff"),
        (180, _("Flagship curation"), "halal:flagship_list", "programme_staff"),
    )
    demo = True  # seed_demo calls <app>.demo.seed(users), in the order of INSTALLED_APPS
