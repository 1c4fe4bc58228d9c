"""The one preview-then-apply import: read an uploaded spreadsheet (CSV or XLSX), check its rows, keep the
checked rows and the row errors on the server (a `StoredImport` row: opop.ImportPreview, or an app's own
subclass such as the santri ImportBatch), then confirm it once or discard it. Used by the seller's bulk
price/stock update and the santri import. App-agnostic: each app maps the header to its own fields (the
santri import keeps its alias table), checks its rows and applies them.

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
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.models import StoredImport
from opop.services import DomainError


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


def row_error(*, line: int, reasons: list[str], **extra) -> dict:
    """One rejected row as a stored preview keeps it (JSON): its line in the file and why, plus what the page shows."""
    return {"line": line, "reasons": list(reasons), **extra}


def preview_store(
    *, model: type[StoredImport], user, filename: str, rows: list, errors: list[dict], total_rows: int, **fields
) -> StoredImport:
    """Keep a checked file on the server until it is confirmed or discarded."""
    return model.objects.create(
        created_by=user,
        filename=(filename or "")[:255],
        rows=rows,
        errors=errors,
        total_rows=total_rows,
        **fields,
    )


@transaction.atomic
def preview_confirm(*, queryset, pk: int, apply, update_fields=()):
    """Apply a stored preview once: lock it, refuse one already imported or discarded, call `apply(preview)` (which
    checks who may and raises to change nothing), then mark it imported and drop the rows (the target tables now hold
    them). Returns what `apply` returned. `update_fields` names the fields `apply` set on the preview."""
    preview = queryset.select_for_update().get(pk=pk)
    if preview.status != StoredImport.Status.PREVIEW:
        raise DomainError(_("This file was already imported or discarded."))
    result = apply(preview)
    preview.status = StoredImport.Status.IMPORTED
    preview.imported_at = timezone.now()
    preview.rows = []
    preview.save(update_fields=["status", "imported_at", "rows", "updated_at", *update_fields])
    return result


@transaction.atomic
def preview_discard(*, queryset, pk: int, authorise=None) -> None:
    """Drop a stored preview that was not imported; `authorise(preview)` raises for someone who may not."""
    preview = queryset.select_for_update().get(pk=pk)
    if authorise is not None:
        authorise(preview)
    if preview.status == StoredImport.Status.PREVIEW:
        preview.status = StoredImport.Status.DISCARDED
        preview.rows = []
        preview.save(update_fields=["status", "rows", "updated_at"])
