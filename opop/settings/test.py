"""Tests: the base settings plus speed knobs. Tasks always run eagerly here; the worker test turns that off."""

from opop.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; tests never run collectstatic

# The benchmarks' data generator (`manage.py seed_scale`, bench/scale/): not a production app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# Tests hit the public check pages and the santri API many times from one client (hypothesis examples);
# opop/tests/test_ratelimit.py sets tight limits to prove the limiter.
OPOP_RATE_LIMITS = {"public_check": "100000/m/ip", "santri_api": "100000/m/ip"}
