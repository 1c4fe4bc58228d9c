"""East Java number plates: `AG 1234 XY`, written any way a customer says it."""

import re

from django.utils.translation import gettext as _

from opop.services import DomainError

EAST_JAVA_PREFIXES = ("L", "M", "N", "P", "S", "W", "AE", "AG")

_PLATE = re.compile(r"^([A-Z]{1,2})\s*([1-9][0-9]{0,3})\s*([A-Z]{0,3})$")


class PlateError(DomainError):
    """The plate cannot be read, or is not registered in East Java."""


def plate_normalise(raw: str) -> str:
    """Return the plate as `AG 1234 XY`; raise PlateError for a bad or non-East-Java plate."""
    value = re.sub(r"[\s\-.]+", " ", (raw or "").upper()).strip()
    match = _PLATE.match(value)
    if match is None:
        raise PlateError(_("Write the plate as letters, number, letters, for example AG 1234 XY."))
    prefix, number, suffix = match.groups()
    if prefix not in EAST_JAVA_PREFIXES:
        raise PlateError(
            _("%(prefix)s is not an East Java plate; Samsat OPOP takes L, M, N, P, S, W, AE and AG.")
            % {"prefix": prefix}
        )
    return " ".join(part for part in (prefix, number, suffix) if part)
