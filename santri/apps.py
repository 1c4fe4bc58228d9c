from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantriConfig(AppConfig):
    name = "santri"
    verbose_name = _("Santripreneur")
