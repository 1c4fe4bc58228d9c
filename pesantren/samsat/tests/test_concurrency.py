"""Two submissions of one idempotency key at the same moment make one payment (PostgreSQL)."""

import threading
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection, connections

from opop.models import KabupatenKota
from pesantren.samsat import services
from pesantren.samsat.models import Payment, PaymentOutcome, PkbRate, SandboxBooking
from pesantren.samsat.tests.conftest import NOW


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test may run after another one flushed the tables the data migrations filled."""
    if not KabupatenKota.objects.exists():
        import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)
    if not PkbRate.objects.exists():
        import_module("pesantren.samsat.migrations.0002_policy_data").load(apps, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_key_make_one_payment(reference_data, outlet_a, cashier_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate="S 1234 AB", now=NOW)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            payment = services.samsat_payment_make(
                outlet=outlet_a,
                cashier=cashier_a,
                idempotency_key=bill.idempotency_key,
                nik="3517011203900001",
                now=NOW,
            )
            results.append(payment.pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 2 and results[0] == results[1]
    assert Payment.objects.count() == 1
    assert SandboxBooking.objects.count() == 1
    assert PaymentOutcome.objects.filter(status="confirmed").count() == 1
