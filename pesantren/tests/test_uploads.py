"""The pesantren logo through the profile form: stored re-encoded and clean, a bomb refused with a message
(the upload kernel itself: opop/tests/test_uploads.py)."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image

from opop.tests import hostile_files as files
from opop.tests.hostile_files import upload


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_the_pesantren_logo_is_stored_re_encoded_without_gps_or_payload(client, shopper):
    from pesantren.models import Pesantren
    from pesantren.tests.test_views import PROFILE_POST

    client.force_login(shopper)
    logo = upload(files.jpeg_with_gps(300, 300) + files.POLYGLOT_PAYLOAD, "logo.jpg")
    response = client.post(reverse("pesantren:register"), {**PROFILE_POST, "logo": logo})
    assert response.status_code == 302
    stored = Pesantren.objects.get().logo
    assert stored.name.endswith(".webp")
    data = stored.read()
    assert files.POLYGLOT_PAYLOAD not in data and b"SpyCam" not in data
    assert not Image.open(BytesIO(data)).getexif().get_ifd(files.GPS_IFD)


@pytest.mark.django_db
def test_a_bomb_as_pesantren_logo_gets_the_form_back_with_a_message(client, shopper):
    from pesantren.models import Pesantren
    from pesantren.tests.test_views import PROFILE_POST

    client.force_login(shopper)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("pesantren:register"), {**PROFILE_POST, "logo": upload(files.png_bomb(), "logo.png")}
    )
    assert response.status_code == 200
    assert "too many pixels" in " ".join(response.context["form"].errors["logo"])
    assert not Pesantren.objects.exists()
