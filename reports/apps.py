from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Programme reports")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = (
        (100, _("Diskop workspace"), "reports:dashboard", "programme_staff"),
        (110, _("OPOP in figures"), "reports:public", "everyone"),
    )
    demo = True  # seed_demo calls <app>.demo.seed(users), in the order of INSTALLED_APPS

    def ready(self):
        from reports import receivers  # noqa: F401 - drops the cached "data as of" when a rollup runs
