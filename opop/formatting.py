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
