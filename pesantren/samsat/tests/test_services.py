"""The counter's money trail: inquiry refusals, idempotent payment, advice, reversal, day close."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from opop.models import AuditEvent
from opop.services import DomainError
from opop.tests.factories import MembershipFactory
from pesantren.samsat import services
from pesantren.samsat.biller import DailyFileRow
from pesantren.samsat.models import (
    Bill,
    DayClose,
    Payment,
    PaymentOutcome,
    PaymentState,
    ReconciliationItem,
    Reversal,
    SandboxBooking,
)
from pesantren.samsat.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


def inquire(outlet, cashier, plate, now=NOW):
    return services.samsat_bill_inquire(outlet=outlet, cashier=cashier, plate=plate, now=now)


# --- Inquiry ---------------------------------------------------------------------------------------


def test_inquiry_shows_the_lines_and_masks_the_owner(outlet_a, cashier_a):
    bill = inquire(outlet_a, cashier_a, "s1234ab")
    assert bill.plate == "S 1234 AB"
    assert bill.owner_masked == "Mu****** Ri*** Ra******"
    assert (bill.pkb, bill.opsen_pkb, bill.pkb_late_fee, bill.swdkllj, bill.swdkllj_late_fee) == (
        192_000,
        126_720,
        0,
        35_000,
        0,
    )
    assert bill.total == 353_720
    assert bill.due_date == date(2026, 12, 4)
    assert bill.expires_at == NOW + timedelta(hours=2)
    assert AuditEvent.objects.filter(action="samsat.inquiry.made", target_id=str(bill.pk)).exists()


def test_inquiry_of_a_late_car_has_late_fees(outlet_a, cashier_a):
    bill = inquire(outlet_a, cashier_a, "S 4821 KD")
    assert bill.months_late == 2
    assert bill.pkb_late_fee == 39_600 and bill.swdkllj_late_fee == 100_000


@pytest.mark.parametrize(
    ("plate", "message"),
    [
        ("S 1111 ZZ", "No vehicle with plate S 1111 ZZ"),
        ("M 8899 KL", "blocked"),
        ("P 5678 RT", "5-yearly STNK renewal is due"),
        ("W 2345 QA", "more than 12 months late"),
        ("B 1234 ABC", "not an East Java plate"),
        ("12 AB", "Write the plate"),
    ],
)
def test_inquiry_refusals_charge_nothing(outlet_a, cashier_a, plate, message):
    with pytest.raises(DomainError, match=message):
        inquire(outlet_a, cashier_a, plate)
    assert not Bill.objects.exists()
    assert not SandboxBooking.objects.exists()


def test_inquiry_after_payment_is_refused_as_already_paid(outlet_a, cashier_a, pay):
    pay()
    with pytest.raises(DomainError, match="already paid for this period"):
        inquire(outlet_a, cashier_a, "S 1234 AB", now=NOW + timedelta(days=3))


@pytest.mark.parametrize("role", ["staff"])
def test_inquiry_by_someone_not_at_the_counter_is_refused(outlet_a, role):
    user = MembershipFactory(organisation=outlet_a.organisation, role=role).user
    with pytest.raises(DomainError, match="Only a cashier of this outlet"):
        inquire(outlet_a, user, "S 1234 AB")


def test_cashier_of_another_outlet_cannot_use_this_one(outlet_a, cashier_b):
    with pytest.raises(DomainError, match="Only a cashier"):
        inquire(outlet_a, cashier_b, "S 1234 AB")


# --- Payment ---------------------------------------------------------------------------------------


def test_payment_with_nik_is_confirmed_with_a_biller_reference(pay):
    payment = pay()
    assert payment.state == PaymentState.CONFIRMED
    assert payment.total == 353_720
    assert payment.business_day == date(2026, 11, 24)
    assert payment.identity_method == "nik"
    assert payment.outcomes.get().biller_ref.startswith("NTPD")
    assert AuditEvent.objects.filter(action="samsat.payment.confirmed", target_id=str(payment.pk)).exists()


def test_payment_with_chassis_number_for_someone_else(pay):
    payment = pay(chassis="48213")
    assert payment.state == PaymentState.CONFIRMED
    assert payment.identity_method == "chassis"


@pytest.mark.parametrize(("nik", "chassis"), [("3517011203900009", ""), ("", "00000")])
def test_payment_with_identity_that_does_not_match_is_refused(outlet_a, cashier_a, nik, chassis):
    bill = inquire(outlet_a, cashier_a, "S 1234 AB")
    with pytest.raises(DomainError, match="does not match"):
        services.samsat_payment_make(
            outlet=outlet_a,
            cashier=cashier_a,
            idempotency_key=bill.idempotency_key,
            nik=nik,
            chassis_last5=chassis,
            now=NOW,
        )
    assert not Payment.objects.exists() and not SandboxBooking.objects.exists()


def test_payment_without_identity_is_refused(outlet_a, cashier_a):
    bill = inquire(outlet_a, cashier_a, "S 1234 AB")
    with pytest.raises(DomainError, match="Enter the owner's NIK"):
        services.samsat_payment_make(outlet=outlet_a, cashier=cashier_a, idempotency_key=bill.idempotency_key, now=NOW)


def test_pay_code_expires_after_two_hours(outlet_a, cashier_a):
    bill = inquire(outlet_a, cashier_a, "S 1234 AB")
    with pytest.raises(DomainError, match="expired"):
        services.samsat_payment_make(
            outlet=outlet_a,
            cashier=cashier_a,
            idempotency_key=bill.idempotency_key,
            nik="3517011203900001",
            now=NOW + timedelta(hours=2),
        )
    assert not Payment.objects.exists()


def test_unknown_key_or_another_outlets_bill_is_refused(outlet_a, outlet_b, cashier_a, cashier_b):
    bill = inquire(outlet_a, cashier_a, "S 1234 AB")
    with pytest.raises(DomainError, match="not known at this outlet"):
        services.samsat_payment_make(
            outlet=outlet_b, cashier=cashier_b, idempotency_key=bill.idempotency_key, nik="3517011203900001", now=NOW
        )
    with pytest.raises(DomainError, match="not known at this outlet"):
        services.samsat_payment_make(
            outlet=outlet_a, cashier=cashier_a, idempotency_key=uuid.uuid4(), nik="3517011203900001", now=NOW
        )


def test_same_key_twice_pays_once_and_returns_the_same_payment(outlet_a, cashier_a):
    bill = inquire(outlet_a, cashier_a, "S 1234 AB")
    kwargs = {"outlet": outlet_a, "cashier": cashier_a, "idempotency_key": bill.idempotency_key}
    first = services.samsat_payment_make(**kwargs, nik="3517011203900001", now=NOW)
    second = services.samsat_payment_make(**kwargs, nik="3517011203900001", now=NOW + timedelta(seconds=1))
    third = services.samsat_payment_make(**kwargs, now=NOW + timedelta(hours=5))  # even after expiry
    assert first.pk == second.pk == third.pk
    assert Payment.objects.count() == 1
    assert SandboxBooking.objects.count() == 1
    assert PaymentOutcome.objects.count() == 1


def test_timeout_leaves_the_payment_uncertain_and_advice_confirms_it(outlet_a, cashier_a, pay):
    payment = pay(plate="S 9999 TO", nik="3517071705790012")
    assert payment.state == PaymentState.UNCERTAIN
    # a resubmission never retries blindly
    again = services.samsat_payment_make(
        outlet=outlet_a, cashier=cashier_a, idempotency_key=payment.idempotency_key, nik="3517071705790012", now=NOW
    )
    assert again.pk == payment.pk and SandboxBooking.objects.count() == 1
    with pytest.raises(DomainError, match="Only a paid"):
        services.samsat_payment_reverse(
            payment=payment, supervisor=outlet_a_supervisor(outlet_a), reason="salah", now=NOW
        )
    services.samsat_payment_advise(payment=payment, actor=cashier_a, now=NOW + timedelta(minutes=1))
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.state == PaymentState.CONFIRMED
    assert list(payment.outcomes.values_list("status", "source")) == [
        ("uncertain", "payment"),
        ("confirmed", "advice"),
    ]
    with pytest.raises(DomainError, match="nothing to check"):
        services.samsat_payment_advise(payment=payment, actor=cashier_a, now=NOW)


def outlet_a_supervisor(outlet):
    return MembershipFactory(organisation=outlet.organisation, role="supervisor").user


def test_timeout_before_booking_is_resolved_by_advice_as_failed(cashier_a, pay):
    payment = pay(plate="S 9998 TO", nik="3517076208820013")
    assert payment.state == PaymentState.UNCERTAIN
    services.samsat_payment_advise(payment=payment, actor=cashier_a, now=NOW)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.FAILED
    assert not SandboxBooking.objects.exists()


def test_ledger_rows_are_never_updated_or_deleted(pay):
    payment = pay()
    payment.total = 1
    with pytest.raises(ValidationError):
        payment.save()
    with pytest.raises(ValidationError):
        payment.delete()
    with pytest.raises(ValidationError):
        payment.outcomes.get().delete()


# --- Reversal --------------------------------------------------------------------------------------


def test_supervisor_reverses_on_the_same_day_before_cut_off(outlet_a, supervisor_a, pay):
    payment = pay()
    reversal = services.samsat_payment_reverse(
        payment=payment, supervisor=supervisor_a, reason="Salah plat nomor", now=at(19, 59)
    )
    assert reversal.biller_ref.startswith("REV")
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.state == PaymentState.REVERSED
    assert payment.outcomes.count() == 1  # the reversal is its own row; the payment row is untouched
    assert SandboxBooking.objects.get().reversed_at is not None
    assert AuditEvent.objects.filter(action="samsat.payment.reversed").exists()
    # Asking again (a double click, a retry) returns the one reversal and books nothing more.
    again = services.samsat_payment_reverse(payment=payment, supervisor=supervisor_a, reason="lagi-lagi", now=at(19))
    assert again.pk == reversal.pk and Reversal.objects.count() == 1
    assert AuditEvent.objects.filter(action="samsat.payment.reversed").count() == 1


def test_a_cashier_cannot_reverse(cashier_a, pay):
    with pytest.raises(DomainError, match="Only a supervisor"):
        services.samsat_payment_reverse(payment=pay(), supervisor=cashier_a, reason="Salah plat", now=at(11))


def test_owner_counts_as_supervisor(admin_a, outlet_a, pay):
    services.samsat_payment_reverse(payment=pay(), supervisor=admin_a, reason="Salah plat", now=at(11))
    assert Reversal.objects.count() == 1


def test_reversal_needs_a_reason(supervisor_a, pay):
    with pytest.raises(DomainError, match="reason"):
        services.samsat_payment_reverse(payment=pay(), supervisor=supervisor_a, reason=" ", now=at(11))


def test_reversal_after_cut_off_is_refused(supervisor_a, pay):
    with pytest.raises(DomainError, match="20:00 WIB"):
        services.samsat_payment_reverse(payment=pay(), supervisor=supervisor_a, reason="Salah plat", now=at(20, 0))


def test_reversal_on_another_day_is_refused(supervisor_a, pay):
    with pytest.raises(DomainError, match="own business day"):
        services.samsat_payment_reverse(payment=pay(), supervisor=supervisor_a, reason="Salah plat", now=at(9, day=25))


def test_cut_off_is_a_setting(settings, supervisor_a, pay):
    settings.SAMSAT_REVERSAL_CUTOFF = "12:00"
    with pytest.raises(DomainError, match="12:00 WIB"):
        services.samsat_payment_reverse(payment=pay(), supervisor=supervisor_a, reason="Salah plat", now=at(12, 30))


def test_reversal_on_a_closed_day_is_refused(outlet_a, supervisor_a, pay):
    payment = pay()
    services.samsat_day_close(
        outlet=outlet_a, business_day=payment.business_day, counted_cash=payment.total, actor=supervisor_a, now=at(16)
    )
    with pytest.raises(DomainError, match="closed"):
        services.samsat_payment_reverse(payment=payment, supervisor=supervisor_a, reason="Salah plat", now=at(17))


# --- Day close -------------------------------------------------------------------------------------


def test_day_close_arithmetic_and_reconciliation(outlet_a, supervisor_a, pay):
    one = pay()  # 353 720
    two = pay(plate="S 4821 KD", nik="3517024506850002", chassis="77120")  # 3 569 400
    three = pay(plate="AG 1234 XY", nik="3571014402920004")
    services.samsat_payment_reverse(payment=three, supervisor=supervisor_a, reason="Pembeli batal", now=at(12))
    close = services.samsat_day_close(
        outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=3_900_000, actor=supervisor_a, now=at(16)
    )
    expected = one.total + two.total
    assert close.expected_cash == expected == 3_923_120
    assert close.counted_cash == 3_900_000
    assert close.difference == -23_120
    assert (close.payment_count, close.reversal_count) == (2, 1)
    assert close.gross == expected
    assert close.outlet_fee == 7_000
    assert close.net == expected - 7_000
    assert close.balanced
    assert sorted(close.items.values_list("category", flat=True)) == ["matched", "matched", "reversed"]


def test_a_closed_day_takes_no_more_payments_and_cannot_close_twice(outlet_a, cashier_a, supervisor_a, pay):
    bill = inquire(outlet_a, cashier_a, "S 1234 AB", now=at(15))
    services.samsat_day_close(
        outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=0, actor=supervisor_a, now=at(16)
    )
    with pytest.raises(DomainError, match="closed"):
        services.samsat_payment_make(
            outlet=outlet_a,
            cashier=cashier_a,
            idempotency_key=bill.idempotency_key,
            nik="3517011203900001",
            now=at(16, 5),
        )
    with pytest.raises(DomainError, match="closed"):
        inquire(outlet_a, cashier_a, "S 1234 AB", now=at(16, 6))
    with pytest.raises(DomainError, match="already closed"):
        services.samsat_day_close(
            outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=0, actor=supervisor_a, now=at(16, 7)
        )
    # the next day is open again
    assert inquire(outlet_a, cashier_a, "AG 1234 XY", now=at(8, day=25)).total > 0


def test_day_close_refused_while_a_payment_is_uncertain(outlet_a, supervisor_a, pay):
    pay(plate="S 9999 TO", nik="3517071705790012")
    with pytest.raises(DomainError, match="still uncertain"):
        services.samsat_day_close(
            outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=0, actor=supervisor_a, now=at(16)
        )
    assert not DayClose.objects.exists()


def test_day_close_by_a_cashier_or_in_the_future_is_refused(outlet_a, cashier_a, supervisor_a):
    with pytest.raises(DomainError, match="Only a supervisor"):
        services.samsat_day_close(
            outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=0, actor=cashier_a, now=at(16)
        )
    with pytest.raises(DomainError, match="once it has started"):
        services.samsat_day_close(
            outlet=outlet_a, business_day=date(2026, 11, 25), counted_cash=0, actor=supervisor_a, now=at(16)
        )


def test_timeout_never_advised_shows_as_missing_at_outlet(outlet_a, cashier_a, supervisor_a, pay):
    """A payment the biller booked but the outlet never confirmed is listed for follow-up."""
    payment = pay(plate="S 9999 TO", nik="3517071705790012")
    PaymentOutcome.objects.create(payment=payment, status="failed", source="advice", actor=cashier_a, created_at=NOW)
    close = services.samsat_day_close(
        outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=0, actor=supervisor_a, now=at(16)
    )
    assert not close.balanced
    item = close.items.get()
    assert item.category == "missing_at_outlet" and item.needs_follow_up
    assert item.biller_amount == payment.total and item.outlet_amount is None


class FakePayment:
    def __init__(self, key, total, state, plate="S 1 A"):
        self.idempotency_key, self.total, self.state, self.plate, self.biller_ref = key, total, state, plate, "NTPD1"


def test_reconciliation_categories():
    Category = ReconciliationItem.Category
    payments = [
        FakePayment("a", 100, PaymentState.CONFIRMED),
        FakePayment("b", 100, PaymentState.CONFIRMED),
        FakePayment("c", 100, PaymentState.REVERSED),
        FakePayment("d", 100, PaymentState.CONFIRMED),
        FakePayment("e", 100, PaymentState.REVERSED),
        FakePayment("f", 100, PaymentState.FAILED),
        FakePayment("g", 100, PaymentState.CONFIRMED),
    ]
    rows = [
        DailyFileRow("a", "R-a", "S 1 A", 100, False),
        DailyFileRow("b", "R-b", "S 1 A", 90, False),
        DailyFileRow("c", "R-c", "S 1 A", 100, True),
        DailyFileRow("e", "R-e", "S 1 A", 100, False),
        DailyFileRow("f", "R-f", "S 1 A", 100, False),
        DailyFileRow("g", "R-g", "S 1 A", 100, True),
        DailyFileRow("h", "R-h", "L 2 B", 50, False),
    ]
    lines = {line.idempotency_key: line for line in services.reconcile(payments=payments, file_rows=rows)}
    assert {key: line.category for key, line in lines.items()} == {
        "a": Category.MATCHED,
        "b": Category.AMOUNT_MISMATCH,
        "c": Category.REVERSED,
        "d": Category.MISSING_AT_BILLER,
        "e": Category.STATUS_MISMATCH,
        "f": Category.MISSING_AT_OUTLET,
        "g": Category.STATUS_MISMATCH,
        "h": Category.MISSING_AT_OUTLET,
    }
    assert (lines["b"].outlet_amount, lines["b"].biller_amount) == (100, 90)
    assert lines["h"].plate == "L 2 B" and lines["d"].biller_amount is None


# --- Outlets ---------------------------------------------------------------------------------------


def test_diskop_staff_register_outlets_in_their_region_only(jombang_staff, province_staff, pesantren_a, pesantren_b):
    outlet = services.samsat_outlet_register(
        actor=jombang_staff,
        organisation=pesantren_a,
        name="Kopontren Darul Ulum",
        address="Rejoso, Peterongan",
        opening_hours="08.00-15.00",
    )
    assert outlet.code == "SMO3517001"
    with pytest.raises(DomainError, match="Only Diskop UKM staff"):
        services.samsat_outlet_register(
            actor=jombang_staff, organisation=pesantren_b, name="X", address="Y", opening_hours="Z"
        )
    other = services.samsat_outlet_register(
        actor=province_staff, organisation=pesantren_b, name="Kopontren Sidogiri", address="Sidogiri", opening_hours="Z"
    )
    assert other.code == "SMO3514001"
    services.samsat_outlet_update(actor=province_staff, outlet=other, is_laku_pandai_agent=True)
    other.refresh_from_db()
    assert other.is_laku_pandai_agent


def test_a_pesantren_admin_cannot_register_an_outlet(admin_a, pesantren_a):
    with pytest.raises(DomainError, match="Only Diskop UKM staff"):
        services.samsat_outlet_register(
            actor=admin_a, organisation=pesantren_a, name="X", address="Y", opening_hours="Z"
        )


def test_outlet_belongs_to_a_pesantren(province_staff, diskop):
    with pytest.raises(DomainError, match="belongs to a pesantren"):
        services.samsat_outlet_register(
            actor=province_staff, organisation=diskop, name="X", address="Y", opening_hours="Z"
        )


def test_reprint_is_logged(cashier_a, pay):
    payment = pay()
    services.samsat_receipt_reprint(payment=payment, actor=cashier_a)
    services.samsat_receipt_reprint(payment=payment, actor=cashier_a)
    assert payment.prints.count() == 2
    assert AuditEvent.objects.filter(action="samsat.receipt.reprinted").count() == 2


def test_on_postgresql_the_database_refuses_ledger_updates(pay):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    payment = pay()
    # The plain base manager goes past the model's own refusal, straight to the database's trigger.
    for queryset in (
        Payment._base_manager.filter(pk=payment.pk),
        PaymentOutcome._base_manager.filter(payment=payment),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            queryset.update(created_at=NOW)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            queryset._raw_delete(queryset.db)


def test_a_second_bill_for_a_vehicle_already_paid_fails_without_charge(outlet_a, cashier_a):
    first = inquire(outlet_a, cashier_a, "S 1234 AB")
    second = inquire(outlet_a, cashier_a, "S 1234 AB")
    for bill in (first, second):
        services.samsat_payment_make(
            outlet=outlet_a, cashier=cashier_a, idempotency_key=bill.idempotency_key, nik="3517011203900001", now=NOW
        )
    states = {p.bill_id: p.state for p in Payment.objects.all()}
    assert states == {first.pk: PaymentState.CONFIRMED, second.pk: PaymentState.FAILED}
    assert SandboxBooking.objects.count() == 1
    failed = PaymentOutcome.objects.get(payment__bill=second)
    assert "already paid" in failed.message


def test_no_new_inquiry_for_a_plate_whose_payment_is_uncertain(outlet_a, outlet_b, cashier_a, cashier_b, pay):
    payment = pay(plate="S 9998 TO", nik="3517076208820013")
    for outlet, cashier in ((outlet_a, cashier_a), (outlet_b, cashier_b)):
        with pytest.raises(DomainError, match="still uncertain"):
            inquire(outlet, cashier, "S 9998 TO")
    services.samsat_payment_advise(payment=payment, actor=cashier_a, now=NOW)
    assert inquire(outlet_b, cashier_b, "S 9998 TO").total > 0


def test_outlet_fee_follows_the_policy_row_in_force_on_the_business_day(outlet_a, supervisor_a, pay):
    from pesantren.samsat.models import OutletFeeRule

    OutletFeeRule.objects.create(effective_from=date(2026, 11, 24), fee_per_payment=5_000)
    payment = pay()
    close = services.samsat_day_close(
        outlet=outlet_a, business_day=date(2026, 11, 24), counted_cash=payment.total, actor=supervisor_a, now=at(16)
    )
    assert close.outlet_fee == 5_000
    assert close.net == payment.total - 5_000
