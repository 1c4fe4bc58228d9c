"""The policy tables and the bill they produce, with effective dates."""

from datetime import date

import pytest

from pesantren.samsat.models import LateFeeRule, OpsenRate, PkbRate
from pesantren.samsat.plates import PlateError, plate_normalise
from pesantren.samsat.policy import (
    PolicyMissing,
    _share,
    bill_compute,
    late_fee_rule,
    months_late,
    opsen_rate_bp,
    outlet_fee_per_payment,
    pkb_rate_bp,
    swdkllj_tariff,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("due", "on", "expected"),
    [
        (date(2026, 11, 24), date(2026, 11, 1), 0),
        (date(2026, 11, 24), date(2026, 11, 24), 0),
        (date(2026, 11, 24), date(2026, 11, 25), 1),
        (date(2026, 10, 24), date(2026, 11, 24), 1),
        (date(2026, 10, 24), date(2026, 11, 25), 2),
        (date(2025, 11, 30), date(2026, 1, 1), 2),
        (date(2025, 11, 24), date(2026, 11, 24), 12),
        (date(2025, 11, 24), date(2026, 11, 25), 13),
    ],
)
def test_months_late_counts_started_months(due, on, expected):
    assert months_late(due_date=due, on=on) == expected


def test_share_rounds_half_up_in_integers():
    assert _share(5, 5000) == 3
    assert _share(4, 5000) == 2
    assert _share(192_000, 6600) == 126_720


@pytest.mark.parametrize(
    ("vehicle_type", "order", "on", "rate"),
    [
        ("motorbike", 1, date(2024, 12, 31), 150),
        ("motorbike", 2, date(2024, 12, 31), 200),
        ("car", 5, date(2024, 12, 31), 350),
        ("car", 9, date(2025, 1, 4), 350),
        ("motorbike", 1, date(2025, 1, 5), 120),
        ("car", 3, date(2026, 11, 24), 220),
        ("motorbike", 7, date(2026, 11, 24), 320),
    ],
)
def test_pkb_rate_by_type_ownership_order_and_date(vehicle_type, order, on, rate):
    assert pkb_rate_bp(vehicle_type=vehicle_type, ownership_order=order, on=on) == rate


def test_opsen_is_66_percent_from_5_january_2025_and_nothing_before():
    assert opsen_rate_bp(on=date(2025, 1, 4)) == 0
    assert opsen_rate_bp(on=date(2025, 1, 5)) == 6600


def test_swdkllj_tariffs_and_late_fees():
    motorbike, car = (
        swdkllj_tariff(vehicle_type="motorbike", on=date(2026, 1, 1)),
        swdkllj_tariff(vehicle_type="car", on=date(2026, 1, 1)),
    )
    assert (motorbike.amount, motorbike.late_fee) == (35_000, 32_000)
    assert (car.amount, car.late_fee) == (143_000, 100_000)


def test_a_relief_programme_overrides_the_late_fee_rule_while_it_runs():
    assert late_fee_rule(on=date(2025, 7, 13)).rate_bp_per_month == 100
    assert late_fee_rule(on=date(2025, 7, 14)).rate_bp_per_month == 0
    assert late_fee_rule(on=date(2025, 8, 31)).rate_bp_per_month == 0
    assert late_fee_rule(on=date(2025, 9, 1)).rate_bp_per_month == 100
    assert late_fee_rule(on=date(2024, 6, 1)).rate_bp_per_month == 200


def test_bill_of_a_motorbike_on_time():
    lines = bill_compute(
        tax_base=16_000_000,
        vehicle_type="motorbike",
        ownership_order=1,
        due_date=date(2026, 12, 4),
        on=date(2026, 11, 24),
    )
    assert (lines.pkb, lines.opsen_pkb, lines.pkb_late_fee, lines.swdkllj, lines.swdkllj_late_fee) == (
        192_000,
        126_720,
        0,
        35_000,
        0,
    )
    assert lines.total == 353_720
    assert lines.months_late == 0


def test_bill_of_a_car_two_months_late():
    lines = bill_compute(
        tax_base=165_000_000, vehicle_type="car", ownership_order=1, due_date=date(2026, 10, 1), on=date(2026, 11, 24)
    )
    assert lines.months_late == 2
    assert lines.pkb == 1_980_000
    assert lines.opsen_pkb == 1_306_800
    assert lines.pkb_late_fee == 39_600  # 1 % x 2 months of PKB
    assert (lines.swdkllj, lines.swdkllj_late_fee) == (143_000, 100_000)
    assert lines.total == 3_569_400


