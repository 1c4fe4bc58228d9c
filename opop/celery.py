"""The one Celery app. Configured from the CELERY_* Django settings; tasks are found in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opop.settings.dev")

app = Celery("opop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
