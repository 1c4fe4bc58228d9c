"""One validator for every way santri rows arrive: the CSV/XLSX import and the JSON API.

A row is a mapping of column → value. Columns may be named in Indonesian or English; both map to
the model's field names. `validate_row` returns the clean row (JSON-safe: the birth date as an ISO
string) or the list of reasons it was refused.
"""

import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from opop.imports import row_error
from santri.models import Santri

COLUMNS = ("nis", "name", "nik", "gender", "birth_date", "entry_year", "status", "skills", "interests")
# Export header, also accepted on import.
HEADER_ID = ("nis", "nama", "nik", "jenis_kelamin", "tanggal_lahir", "tahun_masuk", "status", "keterampilan", "minat")
ALIASES = {
    **dict(zip(HEADER_ID, COLUMNS, strict=True)),
    **{column: column for column in COLUMNS},
    "jk": "gender",
    "l/p": "gender",
    "tahun masuk": "entry_year",
    "tanggal lahir": "birth_date",
    "jenis kelamin": "gender",
}
GENDERS = {
    "l": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "male": "L",
    "m": "L",
    "p": "P",
    "perempuan": "P",
    "female": "P",
    "f": "P",
}
STATUSES = {
    "active": "active",
    "aktif": "active",
    "graduated": "graduated",
    "lulus": "graduated",
    "alumni": "graduated",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
NIS_RE = re.compile(r"^[A-Za-z0-9./-]{1,30}$")


def normalise_header(header) -> list[str | None]:
    """Map a file's header cells to field names; unknown columns become None (ignored)."""
    return [ALIASES.get(str(cell or "").strip().lower()) for cell in header]


def normalise_keys(raw: dict) -> dict:
    """An API row's keys through the same ALIASES as a file's header (`nama` → `name`, …); unknown keys
    are dropped. When a field is given twice (`name` and `nama`), the field's own name wins."""
    row: dict = {}
    for key, value in raw.items():
        text = str(key).strip().lower()
        field = ALIASES.get(text)
        if field is not None and (field not in row or text == field):
            row[field] = value
    return row


def missing_columns(fields) -> list[str]:
    return [column for column in ("nis", "name", "gender", "entry_year") if column not in fields]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def validate_row(raw: dict) -> tuple[dict | None, list[str]]:
    """Check one row. Returns (clean row, []) or (None, reasons)."""
    errors: list[str] = []
    clean: dict = {}
    if any(isinstance(value, str) and "\x00" in value for value in raw.values()):
        # PostgreSQL cannot store a NUL character in text: refuse the row here, not with a database error.
        errors.append(_("The row contains a NUL character (\\x00)."))
    nis = _text(raw.get("nis"))
    if not nis:
        errors.append(_("NIS is empty."))
    elif not NIS_RE.match(nis):
        errors.append(_("NIS may only hold letters, digits, '.', '/' and '-' (at most 30)."))
    clean["nis"] = nis
    name = " ".join(_text(raw.get("name")).split())
    if not name:
        errors.append(_("Name is empty."))
    elif len(name) > 150:
        errors.append(_("Name is longer than 150 characters."))
    clean["name"] = name
    nik = _text(raw.get("nik")).replace(" ", "")
    if nik and not re.fullmatch(r"\d{16}", nik):
        errors.append(_("A NIK has exactly 16 digits."))
    clean["nik"] = nik
    gender = GENDERS.get(_text(raw.get("gender")).lower())
    if gender is None:
        errors.append(_("Gender must be L or P."))
    clean["gender"] = gender
    birth_raw = raw.get("birth_date")
    birth = None
    if _text(birth_raw):
        birth = _parse_date(birth_raw)
        if birth is None:
            errors.append(_("Birth date is not a date (use YYYY-MM-DD or DD/MM/YYYY)."))
        elif birth > timezone.localdate() or birth.year < 1900:
            errors.append(_("Birth date is not plausible."))
    clean["birth_date"] = birth.isoformat() if birth else None
    year_text = _text(raw.get("entry_year"))
    this_year = timezone.localdate().year
    try:
        year = int(year_text)
    except ValueError:
        year = None
    if year is None or not 1900 <= year <= this_year + 1:
        errors.append(_("Entry year must be a year between 1900 and %(max)s.") % {"max": this_year + 1})
    elif birth and year < birth.year:
        errors.append(_("Entry year is before the birth date."))
    clean["entry_year"] = year
    status_text = _text(raw.get("status")).lower()
    status = STATUSES.get(status_text or "active")
    if status is None:
        errors.append(_("Status must be active (aktif) or graduated (lulus)."))
    clean["status"] = status
    for field in ("skills", "interests"):
        value = _text(raw.get(field))
        if len(value) > 255:
            errors.append(_("%(field)s is longer than 255 characters.") % {"field": field})
        clean[field] = value
    return (None, errors) if errors else (clean, [])


def validate_rows(rows) -> tuple[list[dict], list[dict]]:
    """Validate (line, raw row) pairs. A NIS repeated in the same batch is refused on its later line.

    Returns (clean rows, errors as {"line", "nis", "reasons"}).
    """
    good: list[dict] = []
    bad: list[dict] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        clean, reasons = validate_row(raw)
        nis = clean["nis"] if clean else _text(raw.get("nis"))
        if clean and nis in seen:
            clean, reasons = (
                None,
                [_("NIS %(nis)s is repeated (first on line %(line)s).") % {"nis": nis, "line": seen[nis]}],
            )
        if clean is None:
            bad.append(row_error(line=line, reasons=reasons, nis=nis))
        else:
            seen[nis] = line
            good.append(clean)
    return good, bad


def to_model_values(clean: dict) -> dict:
    values = dict(clean)
    values["birth_date"] = date.fromisoformat(clean["birth_date"]) if clean.get("birth_date") else None
    return values


def santri_to_row(santri: Santri) -> list:
    """One export line, in HEADER_ID's order; re-importing the file updates the same santri."""
    return [
        santri.nis,
        santri.name,
        santri.nik,
        santri.gender,
        santri.birth_date.isoformat() if santri.birth_date else "",
        santri.entry_year,
        santri.status,
        santri.skills,
        santri.interests,
    ]
