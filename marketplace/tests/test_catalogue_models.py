import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from marketplace.catalogue.services import product_photo_add, store_create
from marketplace.images import validate_image_upload
from marketplace.models import Product
from marketplace.tests.factories import ProductFactory, StoreFactory, image_upload, santri_org
from opop.models import Organisation
from opop.services import DomainError
from opop.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_stock_can_never_go_below_zero_in_the_database():
    product = ProductFactory(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=-1)


def test_the_pillar_follows_the_kind_of_organisation():
    assert StoreFactory().pillar == "pesantrenpreneur"
    assert StoreFactory(organisation=santri_org()).pillar == "santripreneur"
    alumni = OrganisationFactory(kind=Organisation.Kind.ALUMNI_BUSINESS)
    assert StoreFactory(organisation=alumni).get_pillar_display() == "Sosiopreneur"


def test_diskop_cannot_open_a_store_and_an_organisation_has_one_store(pesantren_a, diskop):
    with pytest.raises(DomainError):
        store_create(organisation=diskop, name="Toko Dinas")
    store_create(organisation=pesantren_a, name="Koppontren Darul Ulum")
    with pytest.raises(DomainError):
        store_create(organisation=pesantren_a, name="Toko Kedua")


def test_an_uploaded_photo_is_stored_only_as_resized_webp_renditions():
    product = ProductFactory()
    photo = product_photo_add(product=product, upload=image_upload(3000, 2000))
    assert photo.width == 1200 and photo.height == 800
    for field in (photo.large, photo.medium, photo.small):
        assert field.name.endswith(".webp")
    assert "foto" not in photo.large.name  # the upload's own name and bytes are never kept


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: image_upload(100, 100), "too small"),
        (lambda: image_upload(fmt="GIF", name="a.gif"), "JPEG, PNG or WebP"),
        (
            lambda: __import__("django.core.files.uploadedfile").core.files.uploadedfile.SimpleUploadedFile(
                "a.jpg", b"not an image"
            ),
            "not a photo",
        ),
    ],
)
def test_bad_photos_are_refused_with_a_clear_message(upload, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_image_upload(upload())
    assert message in " ".join(error.value.messages)


def test_a_photo_over_5_mb_is_refused(monkeypatch):
    upload = image_upload()
    upload.size = 6 * 1024 * 1024
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match="5 MB"):
        validate_image_upload(upload)


def test_a_photo_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr("opop.uploads.MAX_PIXELS", 1000)
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match="megapixels"):
        validate_image_upload(image_upload(400, 300))
