"""Fixtures shared by every app's tests. App-specific factories live in each app's tests/."""

import importlib

import pytest
from django.core.cache import cache

from opop.models import KabupatenKota, Organisation, Wilayah
from opop.regions import load_kabupaten_kota
from opop.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from opop.tests.fetch_guard import guard_lazy_loads
from opop.wilayah import wilayah_load


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits and the cached sessions live in the cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_lazy_loads_in_pages():
    """A page template that reads a relation its selector did not load fails the test (see fetch_guard)."""
    with guard_lazy_loads() as blocked:
        yield
    assert not blocked, f"lazy loads while rendering a page (load them in the selector): {sorted(set(blocked))}"


@pytest.fixture(autouse=True)
def _reference_regions(request):
    """Transactional tests flush every table afterwards, data migrations included; put back the regions and the
    curation policy the migrations seed."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
        if KabupatenKota.objects.count() != 38:
            load_kabupaten_kota(KabupatenKota)
        if not Wilayah.objects.exists():
            wilayah_load(Wilayah)
        from django.apps import apps

        if not apps.get_model("marketplace", "CurationRule").objects.exists():
            importlib.import_module("marketplace.migrations.0012_listing_curation").seed_policy(apps, None)


@pytest.fixture
def region():
    return lambda kode: KabupatenKota.objects.get(kode=kode)


@pytest.fixture
def shopper(db):
    return UserFactory(email="pembeli@opop.test")


@pytest.fixture
def diskop(db):
    return OrganisationFactory(
        kind=Organisation.Kind.DISKOP, name="Diskop UKM Jatim", slug="diskop", kabupaten_kota_id="35.78"
    )


@pytest.fixture
def province_staff(diskop):
    return MembershipFactory(organisation=diskop, role="staff", user__email="staf@opop.test").user


@pytest.fixture
def jombang_staff(diskop):
    return MembershipFactory(organisation=diskop, role="staff", region_id="35.17", user__email="jombang@opop.test").user


@pytest.fixture
def pesantren_a(db):
    return OrganisationFactory(name="PP Darul Ulum", slug="pp-darul-ulum", kabupaten_kota_id="35.17")


@pytest.fixture
def pesantren_b(db):
    return OrganisationFactory(name="PP Sidogiri", slug="pp-sidogiri", kabupaten_kota_id="35.14")


@pytest.fixture
def admin_a(pesantren_a):
    return MembershipFactory(organisation=pesantren_a, role="owner", user__email="admin.a@opop.test").user


@pytest.fixture
def admin_b(pesantren_b):
    return MembershipFactory(organisation=pesantren_b, role="owner", user__email="admin.b@opop.test").user


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@opop.test", is_superuser=True, is_staff=True)
