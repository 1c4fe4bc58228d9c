"""The one import preview (opop.imports): the reader of uploaded spreadsheets, the row errors, the stored preview and
its confirm/discard, used by the seller bulk update and the santri import."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from opop.imports import preview_confirm, preview_discard, preview_store, row_error, upload_read
from opop.models import ImportPreview, StoredImport
from opop.services import DomainError
from opop.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "content",
    [
        "nama,kota\nSiti Hudā,Çiamis\n".encode(),
        "\ufeffnama,kota\nSiti Hudā,Çiamis\n".encode(),  # Excel's "CSV UTF-8"
        "nama;kota\nSiti Hudā;Çiamis\n".encode(),  # Excel with Indonesian regional settings
        "nama;kota\nSiti Hudā;Çiamis\n".encode("cp1252", errors="replace").replace(
            b"?", "ā".encode("cp1252", "replace")
        ),
    ],
)
def test_a_csv_is_read_whatever_the_encoding_and_delimiter(content):
    table = upload_read(filename="DATA.CSV", content=content, max_rows=10)
    assert table.header == ["nama", "kota"]
    [(line, cells)] = table.rows
    assert line == 2 and cells[1] == "Çiamis" and cells[0].startswith("Siti Hud")


def test_blank_rows_are_skipped_and_lines_are_the_spreadsheets():
    table = upload_read(filename="a.csv", content=b"nama\n\nAhmad\n,\nSiti\n", max_rows=10)
    assert table.rows == [(3, ["Ahmad"]), (5, ["Siti"])]


def test_an_xlsx_keeps_its_cell_types():
    workbook = Workbook()
    workbook.active.append(["nama", "lahir"])
    workbook.active.append(["Siti", date(2007, 2, 19)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = upload_read(filename="a.xlsx", content=buffer.getvalue(), max_rows=10)
    assert table.header == ["nama", "lahir"]
    assert table.rows[0][1][0] == "Siti" and table.rows[0][1][1].date() == date(2007, 2, 19)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("a.txt", b"nama\nSiti\n", "Upload a .csv or .xlsx file."),
        ("a.csv", b"\n,\n", "The file is empty."),
        ("a.xlsx", b"not a zip", "This XLSX file cannot be read."),
        ("a.csv", b"nama\n1\n2\n3\n", "A file may hold at most 2 rows."),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_reason(filename, content, message):
    with pytest.raises(ValidationError) as exc:
        upload_read(filename=filename, content=content, max_rows=2)
    assert exc.value.messages == [message]


# --- the stored preview ------------------------------------------------------------------------------------------


def _stored(**fields):
    return preview_store(
        model=ImportPreview,
        user=fields.pop("user", None) or UserFactory(),
        filename="x" * 300 + ".csv",
        rows=[{"sku": "A", "stock": 3}],
        errors=[row_error(line=3, reasons=["Bad stock."], sku="B")],
        total_rows=2,
        organisation=fields.pop("organisation", None) or OrganisationFactory(),
        kind="test.kind",
    )


def test_a_preview_is_kept_on_the_server_with_its_rows_and_row_errors(db):
    preview = _stored()
    preview.refresh_from_db()
    assert preview.status == StoredImport.Status.PREVIEW
    assert preview.rows == [{"sku": "A", "stock": 3}]
    assert preview.errors == [{"line": 3, "reasons": ["Bad stock."], "sku": "B"}]
    assert preview.total_rows == 2 and len(preview.filename) == 255


def test_confirm_applies_the_stored_rows_once_and_drops_them(db):
    preview = _stored()
    applied = []

    def apply(stored):
        applied.append(list(stored.rows))
        return len(stored.rows)

    assert preview_confirm(queryset=ImportPreview.objects.all(), pk=preview.pk, apply=apply) == 1
    preview.refresh_from_db()
    assert applied == [[{"sku": "A", "stock": 3}]]
    assert preview.status == StoredImport.Status.IMPORTED and preview.imported_at is not None
    assert preview.rows == []
    with translation.override("en"), pytest.raises(DomainError, match="already imported or discarded"):
        preview_confirm(queryset=ImportPreview.objects.all(), pk=preview.pk, apply=apply)
    assert len(applied) == 1


def test_an_apply_that_refuses_leaves_the_preview_to_try_again(db):
    preview = _stored()

    def apply(stored):
        stored.total_rows = 99  # a change on the preview is rolled back with the rest
        raise DomainError("no")

    with pytest.raises(DomainError):
        preview_confirm(queryset=ImportPreview.objects.all(), pk=preview.pk, apply=apply)
    preview.refresh_from_db()
    assert preview.status == StoredImport.Status.PREVIEW and preview.rows and preview.total_rows == 2


def test_confirm_only_finds_a_preview_in_the_given_scope(db):
    preview = _stored()
    other = OrganisationFactory()
    with pytest.raises(ImportPreview.DoesNotExist):
        preview_confirm(
            queryset=ImportPreview.objects.filter(organisation=other),
            pk=preview.pk,
            apply=lambda stored: len(stored.rows),
        )
    preview.refresh_from_db()
    assert preview.status == StoredImport.Status.PREVIEW


def test_discard_drops_the_rows_and_a_discarded_preview_cannot_be_imported(db):
    preview = _stored()
    preview_discard(queryset=ImportPreview.objects.all(), pk=preview.pk)
    preview.refresh_from_db()
    assert preview.status == StoredImport.Status.DISCARDED and preview.rows == []
    with pytest.raises(DomainError):
        preview_confirm(queryset=ImportPreview.objects.all(), pk=preview.pk, apply=lambda stored: len(stored.rows))


def test_discard_asks_who_may_and_changes_nothing_when_refused(db):
    preview = _stored()

    def refuse(stored):
        raise DomainError("not yours")

    with pytest.raises(DomainError):
        preview_discard(queryset=ImportPreview.objects.all(), pk=preview.pk, authorise=refuse)
    preview.refresh_from_db()
    assert preview.status == StoredImport.Status.PREVIEW


def test_an_imported_preview_is_not_discarded(db):
    preview = _stored()
    preview_confirm(queryset=ImportPreview.objects.all(), pk=preview.pk, apply=lambda stored: len(stored.rows))
    preview_discard(queryset=ImportPreview.objects.all(), pk=preview.pk)
    preview.refresh_from_db()
    assert preview.status == StoredImport.Status.IMPORTED
