"""Samsat OPOP pages cost the same queries for one payment as for every payable sandbox plate.

The sandbox biller knows a fixed set of demo vehicles, so "many" is every plate it lets pay today
(about twenty), not fifty. Counter pages are measured logged in as the outlet's supervisor, the
staff list as province staff, the public list anonymously.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.services import DomainError
from opop.tests.budgets import assert_budgets, measure
from pesantren.samsat import services
from pesantren.samsat.biller.sandbox import DEMO_PLATES, VEHICLES
from pesantren.samsat.tests.factories import OutletFactory

pytestmark = pytest.mark.django_db


def _pay(outlet, cashier, plates) -> int:
    paid = 0
    for plate in plates:
        try:
            bill = services.samsat_bill_inquire(outlet=outlet, cashier=cashier, plate=plate)
            services.samsat_payment_make(
                outlet=outlet, cashier=cashier, idempotency_key=bill.idempotency_key, nik=VEHICLES[plate].nik
            )
        except DomainError:
            continue
        paid += 1
    return paid


def test_samsat_pages_cost_the_same_queries_for_one_payment_and_for_many(
    client, outlet_a, outlet_b, cashier_a, supervisor_a, province_staff
):
    today = timezone.localdate().isoformat()
    counter_pages = {
        "history": (reverse("samsat:history", args=[outlet_a.code]), None),
        "days": (reverse("samsat:days", args=[outlet_a.code]), None),
        "day report": (reverse("samsat:day_report", args=[outlet_a.code, today]), None),
        "counter": (reverse("samsat:counter", args=[outlet_a.code]), None),
    }

    def everything():
        client.force_login(supervisor_a)
        counts = measure(client, counter_pages)
        client.force_login(province_staff)
        counts |= measure(client, {"staff outlets": (reverse("samsat:staff_outlet_list"), None)})
        client.logout()
        return counts | measure(client, {"public outlets": (reverse("samsat:outlet_public_list"), None)})

    plates = iter(DEMO_PLATES)
    while not _pay(outlet_a, cashier_a, [next(plates)]):
        pass
    small = everything()
    assert _pay(outlet_a, cashier_a, list(plates)) >= 10
    for n in range(10):
        OutletFactory(organisation=outlet_b.organisation, name=f"Gerai tambahan {n}")
    assert_budgets(small, everything(), {})
