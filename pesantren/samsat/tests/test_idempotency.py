"""Samsat money moves once: a reversal asked twice — one after the other or at the same moment — reverses once
and answers the same; many concurrent submissions of one pay code pay once; a business day's totals are its
payments minus its reversals, read straight from the append-only ledger."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection  # noqa: F401 (read by the skipif conditions)
from django.test import Client
from django.urls import reverse

from opop.models import AuditEvent, KabupatenKota
from opop.tests.concurrency import run_together
from pesantren.samsat import services
from pesantren.samsat.models import (
    DayClose,
    Payment,
    PaymentOutcome,
    PkbRate,
    Reversal,
    SandboxBooking,
)
from pesantren.samsat.tests.conftest import NOW, at

on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
)


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test may run after another one flushed the tables the data migrations filled."""
    if not KabupatenKota.objects.exists():
        import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)
    if not PkbRate.objects.exists():
        import_module("pesantren.samsat.migrations.0002_policy_data").load(apps, None)


@pytest.mark.django_db
def test_a_reversal_posted_twice_reverses_once_and_answers_the_same(
    client, outlet_a, cashier_a, supervisor_a, settings
):
    settings.SAMSAT_REVERSAL_CUTOFF = "23:59"
    bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate="S 1234 AB")
    payment = services.samsat_payment_make(
        outlet=outlet_a, cashier=cashier_a, idempotency_key=bill.idempotency_key, nik="3517011203900001"
    )
    client.force_login(supervisor_a)
    url = reverse("samsat:reverse", args=[outlet_a.code, payment.pk])
    first = client.post(url, {"reason": "Salah plat nomor"})
    second = client.post(url, {"reason": "Salah plat nomor"})  # a double click
    new = [[str(m) for m in r.wsgi_request._messages._queued_messages] for r in (first, second)]
    assert (first.status_code, first.url) == (second.status_code, second.url)
    assert new[0] == new[1] == ["The payment is reversed; hand the cash back to the customer."]
    assert Reversal.objects.count() == 1
    assert AuditEvent.objects.filter(action="samsat.payment.reversed").count() == 1


@pytest.mark.postgres
@on_postgres
def test_concurrent_reversals_of_one_payment_reverse_once(reference_data, outlet_a, cashier_a, supervisor_a):
    bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate="S 1234 AB", now=NOW)
    payment = services.samsat_payment_make(
        outlet=outlet_a, cashier=cashier_a, idempotency_key=bill.idempotency_key, nik="3517011203900001", now=NOW
    )
    results = run_together(
        6,
        lambda i: services.samsat_payment_reverse(
            payment=Payment.objects.get(pk=payment.pk), supervisor=supervisor_a, reason="Salah plat nomor", now=at(11)
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.pk for r in results}) == 1
    assert Reversal.objects.count() == 1
    assert AuditEvent.objects.filter(action="samsat.payment.reversed").count() == 1
    booking = SandboxBooking.objects.get()
    assert booking.reversed_at is not None and booking.reversal_ref == results[0].biller_ref


@pytest.mark.postgres
@on_postgres
def test_many_concurrent_pay_form_submissions_of_one_bill_pay_once(reference_data, outlet_a, cashier_a):
    """Six tabs of the counter post the same pay form at once: one payment, one booking, one answer."""
    bill = services.samsat_bill_inquire(outlet=outlet_a, cashier=cashier_a, plate="S 4821 KD")
    browser = Client()
    browser.force_login(get_user_model().objects.get(pk=cashier_a.pk))
    session = browser.cookies["sessionid"].value
    url = reverse("samsat:bill", args=[outlet_a.code, bill.idempotency_key])
    data = {"idempotency_key": bill.idempotency_key, "nik": "", "chassis_last5": "77120"}

    def submit(i):
        tab = Client()
        tab.cookies["sessionid"] = session
        response = tab.post(url, data)
        return response.status_code, response.get("Location")

    results = run_together(6, submit)
    payment = Payment.objects.get()
    assert results == [(302, reverse("samsat:payment", args=[outlet_a.code, payment.pk]))] * 6
    assert SandboxBooking.objects.count() == 1
    assert PaymentOutcome.objects.filter(status="confirmed").count() == 1


@pytest.mark.django_db
def test_the_days_totals_are_its_payments_minus_its_reversals(outlet_a, cashier_a, supervisor_a, pay):
    plates = [
        ("S 1234 AB", "3517011203900001"),
        ("S 4821 KD", "3517024506850002"),
        ("AG 1234 XY", "3571014402920004"),
        ("S 2468 JA", "3517050909910007"),
    ]
    paid = [pay(plate=plate, nik=nik) for plate, nik in plates]
    for payment in paid[1:3]:
        services.samsat_payment_reverse(payment=payment, supervisor=supervisor_a, reason="Pembeli batal", now=at(12))
    failed = pay(plate="S 9998 TO", nik="3517076208820013")  # the biller never booked it
    services.samsat_payment_advise(payment=failed, actor=cashier_a, now=at(12))
    close = services.samsat_day_close(
        outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=0, actor=supervisor_a, now=at(16)
    )
    # Straight from the ledger rows: what was confirmed, minus what was reversed.
    day = Payment.objects.filter(outlet=outlet_a, business_day=date(2026, 11, 24))
    confirmed = day.filter(outcomes__status=PaymentOutcome.Status.CONFIRMED).distinct()
    reversed_ = day.filter(reversal__isnull=False)
    confirmed_total = sum(confirmed.values_list("total", flat=True))
    reversed_total = sum(reversed_.values_list("total", flat=True))
    assert confirmed.count() == 4 and reversed_.count() == 2
    assert close.expected_cash == confirmed_total - reversed_total == paid[0].total + paid[3].total
    assert (close.payment_count, close.reversal_count) == (confirmed.count() - reversed_.count(), reversed_.count())
    assert close.gross == close.expected_cash and close.net == close.gross - close.outlet_fee
    assert close.difference == -close.expected_cash
    assert DayClose.objects.get().pk == close.pk
