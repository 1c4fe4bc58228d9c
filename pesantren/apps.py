from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PesantrenConfig(AppConfig):
    name = "pesantren"
    verbose_name = _("Pesantrenpreneur")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = (
        (40, _("OPOP pesantren"), "pesantren:directory", "everyone"),
        (50, _("My pesantren"), "pesantren:mine", "member"),
        (70, _("Pesantren"), "pesantren:staff_list", "programme_staff"),
    )
    demo = True  # seed_demo calls <app>.demo.seed(users), in the order of INSTALLED_APPS

    def ready(self):
        from opop.models import Organisation
        from opop.organisations import standing_check_register
        from pesantren.standing import pesantren_standing

        standing_check_register(Organisation.Kind.PESANTREN, pesantren_standing)
