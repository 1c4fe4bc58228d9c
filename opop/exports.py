"""The one way to download a data set: `Table`s (opop.tables) through the CSV or XLSX formatter, with one
audit event (`opop.services.export_record`). Every CSV starts with the UTF-8 byte-order mark, so Excel
reads a name such as "Pondok Pesantren Ma'hadul 'Ulum Çiamis" as written, not garbled; every text
cell a spreadsheet would run as a formula is kept as text.

    return export_response(tables=table, file_format="csv", actor=request.user, dataset="halal.product_queue")

A view builds its rows (a list, or a generator for a big file) and calls `export_response`; nothing else
writes CSV for a person to download.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from opop.models import Organisation, User
from opop.services import export_record
from opop.tables import Column, Table

CSV_BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
_NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def safe_cell(value):
    """A text cell a spreadsheet would run as a formula (=SUM(…), @…, +HYPERLINK(…)) is kept as text by a
    leading apostrophe. Numbers pass unchanged, and so do "+62 812…" and "-5": a spreadsheet reads those as
    numbers, not formulas, and a re-imported phone must stay a phone."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in ("=", "@", "\t", "\r") or (value[0] in "+-" and not _NUMBER.fullmatch(value.replace(" ", ""))):
        return f"'{value}"
    return value


def rows_table(*, slug: str, labels: Sequence[str], rows: Iterable[Sequence], title: str = "") -> Table:
    """A table of plain rows (lists in the order of `labels`), for an export that has no report generator."""
    columns = [Column(f"c{index}", label, "text") for index, label in enumerate(labels)]
    keys = [column.key for column in columns]
    return Table(
        slug=slug,
        title=title or slug,
        columns=columns,
        rows=(dict(zip(keys, row, strict=False)) for row in rows),
    )


def _cells(table: Table, row: dict) -> list:
    return [safe_cell(table.plain(column, row)) for column in table.columns]


def write_csv(out, tables: Sequence[Table]) -> int:
    """Write the BOM, then each table (its header and rows; a blank line between tables) to `out`.
    Returns the number of rows of the first table, the data set (the others are summaries)."""
    out.write(CSV_BOM)
    writer = csv.writer(out)
    count = 0
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([str(column.label) for column in table.columns])
        for row in table.rows:
            writer.writerow(_cells(table, row))
            count += not index
    return count


def xlsx_bytes(tables: Sequence[Table]) -> tuple[bytes, int]:
    """One sheet per table, header bold, rupiah columns formatted. Returns the file and the first table's rows."""
    workbook = Workbook()
    count = 0
    for index, table in enumerate(tables):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        # Excel refuses []:*?/\ in a sheet name ("Kabupaten/kota" would crash the download).
        sheet.title = re.sub(r"[\[\]:*?/\\]", "-", str(table.title))[:31] or f"OPOP {index + 1}"
        sheet.append([str(column.label) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(_cells(table, row))
            count += not index
        for position, column in enumerate(table.columns, start=1):
            if column.kind == "rupiah":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.number_format = '"Rp"#,##0'
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_response(
    *,
    tables: Table | Sequence[Table],
    file_format: str,
    actor: User | None,
    dataset: str,
    filename: str = "",
    rows: int | None = None,
    organisation: Organisation | None = None,
    region: str | None = None,
    filters: dict | None = None,
    stream: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """The download of `tables` as CSV or XLSX, audited as `<dataset>.exported` (who, how many rows — the
    first table's unless `rows` says otherwise —, in which organisation or region, filtered how).
    `stream=True` sends a CSV line by line (its rows a generator over `.iterator()`), for a big data set whose
    rows the caller counted.
    `filename` without extension; by default `opop-<slug>`. Raises ValueError for an unknown format."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format {file_format!r}")
    tables = [tables] if isinstance(tables, Table) else list(tables)
    if stream:
        if file_format != "csv" or rows is None:
            raise ValueError("Only a CSV streams, and its rows are counted by the caller (rows=…)")
        # The file is sent line by line as its rows come, so neither memory nor the first byte waits for the
        # last row; audited up front with the caller's count.
        response = StreamingHttpResponse(
            _csv_lines(tables, translation.get_language()), content_type="text/csv; charset=utf-8"
        )
        count = rows
    elif file_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        count = write_csv(response, tables)
    else:
        content, count = xlsx_bytes(tables)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = filename or f"opop-{slugify(tables[0].slug)}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    export_record(
        actor=actor,
        dataset=dataset,
        rows=count if rows is None else rows,
        file_format=file_format,
        organisation=organisation,
        region=region,
        filters=filters,
    )
    return response


class _Echo:
    """A file whose write() hands the line back: csv.writer formats, the response streams it."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(tables: Sequence[Table], language: str | None):
    """The lines `write_csv` writes, made while the response is sent (after the view returned, so in the
    request's language)."""
    with translation.override(language):
        writer = csv.writer(_Echo())
        yield CSV_BOM
        for index, table in enumerate(tables):
            if index:
                yield writer.writerow([])
            yield writer.writerow([str(column.label) for column in table.columns])
            for row in table.rows:
                yield writer.writerow(_cells(table, row))
