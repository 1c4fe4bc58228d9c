from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Fact tables whose writes change programme figures. After such a write commits, the incremental
# rollup is queued (run at once in dev, where Celery is eager), so a verified report shows on the
# dashboard straight away; beat's 5-minute run remains the safety net.
FACT_MODELS = [
    "pesantren.MonthlyReport",
    "pesantren.StatusChange",
    "samsat.PaymentOutcome",
    "samsat.Reversal",
    "marketplace.Order",
    "marketplace.Product",
]


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Programme reports")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_save

        from reports.signals import queue_rollup_on_commit

        for label in FACT_MODELS:
            try:
                model = apps.get_model(label)
            except LookupError:  # an app that is not installed contributes no facts
                continue
            post_save.connect(queue_rollup_on_commit, sender=model, dispatch_uid=f"reports.rollup.{label}")
