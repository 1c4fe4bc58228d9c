from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantriConfig(AppConfig):
    name = "santri"
    verbose_name = _("Santripreneur")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = (
        (110, _("Santri home"), "santri:me", "santri"),
        (120, _("Santripreneur"), "santri:home", "member"),
        (130, _("Programme activities"), "santri:event_list", "member"),
        (140, _("Business-idea competitions"), "santri:competition_list", "everyone"),
    )
    # Where a santri lands after signing in without a `next` (opop.account_adapter): their own page.
    login_landings = (("santri", "santri:me"),)
    demo = True  # seed_demo calls <app>.demo.seed(users), in the order of INSTALLED_APPS

    def ready(self):
        from opop.models import Organisation
        from opop.organisations import standing_check_register
        from opop.permissions import audience_register
        from santri.selectors import user_is_santri
        from santri.standing import santri_business_standing

        standing_check_register(Organisation.Kind.SANTRI_BUSINESS, santri_business_standing)
        audience_register("santri", user_is_santri)
