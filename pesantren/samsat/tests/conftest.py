"""Fixtures of the Samsat OPOP tests: outlets at the two pesantren and the people at their counters."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from opop.tests.factories import MembershipFactory
from pesantren.samsat import services
from pesantren.samsat.tests.factories import OutletFactory

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)


def at(hour: int, minute: int = 0, day: int = 24, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English source strings; one test checks the Indonesian default."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def outlet_a(pesantren_a):
    return OutletFactory(organisation=pesantren_a, code="SMO3517001", name="Kopontren Darul Ulum")


@pytest.fixture
def outlet_b(pesantren_b):
    return OutletFactory(organisation=pesantren_b, code="SMO3514001", name="Kopontren Sidogiri", address="Sidogiri")


@pytest.fixture
def cashier_a(outlet_a):
    return MembershipFactory(organisation=outlet_a.organisation, role="cashier", user__email="kasir.a@opop.test").user


@pytest.fixture
def supervisor_a(outlet_a):
    return MembershipFactory(organisation=outlet_a.organisation, role="supervisor", user__email="spv.a@opop.test").user


@pytest.fixture
def cashier_b(outlet_b):
    return MembershipFactory(organisation=outlet_b.organisation, role="cashier", user__email="kasir.b@opop.test").user


@pytest.fixture
def pay(outlet_a, cashier_a):
    """Inquire and pay one plate at outlet A as cashier A; returns the payment."""

    def _pay(plate="S 1234 AB", nik="3517011203900001", now=NOW, chassis=""):
        bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate=plate, now=now)
        return services.samsat_payment_make(
            outlet=outlet_a,
            cashier=cashier_a,
            idempotency_key=bill.idempotency_key,
            nik=nik if not chassis else "",
            chassis_last5=chassis,
            now=now,
        )

    return _pay
