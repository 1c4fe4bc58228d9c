"""Couriers, rates, shipments and tracking for OPOP Mart (issue #20). settings.MARKETPLACE_COURIER selects the
courier provider (the sandbox by default)."""

from django.conf import settings
from django.utils.module_loading import import_string

from marketplace.shipping.base import Courier

DEFAULT_COURIER = "marketplace.shipping.sandbox.SandboxCourier"


def courier() -> Courier:
    return import_string(getattr(settings, "MARKETPLACE_COURIER", DEFAULT_COURIER))()
