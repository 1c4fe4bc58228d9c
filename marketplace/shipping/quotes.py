"""A store's shipping options for one order: the courier's quotes for the services the store offers, its own
delivery, pickup, and the store's free-shipping / flat-rate rules applied to them. Pure reads."""

from dataclasses import replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.shipping import courier
from marketplace.shipping.base import Quote
from marketplace.shipping.places import Place, Zone, place_of_store, zone_between
from marketplace.shipping.rates import COURIER_SERVICES, PICKUP, SERVICES, STORE_COURIER, STORE_COURIER_DAYS

FREE, FLAT = "free", "flat"
RULE_KINDS = [(FREE, gettext_lazy("Free shipping")), (FLAT, gettext_lazy("Flat rate"))]
ANY_ZONE = "any"


def service_label(code: str) -> str:
    if code == STORE_COURIER:
        return _("Store's own delivery")
    if code == PICKUP:
        return _("Pickup at the pesantren")
    service = SERVICES.get(code)
    return service.label if service else code


def offered_services(store) -> list[str]:
    """The service codes `store` offers, in the table's order (unknown codes from an older table are dropped)."""
    chosen = set(store.courier_services or [])
    return [code for code in (*COURIER_SERVICES, STORE_COURIER) if code in chosen]


def _rule_applies(rule: dict, *, zone: str, subtotal: int, code: str) -> bool:
    return (
        rule.get("zone", ANY_ZONE) in (ANY_ZONE, zone)
        and subtotal >= int(rule.get("min_subtotal") or 0)
        and rule.get("service", "") in ("", code)
    )


def _with_rules(quote: Quote, *, rules: list[dict], zone: str, subtotal: int) -> Quote:
    """The quote after the store's rules: free makes it 0, flat caps it at the flat price (never more than the
    courier charges). Several rules applying: the cheapest for the shopper wins."""
    price, note = quote.price, ""
    for rule in rules:
        if not _rule_applies(rule, zone=zone, subtotal=subtotal, code=quote.code):
            continue
        candidate = 0 if rule.get("kind") == FREE else min(quote.price, int(rule.get("price") or 0))
        if candidate < price:
            price = candidate
            note = _("Free shipping from the store") if candidate == 0 else _("Store's flat rate")
    return replace(quote, price=price, courier_price=quote.price, note=note) if note else quote


def store_quotes(
    *, store, destination: Place | None, weight_grams: int, subtotal: int, store_rate: int | None
) -> list[Quote]:
    """Every way `store` can send an order of `weight_grams` worth `subtotal` to `destination`: the couriers'
    services it offers (cheapest first), its own delivery at `store_rate` (its rate for the destination's
    kabupaten/kota or its default rate), then pickup at the pesantren when it allows it. Without a destination
    only pickup. The store's rules apply to every service but pickup."""
    quotes: list[Quote] = []
    if destination is not None:
        origin = place_of_store(store)
        zone = zone_between(origin, destination)
        offered = offered_services(store)
        couriers = [code for code in offered if code in SERVICES]
        if couriers:
            found = courier().quote(
                origin=origin, destination=destination, weight_grams=weight_grams, services=couriers
            )
            quotes += sorted(found, key=lambda q: (q.price, q.days_max, q.code))
        if STORE_COURIER in offered and store_rate is not None:
            quotes.append(Quote(STORE_COURIER, service_label(STORE_COURIER), store_rate, *STORE_COURIER_DAYS))
        rules = store.shipping_rules or []
        quotes = [_with_rules(q, rules=rules, zone=zone, subtotal=subtotal) for q in quotes]
    if store.allows_pickup:
        quotes.append(Quote(PICKUP, service_label(PICKUP), 0, 0, 0))
    return quotes


def default_quote(quotes: list[Quote]) -> Quote | None:
    """The service a shopper who did not choose gets: the store's own delivery when it offers it (what every
    order got before couriers existed), else the cheapest courier."""
    shipping = [q for q in quotes if q.code != PICKUP]
    return next((q for q in shipping if q.code == STORE_COURIER), shipping[0] if shipping else None)


ZONE_CHOICES = [(ANY_ZONE, gettext_lazy("Every destination")), *Zone.choices]
