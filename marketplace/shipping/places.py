"""Where a parcel goes from and to, as precisely as the data allows, and the rate zone between two places.

A `Place` is (province code, kabupaten/kota code, kecamatan code), each possibly empty. The adapters read the
Kemendagri codes the address widget stores (opop.addresses): `kabupaten_code`/`kecamatan_code` on an address,
`origin_kecamatan_code` on a store (read with getattr, so a plain object with the older fields quotes too). A row
saved without codes (a store opened before the widget) is quoted to the
kabupaten/kota, never wrong: "same kecamatan" needs both codes."""

import math
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

EAST_JAVA_CODE = "35"
# A straight line between two regency centres up to this long is a "near" East Java destination.
NEAR_KM = 100

# Kemendagri province codes by name (Address.provinsi is free text until the region tables land).
PROVINCES = {
    "aceh": "11", "sumatera utara": "12", "sumatera barat": "13", "riau": "14", "jambi": "15",
    "sumatera selatan": "16", "bengkulu": "17", "lampung": "18", "kepulauan bangka belitung": "19",
    "bangka belitung": "19", "kepulauan riau": "21", "dki jakarta": "31", "jakarta": "31", "jawa barat": "32",
    "jawa tengah": "33", "di yogyakarta": "34", "daerah istimewa yogyakarta": "34", "yogyakarta": "34",
    "jawa timur": "35", "banten": "36", "bali": "51", "nusa tenggara barat": "52", "nusa tenggara timur": "53",
    "kalimantan barat": "61", "kalimantan tengah": "62", "kalimantan selatan": "63", "kalimantan timur": "64",
    "kalimantan utara": "65", "sulawesi utara": "71", "sulawesi tengah": "72", "sulawesi selatan": "73",
    "sulawesi tenggara": "74", "gorontalo": "75", "sulawesi barat": "76", "maluku": "81", "maluku utara": "82",
    "papua": "91", "papua barat": "92", "papua selatan": "93", "papua tengah": "94", "papua pegunungan": "95",
    "papua barat daya": "96",
}  # fmt: skip
# Java (outside East Java) and Bali: overland from East Java, a day or two by the couriers' trunk lines.
JAVA_BALI = {"31", "32", "33", "34", "36", "51"}

# Approximate centre (latitude, longitude) of each kabupaten/kota of East Java, only to sort a destination into
# the near or far band: a straight line, not a road distance.
CENTRES = {
    "35.01": (-8.20, 111.10), "35.02": (-7.87, 111.46), "35.03": (-8.05, 111.71), "35.04": (-8.07, 111.90),
    "35.05": (-8.10, 112.25), "35.06": (-7.82, 112.10), "35.07": (-8.05, 112.63), "35.08": (-8.13, 113.22),
    "35.09": (-8.17, 113.70), "35.10": (-8.22, 114.37), "35.11": (-7.91, 113.82), "35.12": (-7.71, 114.01),
    "35.13": (-7.85, 113.30), "35.14": (-7.72, 112.83), "35.15": (-7.45, 112.72), "35.16": (-7.55, 112.47),
    "35.17": (-7.55, 112.23), "35.18": (-7.60, 111.90), "35.19": (-7.60, 111.65), "35.20": (-7.65, 111.33),
    "35.21": (-7.40, 111.45), "35.22": (-7.25, 111.88), "35.23": (-6.90, 111.95), "35.24": (-7.12, 112.42),
    "35.25": (-7.16, 112.65), "35.26": (-7.05, 112.93), "35.27": (-7.19, 113.25), "35.28": (-7.16, 113.47),
    "35.29": (-7.00, 113.86), "35.71": (-7.82, 112.01), "35.72": (-8.10, 112.17), "35.73": (-7.98, 112.63),
    "35.74": (-7.75, 113.22), "35.75": (-7.65, 112.91), "35.76": (-7.47, 112.43), "35.77": (-7.63, 111.52),
    "35.78": (-7.25, 112.75), "35.79": (-7.87, 112.52),
}  # fmt: skip


class Zone(models.TextChoices):
    SAME_KECAMATAN = "same_kecamatan", _("Same district (kecamatan)")
    SAME_CITY = "same_city", _("Same regency/city")
    JATIM_NEAR = "jatim_near", _("East Java, up to 100 km")
    JATIM_FAR = "jatim_far", _("East Java, over 100 km")
    JAVA_BALI = "java_bali", _("Rest of Java and Bali")
    OUTSIDE_JAVA = "outside_java", _("Outside Java and Bali")


LOCAL_ZONES = frozenset({Zone.SAME_KECAMATAN, Zone.SAME_CITY})


@dataclass(frozen=True)
class Place:
    province: str = ""
    kabupaten_kota: str = ""
    kecamatan: str = ""
    postal_code: str = ""


def _province_code(text: str) -> str:
    return PROVINCES.get(" ".join((text or "").lower().replace("prov.", "").split()), "")


def place_of_address(address) -> Place:
    """The place of a shopper's address (marketplace.Address), as precise as it is filled in."""
    kabupaten = address.kabupaten_kota_id or getattr(address, "kabupaten_code", "") or ""
    return Place(
        province=kabupaten[:2] if kabupaten else _province_code(address.provinsi),
        kabupaten_kota=kabupaten,
        kecamatan=getattr(address, "kecamatan_code", "") or "",
        postal_code=address.postal_code or "",
    )


def place_of_store(store) -> Place:
    """Where a store ships from: its chosen origin, else its organisation's regency/city (Store.kabupaten_kota),
    without a query when the organisation is loaded."""
    kabupaten = store.origin_id or store.organisation.kabupaten_kota_id or ""
    return Place(
        province=kabupaten[:2] if kabupaten else EAST_JAVA_CODE,
        kabupaten_kota=kabupaten,
        kecamatan=getattr(store, "origin_kecamatan_code", "") or "",
    )


def distance_km(a: str, b: str) -> float | None:
    """Straight-line kilometres between the centres of two East Java regencies (None when one is unknown)."""
    if a not in CENTRES or b not in CENTRES:
        return None
    (lat1, lon1), (lat2, lon2) = CENTRES[a], CENTRES[b]
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def zone_between(origin: Place, destination: Place) -> str:
    """The rate zone from `origin` to `destination`. Unknown parts count against the shopper's luck, never for it:
    an unknown province is outside Java, an unknown distance inside East Java is far."""
    if destination.province == EAST_JAVA_CODE or destination.kabupaten_kota.startswith(EAST_JAVA_CODE + "."):
        if destination.kabupaten_kota and destination.kabupaten_kota == origin.kabupaten_kota:
            if destination.kecamatan and destination.kecamatan == origin.kecamatan:
                return Zone.SAME_KECAMATAN
            return Zone.SAME_CITY
        km = distance_km(origin.kabupaten_kota, destination.kabupaten_kota)
        return Zone.JATIM_NEAR if km is not None and km <= NEAR_KM else Zone.JATIM_FAR
    if destination.province in JAVA_BALI:
        return Zone.JAVA_BALI
    return Zone.OUTSIDE_JAVA
