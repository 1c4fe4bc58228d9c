"""Samsat OPOP payments reach the rollup when confirmed, and leave it when reversed."""

from datetime import date, datetime

import pytest

from opop.models import DirtyFigureKey
from opop.tests.factories import MembershipFactory
from pesantren.samsat import services
from pesantren.samsat.tests.factories import OutletFactory
from reports.models import FigureRollup
from reports.services import rollup_drain
from reports.tests.factories import WIB

NOV = date(2026, 11, 1)


@pytest.fixture
def outlet(pesantren_a):
    return OutletFactory(organisation=pesantren_a, code="SMO3517001", name="Kopontren Darul Ulum")


def test_confirmed_payment_counts_and_a_reversal_takes_it_out(outlet):
    cashier = MembershipFactory(organisation=outlet.organisation, role="cashier").user
    supervisor = MembershipFactory(organisation=outlet.organisation, role="supervisor").user
    now = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
    bill = services.samsat_bill_inquire(outlet=outlet, cashier=cashier, plate="S 1234 AB", now=now)
    payment = services.samsat_payment_make(
        outlet=outlet, cashier=cashier, idempotency_key=bill.idempotency_key, nik="3517011203900001", now=now
    )
    assert payment.state == "confirmed"
    assert DirtyFigureKey.objects.filter(month=NOV, kabupaten_kota_id="35.17").exists()
    rollup_drain()
    row = FigureRollup.objects.get(month=NOV, kabupaten_kota_id="35.17", pillar="pesantrenpreneur")
    assert (row.samsat_payments, row.samsat_amount) == (1, payment.total)

    services.samsat_payment_reverse(
        payment=payment, supervisor=supervisor, reason="Salah plat nomor", now=datetime(2026, 11, 24, 11, tzinfo=WIB)
    )
    assert DirtyFigureKey.objects.filter(month=NOV, kabupaten_kota_id="35.17").exists()
    rollup_drain()
    assert not FigureRollup.objects.filter(month=NOV, kabupaten_kota_id="35.17").exists()
