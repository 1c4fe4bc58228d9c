"""`make run`: the embedded default. DEBUG on unless the environment says otherwise."""

from opop.settings.base import *  # noqa: F403
from opop.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
