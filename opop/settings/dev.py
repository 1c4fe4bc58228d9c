"""`make run`: the embedded default. DEBUG on unless the environment says otherwise."""

from opop.settings.base import *  # noqa: F403
from opop.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)

# gunicorn (make procfile) serves static files straight from the apps and static/, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The benchmarks' data generator (`manage.py seed_scale`, bench/scale/): not a production app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
