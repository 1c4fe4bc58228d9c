"""Two submissions of one idempotency key at the same moment make one payment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from pesantren.samsat import services
from pesantren.samsat.models import Payment, PaymentOutcome, SandboxBooking
from pesantren.samsat.tests.conftest import NOW


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_submissions_of_one_key_make_one_payment(outlet_a, cashier_a):
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
