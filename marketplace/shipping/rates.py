"""The sandbox courier's tariff: policy-like data, per service and zone, as an aggregator publishes it.

Each entry is (price of the first kg, price of each further kg, fewest days, most days). Weight is charged per
started kilogram, at least one: 1,001 g is 2 kg. Prices are plausible for a parcel from East Java in 2026 and stay
fixed, so tests and the demo can rely on them. A real aggregator (RajaOngkir, Biteship) answers the same question
over HTTP instead: see marketplace.shipping.base.Courier."""

import math
from dataclasses import dataclass

from marketplace.shipping.places import Zone

Z = Zone


@dataclass(frozen=True)
class Tariff:
    first_kg: int
    next_kg: int
    days_min: int
    days_max: int

    def price(self, kg: int) -> int:
        return self.first_kg + self.next_kg * (kg - 1)


@dataclass(frozen=True)
class Service:
    code: str
    courier: str
    name: str
    tariffs: dict[str, Tariff]
    max_kg: int = 50

    @property
    def label(self) -> str:
        return f"{self.courier} {self.name}"


def _t(rows: dict[str, tuple[int, int, int, int]]) -> dict[str, Tariff]:
    return {zone: Tariff(*row) for zone, row in rows.items()}


def _per_kg(prices: tuple[int, ...], days: tuple[tuple[int, int], ...]) -> dict[str, Tariff]:
    """A service that charges the same for every kilogram (JNE, J&T, SiCepat, POS), one price and ETA per zone."""
    zones = (Z.SAME_KECAMATAN, Z.SAME_CITY, Z.JATIM_NEAR, Z.JATIM_FAR, Z.JAVA_BALI, Z.OUTSIDE_JAVA)
    return {zone: Tariff(price, price, *eta) for zone, price, eta in zip(zones, prices, days, strict=True)}


REGULAR_DAYS = ((1, 2), (1, 2), (2, 3), (2, 4), (2, 4), (4, 7))
NEXT_DAY = ((1, 1), (1, 1), (1, 1), (1, 1), (1, 2), (2, 3))
ECONOMY_DAYS = ((2, 3), (2, 3), (3, 5), (3, 5), (4, 6), (6, 10))

POS_PRICES = (8500, 9000, 11000, 14000, 20000, 40000)
INSTANT = {Z.SAME_KECAMATAN: (15000, 0, 0, 0), Z.SAME_CITY: (25000, 0, 0, 0)}

SERVICES: dict[str, Service] = {
    service.code: service
    for service in (
        Service("jne_reg", "JNE", "REG", _per_kg((8000, 9000, 11000, 14000, 19000, 45000), REGULAR_DAYS)),
        Service("jne_yes", "JNE", "YES", _per_kg((16000, 17000, 21000, 26000, 33000, 78000), NEXT_DAY)),
        Service("jne_oke", "JNE", "OKE", _per_kg((7000, 7000, 9000, 12000, 16000, 38000), ECONOMY_DAYS)),
        Service("jnt_ez", "J&T", "EZ", _per_kg((8000, 9000, 11000, 13000, 18000, 42000), REGULAR_DAYS)),
        Service("sicepat_reg", "SiCepat", "REG", _per_kg((8000, 8000, 10000, 13000, 18000, 44000), REGULAR_DAYS)),
        Service("sicepat_best", "SiCepat", "BEST", _per_kg((15000, 15000, 19000, 24000, 30000, 70000), NEXT_DAY)),
        Service("pos_kilat", "POS Indonesia", "Kilat Khusus", _per_kg(POS_PRICES, ECONOMY_DAYS)),
        # Same-day by motorbike, inside one kabupaten/kota only: priced per trip (up to 20 kg), not per kg.
        Service("instant", "Instan", "Motor", _t(INSTANT), max_kg=20),
    )
}  # fmt: skip

# The store's own delivery and pickup are not the courier's: priced by the store (marketplace.shipping.quotes).
STORE_COURIER, PICKUP = "store_courier", "pickup"
COURIER_SERVICES = tuple(SERVICES)
# What a store offers until it chooses: its own delivery (its former shipping rates) and the common couriers.
DEFAULT_STORE_SERVICES = [STORE_COURIER, "jne_reg", "jnt_ez", "sicepat_reg", "pos_kilat"]
STORE_COURIER_DAYS = (1, 2)


def chargeable_kg(weight_grams: int) -> int:
    """Kilograms a courier charges: every started kilogram, at least one (1,001 g → 2 kg; 0 g → 1 kg)."""
    return max(1, math.ceil(max(0, weight_grams) / 1000))
