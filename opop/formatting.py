"""Indonesian formatting, one implementation each: money, phone numbers, dates."""

import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

_MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_rupiah(amount: int | None) -> str:
    """`Rp15.000`: capital R, no space, dot for thousands, no decimals (PUEBI). Negative: `-Rp15.000`."""
    if amount is None or amount == "":
        return ""
    value = round(float(amount)) if not isinstance(amount, int) else amount
    sign = "-" if value < 0 else ""
    grouped = f"{abs(value):,}".replace(",", ".")
    return f"{sign}Rp{grouped}"


_PHONE_CLEAN = re.compile(r"[\s\-().]")


def normalise_phone(raw: str) -> str:
    """Return the number as `+62…`. Accepts `08…`, `62…`, `+62…` with spaces, dashes or brackets."""
    value = _PHONE_CLEAN.sub("", raw or "")
    if value.startswith("+62"):
        digits = value[3:]
    elif value.startswith("62"):
        digits = value[2:]
    elif value.startswith("0"):
        digits = value[1:]
    else:
        raise ValueError(_("Write the phone number as 08… or +62…."))
    if not digits.isdigit() or digits.startswith("0"):
        raise ValueError(_("A phone number has only digits after 0 or +62."))
    if not 8 <= len(digits) <= 12:
        raise ValueError(_("A phone number has 9 to 13 digits including the leading 0."))
    return f"+62{digits}"


def format_date(value: date | datetime | None, language: str = "id") -> str:
    """`22 Nov 2026`, in WIB for datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    months = _MONTHS_ID if language.startswith("id") else _MONTHS_EN
    return f"{value.day} {months[value.month - 1]} {value.year}"


# Big numbers in words, per language: Indonesian counts ribu, juta, miliar, triliun; English thousand, million,
# billion, trillion. "M" is miliar (10⁹) to an Indonesian and million (10⁶) to an English reader, so the short
# forms differ too: "1,7 M" / "1.7 B".
_SCALES = {
    "id": ((1e12, "T", "triliun"), (1e9, "M", "miliar"), (1e6, "jt", "juta"), (1e3, "rb", "ribu")),
    "en": ((1e12, "T", "trillion"), (1e9, "B", "billion"), (1e6, "M", "million"), (1e3, "k", "thousand")),
}


def format_compact(value: float | int | None, *, long: bool = False, language: str | None = None) -> str:
    """`1,7 M` / `1.7 B` (short, chart axes) or `1,7 miliar` / `1.7 billion` (long, tooltips and text), in the
    active language's decimal separator: one number format per language on a page."""
    from django.utils import translation

    language = (language or translation.get_language() or "id")[:2]
    language = language if language in _SCALES else "id"
    value = float(value or 0)
    for size, short, word in _SCALES[language]:
        if abs(value) >= size:
            number = f"{value / size:.1f}".removesuffix(".0")
            if language == "id":
                number = number.replace(".", ",")
            return f"{number} {word if long else short}"
    number = f"{value:,.0f}"
    return number.replace(",", ".") if language == "id" else number


def _separators(language: str | None) -> tuple[str, str]:
    """(thousands, decimal) of the language: `1.000` and `0,7` in Bahasa Indonesia, `1,000` and `0.7` in English,
    the same separators Django's own formats (`floatformat`, `localize`) use for that language."""
    from django.utils import translation

    language = (language or translation.get_language() or "id")[:2]
    return (",", ".") if language == "en" else (".", ",")


def format_number(value: float | int, *, decimals: int = 0, sign: bool = False, language: str | None = None) -> str:
    """`1.000` / `1,000`; with decimals `0,7` / `0.7`; with sign `+0,7` / `+0.7`: one number format per language."""
    thousands, decimal = _separators(language)
    text = f"{value:{'+' if sign else ''},.{decimals}f}"
    return text.translate(str.maketrans({",": thousands, ".": decimal}))


def format_percent(value: float | int, *, sign: bool = False, language: str | None = None) -> str:
    """`0,7 %` / `0.7 %` (one decimal, a space before the sign)."""
    return f"{format_number(value, decimals=1, sign=sign, language=language)} %"


_DAYS_ID_EN = {
    "Senin": "Monday",
    "Selasa": "Tuesday",
    "Rabu": "Wednesday",
    "Kamis": "Thursday",
    "Jumat": "Friday",
    "Jum'at": "Friday",
    "Sabtu": "Saturday",
    "Minggu": "Sunday",
    "Ahad": "Sunday",
}
_DAY_WORD = re.compile(r"\b(" + "|".join(re.escape(day) for day in _DAYS_ID_EN) + r")\b")


def format_opening_hours(text: str, language: str | None = None) -> str:
    """Opening hours are written in Indonesian ("Sabtu-Kamis 08.00-15.00 WIB"); in English the day names read
    "Saturday to Thursday" with an en dash. Other words stay as written."""
    from django.utils import translation

    language = (language or translation.get_language() or "id")[:2]
    if language != "en" or not text:
        return text or ""
    text = _DAY_WORD.sub(lambda match: _DAYS_ID_EN[match.group(1)], text)
    return re.sub(r"(day)\s*-\s*(?=[A-Z])", "\\1\N{EN DASH}", text)
