import csv
import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from opop.models import DirtyFigureKey
from opop.tests.exports import NON_ASCII, assert_csv_export
from santri import services
from santri.models import ApiToken, ImportBatch, Santri
from santri.tests.factories import SantriFactory
from santri.validation import HEADER_ID, validate_row

pytestmark = pytest.mark.django_db

HEADER = "nis,nama,nik,jenis_kelamin,tanggal_lahir,tahun_masuk,status,keterampilan,minat\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


GOOD = [
    "1001,Ahmad Fauzan,3517010101070001,L,2007-01-01,2022,aktif,Menjahit,Kuliner",
    "1002,Siti Aminah,,P,15/03/2008,2023,aktif,,",
    "1003,Muhammad Rizki,,laki-laki,,2021,lulus,Las,Otomotif",
]


# --- validation (one validator for file and API) ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("nis", "", "NIS is empty."),
        ("name", " ", "Name is empty."),
        ("nik", "35170101", "A NIK has exactly 16 digits."),
        ("gender", "X", "Gender must be L or P."),
        ("birth_date", "31/02/2007", "Birth date is not a date"),
        ("birth_date", "2099-01-01", "Birth date is not plausible."),
        ("entry_year", "dua ribu", "Entry year must be a year"),
        ("status", "keluar", "Status must be active"),
    ],
)
def test_validate_row_refuses_each_bad_field_with_a_reason(field, value, reason):
    row = {"nis": "1", "name": "A", "gender": "L", "entry_year": "2022", field: value}
    clean, reasons = validate_row(row)
    assert clean is None
    assert any(r.startswith(reason) for r in reasons), reasons


# --- import: preview, confirm, re-import ---------------------------------------------------------


def test_import_preview_reports_bad_rows_by_line_and_imports_only_the_good(pes_a, admin_a):
    content = _csv(
        GOOD[0],
        "1004,Tanpa Gender,,,2007-01-01,2022,aktif,,",  # line 3
        GOOD[1],
        "1001,Dobel NIS,,L,,2022,aktif,,",  # line 5: NIS repeated
        "1005,NIK Pendek,12345,P,,2022,aktif,,",  # line 6
    )
    batch = services.import_preview(user=admin_a, pesantren=pes_a, filename="santri.csv", content=content)
    assert [e["line"] for e in batch.errors] == [3, 5, 6]
    assert "Gender must be L or P." in batch.errors[0]["reasons"]
    assert "first on line 2" in batch.errors[1]["reasons"][0]
    assert batch.new_count == 2 and batch.update_count == 0
    assert Santri.objects.count() == 0  # a preview writes no santri

    created, updated = services.import_confirm(user=admin_a, batch=batch)
    assert (created, updated) == (2, 0)
    assert set(Santri.objects.values_list("nis", flat=True)) == {"1001", "1002"}
    siti = Santri.objects.get(nis="1002")
    assert siti.birth_date == date(2008, 3, 15) and siti.gender == "P"
    assert services.card_number_is_valid(siti.card_number)


def test_reimporting_the_same_file_updates_instead_of_duplicating(pes_a, admin_a):
    content = _csv(*GOOD)
    services.import_confirm(
        user=admin_a, batch=services.import_preview(user=admin_a, pesantren=pes_a, filename="a.csv", content=content)
    )
    cards = dict(Santri.objects.values_list("nis", "card_number"))
    again = services.import_preview(user=admin_a, pesantren=pes_a, filename="a.csv", content=content)
    assert (again.new_count, again.update_count) == (0, 3)
    assert services.import_confirm(user=admin_a, batch=again) == (0, 0)  # nothing changed: nothing written
    changed = _csv(GOOD[0].replace("Ahmad Fauzan", "Ahmad Fauzan Hakim"), *GOOD[1:])
    batch = services.import_preview(user=admin_a, pesantren=pes_a, filename="a.csv", content=changed)
    assert services.import_confirm(user=admin_a, batch=batch) == (0, 1)
    assert Santri.objects.count() == 3
    assert Santri.objects.get(nis="1001").name == "Ahmad Fauzan Hakim"
    assert dict(Santri.objects.values_list("nis", "card_number")) == cards  # cards are kept


