from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamsatConfig(AppConfig):
    """Samsat OPOP counters run by a pesantren's koppontren: its own app label, inside the pesantren pillar."""

    name = "pesantren.samsat"
    label = "samsat"
    verbose_name = _("Samsat OPOP")
