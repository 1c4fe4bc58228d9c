"""The biller: the revenue office's system behind every Samsat OPOP counter, chosen by `SAMSAT_BILLER`."""

from django.conf import settings
from django.utils.module_loading import import_string

from pesantren.samsat.biller.base import (
    Biller,
    BillerError,
    BillerRefusal,
    BillerTimeout,
    DailyFileRow,
    Inquiry,
    PaymentResult,
    ReversalResult,
)

__all__ = [
    "Biller",
    "BillerError",
    "BillerRefusal",
    "BillerTimeout",
    "DailyFileRow",
    "Inquiry",
    "PaymentResult",
    "ReversalResult",
    "get_biller",
]


def get_biller() -> Biller:
    return import_string(settings.SAMSAT_BILLER)()
