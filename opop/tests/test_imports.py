"""The one reader of uploaded spreadsheets (opop.imports), used by the seller bulk update and the santri import."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from opop.imports import upload_read


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
