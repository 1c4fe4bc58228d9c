"""Settings for the web load benchmark (`python -m bench.web`): production settings on loopback HTTP.

Production-like: DEBUG off, whitenoise's compressed manifest storage, cached_db sessions (on Redis when
REDIS_URL is set), the production middleware. Only what loopback HTTP and a local run need differs: a local
SECRET_KEY, ALLOWED_HOSTS 127.0.0.1, no HTTPS redirect or secure cookies, mail to the dummy backend, a
collected-static directory of the harness' choosing, and the two reference pages under bench/.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "bench-only-local-key-0f6c1d7e2b9a4c8e9d3f5a1b7c2e6d4f")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from opop.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Loopback HTTP: no TLS in front of gunicorn here.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False

BENCH_DIR = Path(__file__).resolve().parent
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", str(BASE_DIR / "staticfiles")))  # noqa: F405
STATICFILES_DIRS = [*STATICFILES_DIRS, BENCH_DIR / "static"]  # noqa: F405
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BENCH_DIR / "templates"]}, *TEMPLATES[1:]]  # noqa: F405

# The mixed benchmark reports how the store-page pieces were served (catalogue/fragments.py `stats`).
CATALOGUE_FRAGMENT_STATS = True
# The benchmarks' data generator (`manage.py seed_scale`, bench/scale/): not a production app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# bench/lighthouse.py: the uploads (the demo's product photos) served by Django, as storage does in production.
BENCH_SERVE_MEDIA = os.environ.get("BENCH_SERVE_MEDIA", "") == "1"
