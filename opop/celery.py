"""The one Celery app. Configured from the CELERY_* Django settings; tasks are found in each app's tasks.py."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opop.settings.dev")

app = Celery("opop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _drain_outbox_on_start(**_kwargs):
    """A worker that (re)starts sends what the web could not enqueue while the broker was down."""
    import logging

    from opop.outbox import outbox_flush

    try:
        outbox_flush()
    except Exception:  # a worker must start even if the database is not there yet
        logging.getLogger("opop.outbox").exception("opop.outbox.flush_on_start_failed")
