from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PesantrenConfig(AppConfig):
    name = "pesantren"
    verbose_name = _("Pesantrenpreneur")

    def ready(self):
        from opop.models import Organisation
        from opop.organisations import standing_check_register
        from pesantren.standing import pesantren_standing

        standing_check_register(Organisation.Kind.PESANTREN, pesantren_standing)
