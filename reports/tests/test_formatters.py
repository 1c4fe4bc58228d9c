import io

from openpyxl import load_workbook

from reports.formatters import table_xlsx
from reports.tables import Column, Table


def test_an_xlsx_download_survives_a_title_excel_refuses_as_a_sheet_name():
    table = Table(
        slug="regions",
        title="Per kabupaten/kota: omzet [2026]?",
        columns=[Column("region", "Kabupaten/kota", "text"), Column("omzet", "Omzet", "rupiah")],
        rows=[{"region": "Kab. Jombang", "omzet": 1_500_000}],
    )
    response = table_xlsx(table)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Per kabupaten-kota- omzet -2026"
    assert [cell.value for cell in sheet[2]] == ["Kab. Jombang", 1_500_000]
