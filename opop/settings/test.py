"""Tests: the base settings plus speed knobs. Tasks always run eagerly here; the worker test turns that off."""

import os
from urllib.parse import urlsplit, urlunsplit


def _redis_db_shifted(url: str, by: int) -> str:
    """`redis://host:port/N` with database N + by (N is 0 when the URL names none)."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + by
    return urlunsplit(parts._replace(path=f"/{database}"))


# pytest-xdist: each worker process gets its own pair of Redis databases (worker gwK adds 2K to the cache's and
# the broker's database numbers), so one worker's cache.clear() and Celery queue never touch another's. Done
# in the environment before the base settings read it, so that a Celery worker or web node a test starts
# gets the same pair; the marker keeps such a subprocess (it inherits PYTEST_XDIST_WORKER) from shifting twice.
_xdist_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
if _xdist_worker and not os.environ.get("OPOP_TEST_REDIS_SHIFTED"):
    for _key in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(_key, "").startswith("redis://"):
            os.environ[_key] = _redis_db_shifted(os.environ[_key], 2 * _xdist_worker)
    os.environ["OPOP_TEST_REDIS_SHIFTED"] = "1"

from opop.settings.base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; tests never run collectstatic

# The benchmarks' data generator (`manage.py seed_scale`, bench/scale/): not a production app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# Tests hit the public check pages and the santri API many times from one client (hypothesis examples);
# opop/tests/test_ratelimit.py sets tight limits to prove the limiter.
OPOP_RATE_LIMITS = {"public_check": "100000/m/ip", "santri_api": "100000/m/ip"}

# The store's fragment cache renews a piece after the commit of a change (catalogue/fragments.py), and most
# tests run inside one transaction that never commits; with Redis (CI's second pass) it would be on and serve
# pages from before the test's change. Off in every test as on SQLite's memory cache; the tests of the cache
# (marketplace/tests/test_store_cache.py) turn it on and run the commit callbacks.
CATALOGUE_FRAGMENT_CACHE = False
