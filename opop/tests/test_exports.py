"""The one export path (opop.exports): BOM, formula-safe cells, several tables per file, one audit event."""

import csv
import io

import pytest
from openpyxl import load_workbook

from opop.exports import CSV_BOM, export_response, rows_table, safe_cell, xlsx_bytes
from opop.models import AuditEvent
from opop.tables import Column, Table


def test_an_xlsx_download_survives_a_title_excel_refuses_as_a_sheet_name():
    table = Table(
        slug="regions",
        title="Per kabupaten/kota: omzet [2026]?",
        columns=[Column("region", "Kabupaten/kota", "text"), Column("omzet", "Omzet", "rupiah")],
        rows=[{"region": "Kab. Jombang", "omzet": 1_500_000}],
    )
    content, rows = xlsx_bytes([table])
    sheet = load_workbook(io.BytesIO(content)).active
    assert rows == 1
    assert sheet.title == "Per kabupaten-kota- omzet -2026"
    assert [cell.value for cell in sheet[2]] == ["Kab. Jombang", 1_500_000]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x.test")', '\'=HYPERLINK("http://x.test")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("+62 812 3456 7890", "+62 812 3456 7890"),  # a phone stays a phone (the santri file is re-imported)
        ("-5", "-5"),
        (-5, -5),
        ("Kopi Hudā", "Kopi Hudā"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(value, written):
    assert safe_cell(value) == written


@pytest.mark.django_db
def test_a_csv_has_the_bom_all_its_tables_and_one_audit_event(admin_a, pesantren_a):
    first = rows_table(slug="day", labels=["nama", "jumlah"], rows=iter([["Ma'had Hudā", 1], ["Çiamis", 2]]))
    summary = rows_table(slug="close", labels=["total"], rows=[[3]])
    response = export_response(
        tables=[first, summary],
        file_format="csv",
        actor=admin_a,
        dataset="test.day",
        filename="hari",
        organisation=pesantren_a,
        filters={"day": "2026-11-24"},
    )
    assert response.content.startswith(CSV_BOM.encode())
    assert response["Content-Disposition"] == 'attachment; filename="hari.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["nama", "jumlah"], ["Ma'had Hudā", "1"], ["Çiamis", "2"], [], ["total"], ["3"]]
    event = AuditEvent.objects.get(action="test.day.exported")
    assert event.actor == admin_a and event.organisation == pesantren_a
    assert event.data == {"rows": 2, "format": "csv", "filters": {"day": "2026-11-24"}}


@pytest.mark.django_db
def test_an_unknown_format_is_refused(admin_a):
    with pytest.raises(ValueError):
        export_response(tables=rows_table(slug="x", labels=[], rows=[]), file_format="pdf", actor=admin_a, dataset="x")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_streamed_csv_is_the_same_file_audited_with_the_callers_count(admin_a):
    def tables():
        rows = (row for row in [["=1+1", "Hudā"], ["Çiamis", 2]])  # a generator, as over .iterator()
        return [rows_table(slug="big", labels=["a", "b"], rows=rows), rows_table(slug="t", labels=["n"], rows=[[2]])]

    buffered = export_response(tables=tables(), file_format="csv", actor=admin_a, dataset="test.buffered")
    streamed = export_response(
        tables=tables(), file_format="csv", actor=admin_a, dataset="test.big", rows=2, stream=True
    )
    assert streamed.streaming and b"".join(streamed.streaming_content) == buffered.content
    assert streamed["Content-Disposition"] == 'attachment; filename="opop-big.csv"'
    assert AuditEvent.objects.get(action="test.big.exported").data == {"rows": 2, "format": "csv"}


@pytest.mark.django_db
@pytest.mark.parametrize(("file_format", "rows"), [("xlsx", 1), ("csv", None)])
def test_only_a_counted_csv_streams(admin_a, file_format, rows):
    table = rows_table(slug="x", labels=["a"], rows=[[1]])
    with pytest.raises(ValueError):
        export_response(tables=table, file_format=file_format, actor=admin_a, dataset="x", rows=rows, stream=True)
    assert not AuditEvent.objects.exists()