def test_the_same_nis_in_another_pesantren_is_another_santri(pes_a, admin_a, pes_b, admin_b):
    for pesantren, admin in ((pes_a, admin_a), (pes_b, admin_b)):
        batch = services.import_preview(user=admin, pesantren=pesantren, filename="a.csv", content=_csv(GOOD[0]))
        services.import_confirm(user=admin, batch=batch)
    assert Santri.objects.filter(nis="1001").count() == 2


def test_a_batch_is_imported_once_and_a_failure_writes_nothing(pes_a, admin_a, monkeypatch):
    batch = services.import_preview(user=admin_a, pesantren=pes_a, filename="a.csv", content=_csv(*GOOD))

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("santri.services.registry._assign_cards", boom)
    with pytest.raises(RuntimeError):
        services.import_confirm(user=admin_a, batch=batch)
    assert Santri.objects.count() == 0  # nothing half-written
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    monkeypatch.undo()
    services.import_confirm(user=admin_a, batch=batch)
    with pytest.raises(services.registry.DomainError):
        services.import_confirm(user=admin_a, batch=batch)
    assert Santri.objects.count() == 3


def test_xlsx_import_reads_the_first_sheet(pes_a, admin_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER_ID))
    sheet.append(["2001", "Nur Hidayah", "", "P", date(2008, 7, 1), 2023, "aktif", "Membatik", ""])
    sheet.append([2002, "Tanpa Tahun", "", "L", None, None, "aktif", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = services.import_preview(user=admin_a, pesantren=pes_a, filename="s.XLSX", content=buffer.getvalue())
    assert [e["line"] for e in batch.errors] == [3]
    services.import_confirm(user=admin_a, batch=batch)
    assert Santri.objects.get(nis="2001").birth_date == date(2008, 7, 1)


def test_import_refuses_a_file_without_required_columns_or_of_another_type(pes_a, admin_a):
    with pytest.raises(ValidationError, match="lacks the columns"):
        services.import_preview(user=admin_a, pesantren=pes_a, filename="a.csv", content=b"nama\nAhmad\n")
    with pytest.raises(ValidationError, match=r"csv or \.xlsx"):
        services.import_preview(user=admin_a, pesantren=pes_a, filename="a.pdf", content=b"%PDF")
    with pytest.raises(ValidationError):
        services.import_preview(user=admin_a, pesantren=pes_a, filename="a.xlsx", content=b"not a zip")


def test_only_the_pesantren_admin_imports(pes_a, admin_b, jombang_staff):
    for user in (admin_b, jombang_staff):
        with pytest.raises(PermissionDenied):
            services.import_preview(user=user, pesantren=pes_a, filename="a.csv", content=_csv(*GOOD))


def test_confirm_view_imports_the_stored_rows_not_posted_data(client, pes_a, admin_a):
    client.force_login(admin_a)
    upload = SimpleUploadedFile("santri.csv", _csv(*GOOD), content_type="text/csv")
    response = client.post(reverse("santri:import", args=[pes_a.pk]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.url == reverse("santri:import_preview", args=[batch.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    response = client.post(
        reverse("santri:import_confirm", args=[batch.pk]), {"action": "import", "rows": '[{"nis": "666"}]'}
    )
    assert response.status_code == 302
    assert set(Santri.objects.values_list("nis", flat=True)) == {"1001", "1002", "1003"}


def test_export_csv_reimports_to_the_same_santri(client, pes_a, admin_a):
    SantriFactory.create_batch(3, pesantren=pes_a)
    client.force_login(admin_a)
    response = client.get(reverse("santri:export", args=[pes_a.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == list(HEADER_ID) and len(rows) == 4
    batch = services.import_preview(user=admin_a, pesantren=pes_a, filename="x.csv", content=content)
    assert (batch.new_count, batch.update_count, batch.errors) == (0, 3, [])


# --- scoping -------------------------------------------------------------------------------------


def _urls(santri, pesantren):
    batch = ImportBatch.objects.create(pesantren=pesantren, filename="a.csv")
    token, _plain = services.api_token_create(
        user=pesantren.organisation.memberships.first().user, pesantren=pesantren, name="SIAKAD"
    )
    return [
        ("get", reverse("santri:list", args=[pesantren.pk])),
        ("get", reverse("santri:create", args=[pesantren.pk])),
        ("get", reverse("santri:import", args=[pesantren.pk])),
        ("get", reverse("santri:export", args=[pesantren.pk])),
        ("get", reverse("santri:api_tokens", args=[pesantren.pk])),
        ("get", reverse("santri:business_list", args=[pesantren.pk])),
        ("get", reverse("santri:detail", args=[santri.pk])),
        ("get", reverse("santri:edit", args=[santri.pk])),
        ("post", reverse("santri:delete", args=[santri.pk])),
        ("get", reverse("santri:card", args=[santri.pk])),
        ("get", reverse("santri:import_preview", args=[batch.pk])),
        ("post", reverse("santri:import_confirm", args=[batch.pk])),
        ("post", reverse("santri:api_token_revoke", args=[token.pk])),
    ]


def test_a_foreign_id_answers_404_for_every_registry_view(client, pes_a, pes_b, admin_a, jombang_staff):
    santri_b = SantriFactory(pesantren=pes_b)
    urls = _urls(santri_b, pes_b)
    for user in (admin_a, jombang_staff):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    assert Santri.objects.filter(pk=santri_b.pk).exists()


def test_regional_staff_read_but_do_not_write(client, pes_a, jombang_staff):
    santri = SantriFactory(pesantren=pes_a)
    client.force_login(jombang_staff)
    assert client.get(reverse("santri:list", args=[pes_a.pk])).status_code == 200
    assert client.get(reverse("santri:detail", args=[santri.pk])).status_code == 200
    assert client.get(reverse("santri:create", args=[pes_a.pk])).status_code == 403
    assert client.get(reverse("santri:import", args=[pes_a.pk])).status_code == 403
    assert client.post(reverse("santri:edit", args=[santri.pk]), {"name": "X"}).status_code == 403


def test_list_masks_the_nik_and_pins_its_queries(client, pes_a, admin_a, django_assert_max_num_queries):
    SantriFactory.create_batch(60, pesantren=pes_a)
    santri = Santri.objects.order_by("name").first()
    client.force_login(admin_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("santri:list", args=[pes_a.pk]))
    html = response.content.decode()
    assert santri.nik not in html
    assert santri.nik[-4:] in html


def test_admin_adds_and_edits_a_santri_with_the_import_rules(client, pes_a, admin_a):
    client.force_login(admin_a)
    data = {"nis": "777", "name": "Zainal Arifin", "nik": "123", "gender": "L", "entry_year": 2022, "status": "active"}
    response = client.post(reverse("santri:create", args=[pes_a.pk]), data)
    assert "NIK terdiri dari tepat 16 digit." in response.content.decode()  # Indonesian by default
    data["nik"] = "3517010101070009"
    response = client.post(reverse("santri:create", args=[pes_a.pk]), data)
    santri = Santri.objects.get(nis="777")
    assert response.url == reverse("santri:detail", args=[santri.pk])
    other = SantriFactory(pesantren=pes_a, nis="778")
    response = client.post(reverse("santri:edit", args=[other.pk]), {**data, "name": "Dobel"})
    assert "Santri lain di pesantren ini sudah memakai NIS 777." in response.content.decode()


# --- API -----------------------------------------------------------------------------------------


def _api(client, token, body):
    return client.post(
        reverse("santri:api_upsert"),
        data=json.dumps(body) if not isinstance(body, bytes) else body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_api_token_is_shown_once_and_only_its_hash_is_kept(client, pes_a, admin_a):
    client.force_login(admin_a)
    response = client.post(reverse("santri:api_tokens", args=[pes_a.pk]), {"name": "SIAKAD"})
    token = ApiToken.objects.get()
    plain = response.context["plain"]
    assert plain.startswith("opop_") and plain in response.content.decode()
    assert token.token_hash != plain and plain not in token.token_hash
    assert plain not in client.get(reverse("santri:api_tokens", args=[pes_a.pk])).content.decode()


def test_api_upserts_by_nis_with_per_row_errors(client, pes_a, admin_a):
    _token, plain = services.api_token_create(user=admin_a, pesantren=pes_a, name="SIAKAD")
    body = {
        "santri": [
            {"nis": "A1", "name": "Ahmad", "gender": "L", "entry_year": 2022},
            {"nis": "A2", "name": "Bad", "gender": "X", "entry_year": 2022, "nik": "1"},
            {"nis": "A3", "nama": "ignored alias", "name": "Siti", "gender": "P", "entry_year": 2023},
        ]
    }
    response = _api(client, plain, body)
    assert response.status_code == 200
    data = response.json()
    assert (data["created"], data["updated"]) == (2, 0)
    assert data["errors"][0]["row"] == 2 and data["errors"][0]["nis"] == "A2"
    assert "Jenis kelamin harus L atau P." in data["errors"][0]["errors"]  # Indonesian unless asked otherwise
    response = _api(client, plain, {"santri": [{"nis": "A1", "name": "Ahmad Baru", "gender": "L", "entry_year": 2022}]})
    assert response.json()["updated"] == 1
    assert Santri.objects.filter(pesantren=pes_a).count() == 2
    assert Santri.objects.get(nis="A1").name == "Ahmad Baru"


def test_api_refuses_bad_tokens_revoked_tokens_and_oversized_batches(client, pes_a, admin_a):
    token, plain = services.api_token_create(user=admin_a, pesantren=pes_a, name="SIAKAD")
    row = {"nis": "A1", "name": "Ahmad", "gender": "L", "entry_year": 2022}
    assert _api(client, "opop_wrong", {"santri": [row]}).status_code == 401
    assert _api(client, plain, b"{not json").status_code == 400
    assert _api(client, plain, {"santri": "x"}).status_code == 400
    too_many = [{**row, "nis": f"N{i}"} for i in range(services.registry.API_MAX_BATCH + 1)]
    assert _api(client, plain, {"santri": too_many}).status_code == 400
    services.api_token_revoke(user=admin_a, token=token)
    assert _api(client, plain, {"santri": [row]}).status_code == 401
    assert Santri.objects.count() == 0


# --- Kartu Santri --------------------------------------------------------------------------------


def test_card_check_digit_detects_every_single_digit_error(pes_a):
    santri = SantriFactory(pesantren=pes_a)
    number = santri.card_number
    assert len(number) == 13 and services.card_number_is_valid(number)
    for position in range(len(number)):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            wrong = number[:position] + digit + number[position + 1 :]
            assert not services.card_number_is_valid(wrong), wrong


def test_card_numbers_are_unique(pes_a, pes_b):
    santri = SantriFactory.create_batch(5, pesantren=pes_a) + SantriFactory.create_batch(5, pesantren=pes_b)
    assert len({s.card_number for s in santri}) == 10


def test_public_card_page_shows_name_pesantren_validity_and_no_private_data(client, pes_a):
    santri = SantriFactory(pesantren=pes_a, nik="3517012345678901", birth_date=date(2007, 8, 17))
    response = client.get(reverse("santri:card_verify", args=[santri.card_token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert santri.name in html and pes_a.name in html
    assert "Valid" in html or "Berlaku" in html
    for private in (santri.nik, santri.nik[-4:], "2007-08-17", "17/08/2007", "17 Agu 2007", "17 Aug 2007", santri.nis):
        assert private not in html, private
    santri.status = Santri.Status.GRADUATED
    santri.save()
    assert "card_valid" not in html
    assert not client.get(reverse("santri:card_verify", args=[santri.card_token])).context["santri"].card_valid


def test_printable_card_has_an_svg_qr_code_to_the_verification_page(client, pes_a, admin_a):
    santri = SantriFactory(pesantren=pes_a)
    client.force_login(admin_a)
    html = client.get(reverse("santri:card", args=[santri.pk])).content.decode()
    assert "<svg" in html
    assert reverse("santri:card_verify", args=[santri.card_token]) in html


def test_the_card_downloads_as_a_credit_card_sized_png_with_a_qr_code(client, pes_a, admin_a):
    from io import BytesIO

    from PIL import Image

    santri = SantriFactory(pesantren=pes_a)
    client.force_login(admin_a)
    response = client.get(reverse("santri:card_png", args=[santri.pk]))
    assert response["Content-Type"] == "image/png"
    assert santri.card_number in response["Content-Disposition"]
    image = Image.open(BytesIO(response.content))
    assert image.size == (1012, 638)
    qr_area = image.convert("L").crop((672, 170, 972, 470))
    dark = sum(1 for value in qr_area.get_flattened_data() if value < 80)
    assert 0.2 < dark / (300 * 300) < 0.8  # a QR code, not an empty square


def test_another_pesantrens_card_png_answers_404(client, pes_a, pes_b, admin_b):
    santri = SantriFactory(pesantren=pes_a)
    client.force_login(admin_b)
    assert client.get(reverse("santri:card_png", args=[santri.pk])).status_code == 404


# --- santripreneur status ------------------------------------------------------------------------


def test_business_members_become_santripreneurs_counted_by_pesantren_region_and_year(
    pes_a, pes_b, admin_a, admin_b, province_staff, jombang_staff
):
    a1, a2 = SantriFactory.create_batch(2, pesantren=pes_a)
    b1 = SantriFactory(pesantren=pes_b)
    services.santri_business_save(
        user=admin_a,
        pesantren=pes_a,
        members=[a1, a2],
        name="Kopi Santri",
        sector="food",
        started_on=date(2024, 3, 1),
        monthly_omzet=4_500_000,
    )
    assert DirtyFigureKey.objects.filter(month=date(2024, 3, 1), kabupaten_kota_id="35.17").exists()
    services.track_complete(user=admin_b, santri=b1, completed_on=date(2025, 6, 10))
    b1.refresh_from_db()
    assert b1.santripreneur_since == date(2025, 6, 10)
    with pytest.raises(ValidationError):
        services.santri_business_save(
            user=admin_a, pesantren=pes_a, members=[b1], name="X", sector="food", started_on=date(2024, 1, 1)
        )
    from santri.selectors import santripreneur_counts

    by_region = {r["key"]: r["total"] for r in santripreneur_counts(user=province_staff, by="kabupaten_kota")}
    assert by_region == {"35.14": 1, "35.17": 2}
    assert {r["key"]: r["total"] for r in santripreneur_counts(user=province_staff, by="year")} == {2024: 2, 2025: 1}
    assert [r["total"] for r in santripreneur_counts(user=jombang_staff, by="pesantren")] == [2]
    # a second business does not count the same santri twice
    services.santri_business_save(
        user=admin_a, pesantren=pes_a, members=[a1], name="Batik Santri", sector="fashion", started_on=date(2025, 1, 1)
    )
    assert sum(r["total"] for r in santripreneur_counts(user=province_staff, by="pesantren")) == 3


def test_the_santri_csv_has_the_bom_a_non_ascii_name_and_one_audit_event(client, pes_a, admin_a):
    SantriFactory(pesantren=pes_a, name=f"Siti {NON_ASCII}")
    client.force_login(admin_a)
    rows = assert_csv_export(
        client.get(reverse("santri:export", args=[pes_a.pk])), action="santri.exported", actor=admin_a
    )
    assert rows[1][1] == f"Siti {NON_ASCII}"
