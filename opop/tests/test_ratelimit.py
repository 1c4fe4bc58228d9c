"""The public check pages and the santri API answer 429 once a client has used up its rate (opop.ratelimit)."""

import uuid

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tight_limits(settings):
    settings.OPOP_RATE_LIMITS = {"public_check": "2/m/ip", "santri_api": "2/m/ip"}


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("pesantren:card_verify", args=[uuid.uuid4()]),
        lambda: reverse("santri:card_verify", args=[uuid.uuid4()]),
        lambda: reverse("samsat:verify", args=["TIDAK-ADA"]),
        lambda: reverse("halal:certificate_verify", args=["ID00000000000000000000"]),
        lambda: reverse("halal:certificate_search"),
    ],
)
def test_a_public_check_page_is_limited_per_client(client, url):
    path = url()
    first = [client.get(path).status_code for _ in range(2)]
    assert 429 not in first
    response = client.get(path)  # an Indonesian page, as the portal is by default
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Terlalu banyak permintaan" in response.content.decode()
    # Another client (another IP) is not affected.
    assert client.get(path, REMOTE_ADDR="10.1.2.3").status_code != 429


def test_the_santri_api_is_limited_and_answers_json(client):
    url = reverse("santri:api_upsert")
    for _ in range(2):
        assert client.post(url, data="{}", content_type="application/json").status_code == 401
    response = client.post(url, data="{}", content_type="application/json")
    assert response.status_code == 429 and "error" in response.json()
