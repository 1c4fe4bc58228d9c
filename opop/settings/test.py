"""Tests: the base settings plus speed knobs. Tasks always run eagerly here; the worker test turns that off."""

from opop.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; tests never run collectstatic

# The benchmarks' data generator (`manage.py seed_scale`, bench/scale/): not a production app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
