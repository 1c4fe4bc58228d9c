from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantriConfig(AppConfig):
    name = "santri"
    verbose_name = _("Santripreneur")

    def ready(self):
        from opop.models import Organisation
        from opop.organisations import standing_check_register
        from santri.standing import santri_business_standing

        standing_check_register(Organisation.Kind.SANTRI_BUSINESS, santri_business_standing)
