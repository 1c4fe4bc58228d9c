from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from opop.formatting import format_date, format_rupiah, normalise_phone


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Rp0"),
        (500, "Rp500"),
        (15000, "Rp15.000"),
        (1_250_000, "Rp1.250.000"),
        (4_798_000_000_000, "Rp4.798.000.000.000"),
        (-15000, "-Rp15.000"),
        (None, ""),
    ],
)
def test_format_rupiah_follows_puebi(amount, expected):
    assert format_rupiah(amount) == expected


def test_rupiah_filter_is_available_in_every_template_without_load():
    rendered = Template("{{ price|rupiah }} | {{ missing|rupiah }} | {{ text|rupiah }}").render(
        Context({"price": 15000, "missing": None, "text": "abc"})
    )
    assert rendered == "Rp15.000 |  | "


def test_rupiah_filter_rounds_decimals_to_whole_rupiah():
    from decimal import Decimal

    assert Template("{{ v|rupiah }}").render(Context({"v": Decimal("15000.00")})) == "Rp15.000"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(031) 5678901", "+62315678901"),
    ],
)
def test_phone_numbers_are_stored_as_plus_62(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0812abc4567", "+1 202 555 0100", "08123", "0812345678901234", ""])
def test_phone_numbers_that_cannot_be_indonesian_are_refused(raw):
    with pytest.raises(ValueError, match=r"\S"):
        normalise_phone(raw)


def test_dates_are_written_day_month_year_in_wib():
    utc_evening = datetime(2026, 11, 21, 20, 30, tzinfo=ZoneInfo("UTC"))  # 03:30 on the 22nd in WIB
    assert format_date(utc_evening, "id") == "22 Nov 2026"
    assert format_date(date(2026, 8, 17), "id") == "17 Agu 2026"
    assert format_date(date(2026, 8, 17), "en") == "17 Aug 2026"


def test_tanggal_filter_follows_the_active_language():
    template = Template("{{ d|tanggal }}")
    with translation.override("id"):
        assert template.render(Context({"d": date(2026, 5, 1)})) == "1 Mei 2026"
    with translation.override("en"):
        assert template.render(Context({"d": date(2026, 5, 1)})) == "1 May 2026"


def test_opening_hours_name_the_days_in_the_active_language():
    from opop.formatting import format_opening_hours

    assert format_opening_hours("Sabtu-Kamis 08.00-15.00 WIB", "en") == "Saturday\N{EN DASH}Thursday 08.00-15.00 WIB"
    assert format_opening_hours("Sabtu-Kamis 08.00-15.00 WIB", "id") == "Sabtu-Kamis 08.00-15.00 WIB"
