"""Browser journeys (tests/e2e): the test settings behind a real server, uploads in the run's own folder."""

from pathlib import Path

from opop.settings.env import env_str
from opop.settings.test import *  # noqa: F403
from opop.settings.test import MEDIA_ROOT as _TEST_MEDIA_ROOT

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(_TEST_MEDIA_ROOT)))
