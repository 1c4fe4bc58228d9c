import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.permission_expectations import MATRIX
from tests.permission_matrix import url_for
from tests.permission_world import ROLES, build_world, url_names


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data, built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return "login"
        if location.startswith(reverse("admin:login")):
            return "admin-login"
    return str(response.status_code)


def request_as(world, role: str, method: str, url: str, data: dict):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    # Each request runs in a savepoint that is rolled back, so one role's POST never changes what the next sees.
    with transaction.atomic():
        response = client.post(url, data) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response


def post_data(name: str, world) -> dict:
    if name == "samsat:day_close":
        return {"day": world.objects["payment"].business_day.isoformat()}
    return {}


def test_every_url_has_a_row_and_every_row_a_url():
    names = {name for name in url_names() if not name.startswith("admin:")}
    assert sorted(names - MATRIX.keys()) == [], "new URLs need a row in permission_expectations.MATRIX"
    assert sorted(MATRIX.keys() - names) == [], "rows for URLs that no longer exist"


@pytest.mark.django_db
def test_every_role_gets_the_expected_outcome_on_every_url(world):
    mismatches = []
    for name, (method, expected_row) in sorted(MATRIX.items()):
        url = url_for(name, world)
        for role, expected in zip(ROLES, expected_row.split(), strict=True):
            got = outcome(request_as(world, role, method, url, post_data(name, world)))
            if got != expected:
                mismatches.append(f"{name} as {role}: expected {expected}, got {got} ({method} {url})")
    assert mismatches == [], "\n".join(mismatches)


@pytest.mark.django_db
def test_the_admin_site_is_for_admin_staff_only(world):
    admin_names = [name for name in url_names() if name.startswith("admin:") and name.endswith("_changelist")]
    assert len(admin_names) > 20
    for name in ["admin:index", *admin_names]:
        url = reverse(name)
        for role in ROLES:
            got = outcome(request_as(world, role, "GET", url, {}))
            assert got == ("200" if role == "superuser" else "admin-login"), f"{name} as {role}: {got}"
