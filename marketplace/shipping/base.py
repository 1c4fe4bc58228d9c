"""What every courier provider offers. settings.MARKETPLACE_COURIER names the provider class, so a real aggregator
replaces the sandbox by changing one dotted path, like the payment providers (marketplace.payments).

A RajaOngkir- or Biteship-style provider implements the same four calls over HTTP: `quote` is their cost/rates
endpoint (origin and destination as their area ids: map our Place codes to them, kecamatan-level where both
are known), `book` their order/waybill endpoint, `cancel` their order-cancel endpoint (refused once the parcel
is picked up), `track` their tracking endpoint; their webhook posts tracking
events that a view verifies (their signature header) and hands to shipment_event_record, as ours does."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.shipping.places import Place


def eta_label(days_min: int | None, days_max: int | None, *, pickup: bool = False) -> str:
    """For example "1-2 days", "1 day", "Today"; pickup: when the store has it ready."""
    if pickup:
        return _("Ready once the store confirms")
    if days_min is None or days_max is None:
        return ""
    if days_max == 0:
        return _("Today")
    if days_min == days_max:
        return ngettext("%(n)d day", "%(n)d days", days_max) % {"n": days_max}
    return _("%(min)d-%(max)d days") % {"min": days_min, "max": days_max}


class CourierRefused(Exception):
    """The courier answered and said no (e.g. a booking cancelled after the parcel was picked up). The message is
    the courier's reason; the caller tells the person in its own words."""


@dataclass(frozen=True)
class Quote:
    """One way to send one order: what it costs the shopper and how long it takes (days; 0 = today)."""

    code: str
    name: str
    price: int
    days_min: int
    days_max: int
    # What the courier charges for it (the shopper's price differs when a store rule makes shipping free or flat).
    courier_price: int | None = None
    note: str = ""

    @property
    def eta(self) -> str:
        return eta_label(self.days_min, self.days_max, pickup=self.code == "pickup")


@dataclass(frozen=True)
class TrackingEvent:
    """One scan of a parcel as the courier reports it. `event_id` is the courier's id: the same event delivered
    twice (webhook and poll, or a retried webhook) has the same id and is recorded once."""

    event_id: str
    awb: str
    status: str
    happened_at: datetime
    description: str = ""
    location: str = ""


class Courier:
    """One courier provider (or aggregator)."""

    code = ""

    def quote(self, *, origin: Place, destination: Place, weight_grams: int, services: list[str]) -> list[Quote]:
        """The prices and estimates of `services` (service codes this provider knows) from origin to
        destination for a parcel of `weight_grams`; a service that cannot carry it there is left out."""
        raise NotImplementedError

    def book(self, shipment) -> str:
        """Ask the courier to pick up `shipment` (a saved marketplace.Shipment); returns the AWB (resi)."""
        raise NotImplementedError

    def cancel(self, shipment) -> None:
        """Cancel the booking of `shipment` (a booked marketplace.Shipment): the courier will not come for it.
        Idempotent: cancelling a booking the courier already cancelled succeeds, so a retry after our transaction
        rolled back is safe. Raises CourierRefused when the courier no longer can (the parcel is picked up)."""
        raise NotImplementedError

    def track(self, awb: str) -> list[TrackingEvent]:
        """Every tracking event of the parcel so far, oldest first."""
        raise NotImplementedError