def test_bill_before_hkpd_uses_the_old_rate_no_opsen_and_2_percent_late_fee():
    lines = bill_compute(
        tax_base=16_000_000,
        vehicle_type="motorbike",
        ownership_order=2,
        due_date=date(2024, 6, 1),
        on=date(2024, 8, 15),
    )
    assert lines.pkb == 320_000  # 2 % for the second ownership
    assert lines.opsen_pkb == 0
    assert lines.months_late == 3
    assert lines.pkb_late_fee == 19_200  # 2 % x 3 months
    assert lines.swdkllj_late_fee == 32_000


def test_bill_during_relief_programme_waives_pkb_late_fee_but_not_swdkllj():
    lines = bill_compute(
        tax_base=16_000_000, vehicle_type="motorbike", ownership_order=1, due_date=date(2025, 6, 1), on=date(2025, 8, 1)
    )
    assert lines.months_late == 2
    assert lines.pkb_late_fee == 0
    assert lines.swdkllj_late_fee == 32_000


def test_a_new_rate_row_applies_from_its_date_only():
    PkbRate.objects.create(effective_from=date(2027, 1, 1), vehicle_type="motorbike", ownership_order=1, rate_bp=100)
    OpsenRate.objects.create(effective_from=date(2027, 1, 1), rate_bp=5000)
    assert pkb_rate_bp(vehicle_type="motorbike", ownership_order=1, on=date(2026, 12, 31)) == 120
    assert pkb_rate_bp(vehicle_type="motorbike", ownership_order=1, on=date(2027, 1, 1)) == 100
    # the new table has no second-ownership row: the first row applies to every order
    assert pkb_rate_bp(vehicle_type="motorbike", ownership_order=2, on=date(2027, 1, 1)) == 100
    assert pkb_rate_bp(vehicle_type="car", ownership_order=1, on=date(2027, 1, 1)) == 120
    assert opsen_rate_bp(on=date(2027, 6, 1)) == 5000


def test_late_fee_is_capped_at_the_rules_maximum_months():
    LateFeeRule.objects.create(effective_from=date(2026, 1, 1), rate_bp_per_month=100, max_months=2, name="cap")
    lines = bill_compute(
        tax_base=10_000_000,
        vehicle_type="motorbike",
        ownership_order=1,
        due_date=date(2026, 5, 1),
        on=date(2026, 11, 24),
    )
    assert lines.months_late == 7
    assert lines.pkb_late_fee == 2_400  # 1 % x 2 months of 120 000


def test_no_policy_row_for_the_date_is_an_error():
    with pytest.raises(PolicyMissing):
        pkb_rate_bp(vehicle_type="motorbike", ownership_order=1, on=date(2005, 1, 1))
    with pytest.raises(PolicyMissing):
        outlet_fee_per_payment(on=date(2020, 1, 1))
    assert outlet_fee_per_payment(on=date(2026, 11, 24)) == 3_500


@pytest.mark.parametrize(
    ("raw", "plate"),
    [
        ("ag1234xy", "AG 1234 XY"),
        (" AG 1234 XY ", "AG 1234 XY"),
        ("s-1234-ab", "S 1234 AB"),
        ("L 1 A", "L 1 A"),
        ("N  3456", "N 3456"),
        ("ae 4567 mn", "AE 4567 MN"),
        ("W2345QA", "W 2345 QA"),
        ("p 5678 rt", "P 5678 RT"),
        ("m 8899 kl", "M 8899 KL"),
    ],
)
def test_plates_are_normalised(raw, plate):
    assert plate_normalise(raw) == plate


@pytest.mark.parametrize("raw", ["B 1234 ABC", "AB 1234 CD", "D 1 A", "H 4321 XY"])
def test_plates_from_outside_east_java_are_refused(raw):
    with pytest.raises(PlateError, match="not an East Java plate"):
        plate_normalise(raw)


@pytest.mark.parametrize("raw", ["", "1234", "AG 0123 X", "AG 12345 X", "AG 1234 ABCD", "AG-XY", "ABC 12 X"])
def test_unreadable_plates_are_refused(raw):
    with pytest.raises(PlateError, match="Write the plate"):
        plate_normalise(raw)
