"""Formatters for report tables: the same `Table` as CSV or XLSX (the HTML one is a template)."""

import csv
import re
from io import BytesIO

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.tables import Table


def _filename(table: Table, extension: str) -> str:
    return f"opop-{slugify(table.slug)}.{extension}"


def table_csv(table: Table) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.writer(response)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([table.plain(column, row) for column in table.columns])
    return response


def table_xlsx(table: Table) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    # Excel refuses []:*?/\ in a sheet name ("Kabupaten/kota" would crash the download).
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", str(table.title))[:31] or "OPOP"
    sheet.append([str(column.label) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([table.plain(column, row) for column in table.columns])
    for index, column in enumerate(table.columns, start=1):
        if column.kind == "rupiah":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = '"Rp"#,##0'
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response


FORMATTERS = {"csv": table_csv, "xlsx": table_xlsx}
