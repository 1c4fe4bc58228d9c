"""The courier quote (issue #20): weight rounding, zones, every service's tariff, instant only in the same
regency/city, the store's free-shipping and flat-rate rules. Pure: no database."""

from types import SimpleNamespace

import pytest

from marketplace.shipping.places import Place, Zone, place_of_address, place_of_store, zone_between
from marketplace.shipping.quotes import default_quote, store_quotes
from marketplace.shipping.rates import chargeable_kg
from marketplace.shipping.sandbox import SandboxCourier

ALL = ["jne_reg", "jne_yes", "jne_oke", "jnt_ez", "sicepat_reg", "sicepat_best", "pos_kilat", "instant"]
JOMBANG, SURABAYA, PACITAN, BANYUWANGI = "35.17", "35.78", "35.01", "35.10"


@pytest.mark.parametrize(
    ("grams", "kg"), [(0, 1), (1, 1), (999, 1), (1000, 1), (1001, 2), (1999, 2), (2000, 2), (2001, 3), (20500, 21)]
)
def test_weight_is_charged_per_started_kilogram_at_least_one(grams, kg):
    assert chargeable_kg(grams) == kg


@pytest.mark.parametrize(
    ("origin", "destination", "zone"),
    [
        (Place("35", JOMBANG, "35.17.05"), Place("35", JOMBANG, "35.17.05"), Zone.SAME_KECAMATAN),
        (Place("35", JOMBANG, "35.17.05"), Place("35", JOMBANG, "35.17.06"), Zone.SAME_CITY),
        # Without both kecamatan codes a quote is only as precise as the regency.
        (Place("35", JOMBANG, ""), Place("35", JOMBANG, ""), Zone.SAME_CITY),
        (Place("35", JOMBANG, ""), Place("35", JOMBANG, "35.17.05"), Zone.SAME_CITY),
        (Place("35", JOMBANG), Place("35", SURABAYA), Zone.JATIM_NEAR),  # about 65 km
        (Place("35", PACITAN), Place("35", BANYUWANGI), Zone.JATIM_FAR),  # across the province
        (Place("35", SURABAYA), Place("33", ""), Zone.JAVA_BALI),
        (Place("35", SURABAYA), Place("51", ""), Zone.JAVA_BALI),
        (Place("35", SURABAYA), Place("91", ""), Zone.OUTSIDE_JAVA),
        (Place("35", SURABAYA), Place("", ""), Zone.OUTSIDE_JAVA),  # an unknown province is never cheap
    ],
)
def test_the_zone_between_two_places(origin, destination, zone):
    assert zone_between(origin, destination) == zone


def test_places_read_todays_fields_and_the_kecamatan_codes_once_they_exist():
    address = SimpleNamespace(kabupaten_kota_id=JOMBANG, provinsi="Jawa Timur", postal_code="61471")
    assert place_of_address(address) == Place("35", JOMBANG, "", "61471")
    address.kecamatan_code = "35.17.05"
    assert place_of_address(address).kecamatan == "35.17.05"
    outside = SimpleNamespace(kabupaten_kota_id=None, provinsi="  jawa tengah ", postal_code="50241")
    assert place_of_address(outside) == Place("33", "", "", "50241")
    org = SimpleNamespace(kabupaten_kota_id=JOMBANG)
    store = SimpleNamespace(origin_id=None, organisation=org)
    assert place_of_store(store) == Place("35", JOMBANG, "")
    store.origin_id, store.origin_kecamatan_code = SURABAYA, "35.78.01"
    assert place_of_store(store) == Place("35", SURABAYA, "35.78.01")


# An independent copy of the tariff for two zones, per kg: (price per kg, fewest days, most days).
EXPECTED = {
    Zone.SAME_CITY: {
        "jne_reg": (9000, 1, 2), "jne_yes": (17000, 1, 1), "jne_oke": (7000, 2, 3), "jnt_ez": (9000, 1, 2),
        "sicepat_reg": (8000, 1, 2), "sicepat_best": (15000, 1, 1), "pos_kilat": (9000, 2, 3),
    },
    Zone.JATIM_NEAR: {
        "jne_reg": (11000, 2, 3), "jne_yes": (21000, 1, 1), "jne_oke": (9000, 3, 5), "jnt_ez": (11000, 2, 3),
        "sicepat_reg": (10000, 2, 3), "sicepat_best": (19000, 1, 1), "pos_kilat": (11000, 3, 5),
    },
}  # fmt: skip


@pytest.mark.parametrize("zone", list(EXPECTED))
@pytest.mark.parametrize("grams", [250, 1001, 3000])
def test_every_service_quotes_its_tariff_for_the_rounded_weight(zone, grams):
    destination = Place("35", JOMBANG) if zone == Zone.SAME_CITY else Place("35", SURABAYA)
    quotes = SandboxCourier().quote(
        origin=Place("35", JOMBANG), destination=destination, weight_grams=grams, services=ALL
    )
    kg = chargeable_kg(grams)
    got = {q.code: (q.price, q.days_min, q.days_max) for q in quotes if q.code != "instant"}
    assert got == {code: (per_kg * kg, lo, hi) for code, (per_kg, lo, hi) in EXPECTED[zone].items()}
    assert next(q.name for q in quotes if q.code == "jne_reg") == "JNE REG"


