from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamsatConfig(AppConfig):
    """Samsat OPOP counters run by a pesantren's koppontren: its own app label, inside the pesantren pillar."""

    name = "pesantren.samsat"
    label = "samsat"
    verbose_name = _("Samsat OPOP")
    # Navigation entries (position, label, URL name, who sees them): opop/context_processors.py shows them.
    nav_items = (
        (20, _("Samsat OPOP outlets"), "samsat:outlet_public_list", "everyone"),
        (80, _("Samsat counter"), "samsat:counter_home", "samsat_counter"),
        (90, _("Samsat outlets (Diskop)"), "samsat:staff_outlet_list", "programme_staff"),
    )
    demo = True  # seed_demo calls <app>.demo.seed(users), in the order of INSTALLED_APPS
