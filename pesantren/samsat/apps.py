from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamsatConfig(AppConfig):
    """Samsat OPOP counters run by a pesantren's koppontren: its own app label, inside the pesantren pillar."""

    name = "pesantren.samsat"
    label = "samsat"
    verbose_name = _("Samsat OPOP")


# The kernel's navigation (opop/context_processors.py) shows these labels; they are marked here so
# this app's catalogue carries their translations.
NAV_LABELS = (_("Samsat OPOP outlets"), _("Samsat counter"), _("Samsat outlets (Diskop)"))
