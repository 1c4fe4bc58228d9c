from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Programme reports")

    def ready(self):
        from reports import receivers  # noqa: F401 - drops the cached "data as of" when a rollup runs
