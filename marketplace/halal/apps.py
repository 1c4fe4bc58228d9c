from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HalalConfig(AppConfig):
    """Halal certification facilitation, certificates and flagship curation: its own label inside OPOP Mart."""

    name = "marketplace.halal"
    label = "halal"
    verbose_name = _("Halal and flagship products")


# The kernel's navigation (opop/context_processors.py) shows these labels; marked here so this app's
# catalogue carries their translations too.
NAV_LABELS = (_("Halal certification"), _("Halal queue (Diskop)"), _("Flagship curation"))
