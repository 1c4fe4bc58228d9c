from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpopConfig(AppConfig):
    name = "opop"
    verbose_name = _("OPOP kernel")

    def ready(self):
        from opop.forms import empty_choice_label_install

        empty_choice_label_install()
