"""The santri API takes the Indonesian column names through the import's aliases and answers in the
language of Accept-Language (only the API)."""

import json

import pytest
from django.urls import reverse

from santri import services
from santri.models import Santri

pytestmark = pytest.mark.django_db


def _post(client, token, rows, language=None):
    headers = {"Authorization": f"Bearer {token}"}
    if language is not None:
        headers["Accept-Language"] = language
    return client.post(
        reverse("santri:api_upsert"),
        data=json.dumps({"santri": rows}),
        content_type="application/json",
        headers=headers,
    )


def test_indonesian_field_names_are_accepted_through_the_import_aliases(client, pes_a, admin_a):
    from santri.validation import ALIASES, normalise_keys

    _token, plain = services.api_token_create(user=admin_a, pesantren=pes_a, name="SIAKAD")
    row = {
        "nis": "B1",
        "nama": "Siti Aminah",
        "jenis_kelamin": "P",
        "tahun_masuk": 2024,
        "tanggal_lahir": "17/08/2009",
        "status": "aktif",
        "keterampilan": "Membatik",
        "minat": "Fashion",
    }
    response = _post(client, plain, [row, {"NIS": "B2", "Nama": "Ahmad", "JK": "L", "Tahun Masuk": "2023"}])
    assert response.status_code == 200 and response.json()["created"] == 2, response.json()
    siti = Santri.objects.get(nis="B1")
    assert (siti.name, siti.gender, siti.entry_year, siti.birth_date.isoformat()) == (
        "Siti Aminah",
        "P",
        2024,
        "2009-08-17",
    )
    assert (siti.skills, siti.interests, siti.status) == ("Membatik", "Fashion", "active")
    assert Santri.objects.get(nis="B2").gender == "L"
    # One table: every alias the file import knows maps the same way for the API.
    assert all(normalise_keys({alias: "x"}) == {field: "x"} for alias, field in ALIASES.items())
    assert normalise_keys({"nama": "alias", "name": "own"}) == {"name": "own"}


@pytest.mark.parametrize(
    ("header", "expected", "language"),
    [
        ("en", "Gender must be L or P.", "en"),
        ("en-US,en;q=0.9,id;q=0.8", "Gender must be L or P.", "en"),
        ("id", "Jenis kelamin harus L atau P.", "id"),
        (None, "Jenis kelamin harus L atau P.", "id"),
        ("fr-FR", "Jenis kelamin harus L atau P.", "id"),
    ],
)
def test_api_messages_follow_accept_language(client, pes_a, admin_a, header, expected, language):
    _token, plain = services.api_token_create(user=admin_a, pesantren=pes_a, name="SIAKAD")
    response = _post(client, plain, [{"nis": "X1", "nama": "Bad", "jenis_kelamin": "X", "tahun_masuk": 2024}], header)
    assert response.json()["errors"][0]["errors"] == [expected]
    assert response["Content-Language"] == language


def test_api_auth_errors_follow_accept_language_and_pages_stay_indonesian(client, pes_a, admin_a):
    response = _post(client, "opop_wrong", [{"nis": "1"}], "en")
    assert response.status_code == 401 and response.json()["detail"] == "Send Authorization: Bearer <token>."
    client.force_login(admin_a)
    page = client.get(reverse("santri:list", args=[pes_a.pk]), headers={"Accept-Language": "en"})
    assert '<html lang="id">' in page.content.decode()
