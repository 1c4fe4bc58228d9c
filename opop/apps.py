from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpopConfig(AppConfig):
    name = "opop"
    verbose_name = _("OPOP kernel")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = (
        (30, _("My organisations"), "opop:organisation_list", "member"),
        (220, _("Deletion requests"), "opop:deletion_queue", "province_staff"),
        (240, _("Admin site"), "admin:index", "superuser"),
    )

    def ready(self):
        from opop.forms import empty_choice_label_install, model_choices_in_one_query_install

        empty_choice_label_install()
        model_choices_in_one_query_install()