def test_instant_delivery_only_inside_the_same_regency_or_city_and_up_to_20_kg():
    courier = SandboxCourier()

    def instant(destination, grams=1500):
        quotes = courier.quote(origin=Place("35", JOMBANG, "35.17.05"), destination=destination,
                               weight_grams=grams, services=["instant"])  # fmt: skip
        return [(q.price, q.days_max) for q in quotes]

    assert instant(Place("35", JOMBANG, "35.17.05")) == [(15000, 0)]  # same kecamatan, same day
    assert instant(Place("35", JOMBANG, "35.17.09")) == [(25000, 0)]
    assert instant(Place("35", JOMBANG, "35.17.09"), grams=20000) == [(25000, 0)]  # per trip, not per kg
    assert instant(Place("35", JOMBANG), grams=20001) == []
    assert instant(Place("35", SURABAYA)) == []
    assert instant(Place("33", "")) == []


def _store(services=None, rules=None, pickup=True):
    return SimpleNamespace(
        origin_id=JOMBANG, organisation=SimpleNamespace(kabupaten_kota_id=JOMBANG), allows_pickup=pickup,
        courier_services=services if services is not None else ["jne_reg", "jne_oke", "instant", "store_courier"],
        shipping_rules=rules or [],
    )  # fmt: skip


def _prices(store, destination, subtotal, grams=1500, rate=30000):
    quotes = store_quotes(store=store, destination=destination, weight_grams=grams, subtotal=subtotal, store_rate=rate)
    return {q.code: q.price for q in quotes}


def test_a_store_quotes_only_the_services_it_offers_plus_its_own_delivery_and_pickup():
    prices = _prices(_store(), Place("35", SURABAYA), 50000)
    assert prices == {"jne_reg": 22000, "jne_oke": 18000, "store_courier": 30000, "pickup": 0}
    assert list(_prices(_store(pickup=False), Place("35", JOMBANG), 50000)) == [
        "jne_oke",
        "jne_reg",
        "instant",
        "store_courier",
    ]  # fmt: skip  (cheapest courier first)
    assert _prices(_store(), None, 50000) == {"pickup": 0}  # no address yet: only pickup


def test_the_default_service_is_the_stores_own_delivery_else_the_cheapest_courier():
    quotes = store_quotes(store=_store(), destination=Place("35", SURABAYA), weight_grams=1, subtotal=1, store_rate=9)
    assert default_quote(quotes).code == "store_courier"
    quotes = store_quotes(store=_store(["jne_reg", "jne_oke"]), destination=Place("35", SURABAYA), weight_grams=1,
                          subtotal=1, store_rate=9)  # fmt: skip
    assert default_quote(quotes).code == "jne_oke"


FREE_IN_TOWN = {"kind": "free", "zone": "same_city", "min_subtotal": 100000, "price": 0, "service": ""}


def test_free_shipping_in_the_same_regency_from_rp100000():
    store = _store(rules=[FREE_IN_TOWN])
    in_town = Place("35", JOMBANG)
    assert _prices(store, in_town, 100000) == {
        "jne_reg": 0,
        "jne_oke": 0,
        "instant": 0,
        "store_courier": 0,
        "pickup": 0,
    }
    assert _prices(store, in_town, 99999)["jne_reg"] == 18000  # below the threshold: the courier's price
    assert _prices(store, Place("35", SURABAYA), 500000)["jne_reg"] == 22000  # another zone
    quote = next(q for q in store_quotes(store=store, destination=in_town, weight_grams=1500, subtotal=100000,
                                         store_rate=1) if q.code == "jne_reg")  # fmt: skip
    assert (quote.price, quote.courier_price) == (0, 18000)  # the store pays the courier the difference


def test_a_flat_rate_per_zone_caps_the_price_and_never_raises_it():
    flat = {"kind": "flat", "zone": "jatim_near", "min_subtotal": 0, "price": 20000, "service": ""}
    prices = _prices(_store(rules=[flat]), Place("35", SURABAYA), 1000)
    assert prices["jne_reg"] == 20000 and prices["jne_oke"] == 18000 and prices["store_courier"] == 20000
    only_reg = {**flat, "price": 5000, "service": "jne_reg"}
    prices = _prices(_store(rules=[flat, only_reg]), Place("35", SURABAYA), 1000)
    assert prices["jne_reg"] == 5000 and prices["jne_oke"] == 18000  # the cheapest rule for the shopper wins
    assert _prices(_store(rules=[only_reg]), Place("35", SURABAYA), 1000)["jne_oke"] == 18000
    anywhere = {"kind": "flat", "zone": "any", "min_subtotal": 0, "price": 10000, "service": ""}
    assert _prices(_store(rules=[anywhere]), Place("91", ""), 1)["jne_reg"] == 10000
