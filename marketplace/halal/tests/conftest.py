import pytest

from marketplace.halal.models import AttachmentKind
from marketplace.halal.tests.factories import pdf_upload
from marketplace.tests.factories import CategoryFactory, ProductFactory, StoreFactory
from opop.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def food(db):
    parent = CategoryFactory(name="Makanan & Minuman", slug="makanan-minuman")
    return CategoryFactory(name="Camilan", slug="camilan", parent=parent)


@pytest.fixture
def product_a(pesantren_a, food):
    return ProductFactory(store=StoreFactory(organisation=pesantren_a), category=food, name="Keripik Tempe")


@pytest.fixture
def product_b(pesantren_b, food):
    return ProductFactory(store=StoreFactory(organisation=pesantren_b), category=food, name="Kurma Sidogiri")


@pytest.fixture
def companion(db):
    return UserFactory(email="pendamping@opop.test")


@pytest.fixture
def documents():
    return [
        (AttachmentKind.INGREDIENTS, pdf_upload("bahan.pdf")),
        (AttachmentKind.PROCESS_FLOW, pdf_upload("alur.pdf")),
    ]
