from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PesantrenConfig(AppConfig):
    name = "pesantren"
    verbose_name = _("Pesantrenpreneur")
