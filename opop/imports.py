"""The one reader of an uploaded spreadsheet (CSV or XLSX) for a preview-then-apply import: the seller's bulk
price/stock update and the santri import. App-agnostic: each app maps the header to its own fields (the
santri import keeps its alias table) and checks its rows.

The rules, the same for every import:
- `.csv` or `.xlsx` by the file name, anything else refused;
- a CSV is read as UTF-8 (with or without the BOM Excel writes), else as Windows-1252 — what Excel on an
  Indonesian Windows saves as "CSV (Comma delimited)" — so an old file is read rather than refused;
- the delimiter is the comma or the semicolon (Excel with Indonesian regional settings writes `;`),
  whichever the first lines use more;
- blank rows are skipped; line numbers are the spreadsheet's (the header is line 1);
- at most `max_rows` rows, else the whole file is refused.
Raises `ValidationError` with a message for the person who uploaded the file.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass
class UploadedTable:
    header: list[str]
    # (line number, cells): CSV cells are text; XLSX cells keep their type (a date is a date), None when empty.
    rows: list[tuple[int, list]] = field(default_factory=list)


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("This XLSX file cannot be read.")) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def upload_read(*, filename: str, content: bytes, max_rows: int) -> UploadedTable:
    """Read an uploaded file by the rules above into its header and non-blank rows."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    header = None
    table = UploadedTable(header=[])
    for line, cells in enumerate(rows, start=1):
        if not any(str(cell if cell is not None else "").strip() for cell in cells):
            continue
        if header is None:
            header = table.header = ["" if cell is None else str(cell).strip() for cell in cells]
            continue
        if len(table.rows) >= max_rows:
            raise ValidationError(_("A file may hold at most %(max)s rows.") % {"max": max_rows})
        table.rows.append((line, list(cells)))
    if header is None:
        raise ValidationError(_("The file is empty."))
    return table
