"""Hostile input at every Samsat counter form and POST endpoint (run by tests/test_hostile_endpoints.py)."""

from django.urls import reverse

from opop.tests.hostile import Endpoint

WATCH = ("samsat", "opop")


def _day(world) -> dict:
    return {"day": world.objects["payment"].business_day.isoformat(), "counted_cash": "150000"}


ENDPOINTS = [
    Endpoint("samsat:counter", "seller_a_owner", fields=("plate",), valid={"plate": "AG 1234 XY"}, watch=WATCH),
    Endpoint(
        "samsat:bill",
        "seller_a_owner",
        fields=("idempotency_key", "nik", "chassis_last5"),
        valid=lambda world: {"idempotency_key": str(world.objects["bill"].idempotency_key), "nik": "3517010101010001"},
        watch=WATCH,
    ),
    Endpoint("samsat:advise", "seller_a_owner", page="samsat:payment", fields=("x",), watch=WATCH),
    Endpoint("samsat:reprint", "seller_a_owner", page="samsat:payment", fields=("size",), watch=WATCH),
    Endpoint(
        "samsat:reverse",
        "seller_a_owner",
        page="samsat:payment",
        fields=("reason",),
        valid={"reason": "Salah plat nomor"},
        watch=WATCH,
    ),
    Endpoint("samsat:day_close", "seller_a_owner", fields=("day", "counted_cash"), valid=_day, watch=WATCH),
    Endpoint(
        "samsat:staff_outlet_create",
        "staff_province",
        valid=lambda world: {
            "name": "Gerai Baru",
            "address": "Jl. Merdeka 1",
            "opening_hours": "08.00-15.00",
            "organisation": str(world.objects["store"].organisation_id),
        },
        watch=WATCH,
    ),
    Endpoint("samsat:staff_outlet_edit", "staff_province", watch=WATCH),
]


def test_every_samsat_endpoint_is_listed():
    assert reverse("samsat:counter_home")  # the namespace is mounted
    assert {e.name for e in ENDPOINTS} >= {"samsat:counter", "samsat:day_close", "samsat:reverse"}
