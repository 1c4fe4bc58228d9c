"""Runs every app's hostile-input endpoints (`<app>/tests/test_hostile_input.py`) in one demo world.

The world (seed_demo, see permission_world) is built once for all apps, in a transaction rolled back at the
end; each example runs in its own savepoint. A POST endpoint without an entry in some app's ENDPOINTS fails
`test_every_post_endpoint_is_attacked`, as a URL without a permission row fails the permission matrix.

`HOSTILE_TALLY=path` writes the number of examples each endpoint received, as JSON, for the issue note.
"""

import importlib
import json
import os

import pytest

from opop.tests.hostile import TALLY
from tests.hostile_world import attack, post_url_names, world_fixture

MODULES = [
    "opop.tests.test_hostile_input",
    "pesantren.tests.test_hostile_input",
    "pesantren.samsat.tests.test_hostile_input",
    "santri.tests.test_hostile_input",
    "alumni.tests.test_hostile_input",
    "marketplace.tests.test_hostile_input",
    "marketplace.halal.tests.test_hostile_input",
    "marketplace.b2b.tests.test_hostile_input",
    "reports.tests.test_hostile_input",
]


def _endpoints():
    for path in MODULES:
        module = importlib.import_module(path)
        for endpoint in module.ENDPOINTS:
            yield pytest.param(endpoint, module.WATCH, id=endpoint.name)


ENDPOINTS = list(_endpoints())

world = world_fixture()


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    if path := os.environ.get("HOSTILE_TALLY"):
        with open(path, "w") as out:
            json.dump(TALLY.counts, out, indent=1, sort_keys=True)


def test_every_post_endpoint_is_attacked():
    attacked = {param.values[0].name.split("[")[0] for param in ENDPOINTS}
    attacked |= {name for path in MODULES for name in getattr(importlib.import_module(path), "JSON_ENDPOINTS", [])}
    missing = sorted(set(post_url_names()) - attacked)
    assert missing == [], "POST endpoints without hostile-input entries (add them to <app>/tests/test_hostile_input.py)"


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "watch"), ENDPOINTS)
def test_hostile_input_is_refused_cleanly(world, endpoint, watch):
    attack(world, endpoint, default_watch=watch)
