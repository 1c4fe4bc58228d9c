from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = _("Sosiopreneur")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = ((150, _("Alumni"), "alumni:home", "authenticated"),)
    demo = True  # seed_demo calls <app>.demo.seed(users), in the order of INSTALLED_APPS

    def ready(self):
        from alumni.standing import alumni_business_standing
        from opop.models import Organisation
        from opop.organisations import standing_check_register

        standing_check_register(Organisation.Kind.ALUMNI_BUSINESS, alumni_business_standing)
