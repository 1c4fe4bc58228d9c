"""Product photos through the seller centre: a bomb or an SVG is refused and nothing is stored (the upload
kernel itself: opop/tests/test_uploads.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from opop.tests import hostile_files as files
from opop.tests.hostile_files import upload


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_a_product_photo_bomb_or_svg_is_refused_with_400_and_nothing_stored(client):
    from marketplace.models import ProductPhoto
    from marketplace.tests.factories import ProductFactory
    from opop.models import Membership
    from opop.tests.factories import MembershipFactory

    product = ProductFactory()
    owner = MembershipFactory(organisation=product.store.organisation, role=Membership.Role.OWNER).user
    client.force_login(owner)
    client.cookies["django_language"] = "en"
    url = reverse("marketplace:seller_photo_add", args=[product.pk])
    before = ProductPhoto.objects.count()
    for content, name, message in [
        (files.png_bomb(), "bomb.png", "too many pixels"),
        (files.SVG, "photo.svg", "SVG and HTML"),
    ]:
        response = client.post(url, {"photo": upload(content, name)})
        assert response.status_code == 400 and message in response.content.decode()
    assert ProductPhoto.objects.count() == before
