import pytest

from marketplace.tests.factories import AddressFactory, ProductFactory, StoreFactory


@pytest.fixture
def store_a(pesantren_a, admin_a):
    return StoreFactory(organisation=pesantren_a, name="Koppontren Darul Ulum", pickup_address="PP Darul Ulum, Jombang")


@pytest.fixture
def store_b(pesantren_b, admin_b):
    return StoreFactory(organisation=pesantren_b, name="Koppontren Sidogiri", allows_pickup=False)


@pytest.fixture
def address(shopper):
    return AddressFactory(user=shopper)


@pytest.fixture
def product_a(store_a):
    return ProductFactory(store=store_a, name="Sarung Tenun Darul Ulum", price=120000, stock=10)


@pytest.fixture
def product_b(store_b):
    return ProductFactory(store=store_b, name="Kurma Sidogiri", price=45000, stock=10, min_order=2)


@pytest.fixture(autouse=True)
def _english_messages():
    # Service errors are asserted in English (the source language); pages render Indonesian per request.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Renditions written by tests go to a throwaway folder, not the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"
