"""The built-in sandbox courier. It behaves like an aggregator: it quotes from its published tariff
(marketplace.shipping.rates), returns a resi when a shipment is booked, and reports the parcel's progress as
signed tracking webhooks (HMAC-SHA256 of the raw body, like the sandbox gateway's) and on request (`track`).

Its parcels move on a fixed schedule from the booking (picked up after 3 hours, in transit after 12, out for
delivery and delivered on the service's fastest day), or sooner when the demo's sandbox control advances them.
Every event has a stable id (resi and step), so a webhook and a poll of the same event are recorded once. A booking
can be cancelled until the parcel is picked up (by the schedule or the sandbox control), then it is refused."""

import json
import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from marketplace.models import Shipment, ShipmentStatus
from marketplace.shipping.base import Courier, CourierRefused, Quote, TrackingEvent
from marketplace.shipping.places import Place, zone_between
from marketplace.shipping.rates import SERVICES, chargeable_kg
from opop.webhooks import webhook_secret, webhook_sign

SIGNATURE_HEADER = "X-Sandbox-Courier-Signature"
St = ShipmentStatus
# The parcel's steps, what the courier writes for each, and when after booking each happens by itself.
STEPS = [St.PICKED_UP, St.IN_TRANSIT, St.OUT_FOR_DELIVERY, St.DELIVERED]
DESCRIPTIONS = {
    St.PICKED_UP: "Paket telah diambil kurir dari pengirim",
    St.IN_TRANSIT: "Paket diberangkatkan dari gudang sortir",
    St.OUT_FOR_DELIVERY: "Paket dibawa kurir menuju alamat penerima",
    St.DELIVERED: "Paket diterima oleh penerima",
}
AWB_PREFIX = {"JNE": "JN", "J&T": "JP", "SiCepat": "00", "POS Indonesia": "P", "Instan": "IN"}


def sign(body: bytes) -> str:
    return webhook_sign(secret=webhook_secret("MARKETPLACE_COURIER_SECRET"), body=body)


def _schedule(shipment: Shipment) -> dict[str, datetime]:
    service = SERVICES.get(shipment.service)
    days = min(t.days_min for t in service.tariffs.values()) if service else 1
    start = shipment.booked_at
    out = start + max(timedelta(days=days), timedelta(hours=20)) if days else start + timedelta(hours=5)
    return {
        St.PICKED_UP: start + timedelta(hours=3 if days else 1),
        St.IN_TRANSIT: start + timedelta(hours=12 if days else 2),
        St.OUT_FOR_DELIVERY: out,
        St.DELIVERED: out + timedelta(hours=4 if days else 1),
    }


def event_for(shipment: Shipment, status: str, when: datetime) -> TrackingEvent:
    return TrackingEvent(
        event_id=f"{shipment.awb}:{status}",
        awb=shipment.awb,
        status=status,
        happened_at=when,
        description=DESCRIPTIONS[status],
        location=shipment.order.store.kabupaten_kota.label if status == St.PICKED_UP else "",
    )


class SandboxCourier(Courier):
    code = "sandbox"

    def quote(self, *, origin: Place, destination: Place, weight_grams: int, services: list[str]) -> list[Quote]:
        zone, kg = zone_between(origin, destination), chargeable_kg(weight_grams)
        quotes = []
        for code in services:
            service = SERVICES.get(code)
            tariff = service.tariffs.get(zone) if service else None
            if tariff is None or kg > service.max_kg:
                continue  # e.g. instant delivery outside the store's own kabupaten/kota
            quotes.append(Quote(code, service.label, tariff.price(kg), tariff.days_min, tariff.days_max))
        return quotes

    def book(self, shipment: Shipment) -> str:
        prefix = AWB_PREFIX.get(shipment.courier, "SB")
        return prefix + "".join(str(secrets.randbelow(10)) for _ in range(14 - len(prefix) + 2))

    def cancel(self, shipment: Shipment) -> None:
        picked_up = shipment.events.filter(status__in=STEPS).exists()
        if picked_up or _schedule(shipment)[St.PICKED_UP] <= timezone.now():
            raise CourierRefused(f"{shipment.awb}: paket sudah diambil kurir, pesanan tidak dapat dibatalkan")
        # Nothing else to do: the sandbox's parcels move by our Shipment rows, which the caller marks cancelled.

    def track(self, awb: str) -> list[TrackingEvent]:
        """The events due by now on the schedule, and any the sandbox control already sent."""
        shipment = Shipment.objects.select_related("order__store__organisation").get(provider=self.code, awb=awb)
        now, sent = timezone.now(), {e.status: e.happened_at for e in shipment.events.all()}
        events = []
        for status, when in _schedule(shipment).items():
            if status in sent or when <= now:
                events.append(event_for(shipment, status, sent.get(status, when)))
            else:
                break
        return events


# ---------------------------------------------------------------- the sandbox's own side


def webhook_body(event: TrackingEvent) -> bytes:
    """What the sandbox courier posts to our webhook for one event."""
    return json.dumps(
        {
            "event_id": event.event_id,
            "awb": event.awb,
            "status": event.status,
            "happened_at": event.happened_at.isoformat(),
            "description": event.description,
            "location": event.location,
        },
        sort_keys=True,
    ).encode()


def next_step(shipment: Shipment) -> str | None:
    done = {e.status for e in shipment.events.all()}
    return next((status for status in STEPS if status not in done), None)


def sandbox_advance(*, shipment: Shipment) -> str:
    """The sandbox control (demo and development): the parcel makes its next step now, and the sandbox posts the
    signed webhook for it, as the courier would. Returns the webhook's outcome ("recorded", "duplicate") or
    "done" when the parcel was already delivered."""
    from marketplace.shipping.services import courier_webhook_handle

    status = next_step(shipment)
    if status is None:
        return "done"
    body = webhook_body(event_for(shipment, status, timezone.now()))
    return courier_webhook_handle(body=body, signature=sign(body))
