"""Charts readable in both languages (issue 24): axis ticks without repeats, units spelled per language."""

import re

import pytest
from django.utils import translation

from opop.formatting import format_compact
from reports.charts import Series, _ticks, bar_chart


def _axis_labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" fill="#555">([^<]*)</text>', svg)


@pytest.mark.parametrize("top", [1, 2, 3, 4, 5, 7, 10, 37, 99, 1_000, 863_500_000, 1_700_000_000])
def test_axis_ticks_never_repeat_a_label(top):
    with translation.override("en"):
        labels = _axis_labels(bar_chart("t", ["a", "b"], Series("s", [top, 0])))
    assert labels[0] == "0" and len(labels) == len(set(labels)) >= 2, labels
    assert _ticks(top)[-1] >= top


def test_the_flagship_chart_counts_0_1_2_not_0_0_1_2_2():
    with translation.override("id"):
        assert _axis_labels(bar_chart("t", ["2025", "2026"], Series("s", [1, 2]))) == ["0", "1", "2"]


def test_units_are_spelled_per_language():
    assert format_compact(1_700_000_000, language="id") == "1,7 M"
    assert format_compact(1_700_000_000, language="en") == "1.7 B"
    assert format_compact(1_700_000_000, long=True, language="id") == "1,7 miliar"
    assert format_compact(1_700_000_000, long=True, language="en") == "1.7 billion"
    assert format_compact(863_500_000, language="id") == "863,5 jt"
    assert format_compact(863_500_000, long=True, language="en") == "863.5 million"
    assert format_compact(12_000, language="en") == "12 k" and format_compact(950, language="id") == "950"


def test_an_english_chart_has_no_indonesian_units():
    with translation.override("en"):
        svg = bar_chart("Omzet", ["Jan", "Feb"], Series("s", [863_500_000, 1_700_000_000]))
    assert " jt" not in svg and " miliar" not in svg and "," not in "".join(_axis_labels(svg))
    assert "1.5 B" in _axis_labels(svg) and "Feb: 1.7 billion" in svg and "Jan: 863.5 million" in svg


def _phone(svg: str) -> str:
    match = re.search(r'<svg class="chart chart-phone".*?</svg>', svg, re.S)
    assert match, "no phone variant"
    return match.group(0)


def _font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r'font-size="([0-9.]+)"', svg)]


def test_a_bar_chart_has_a_phone_variant_of_horizontal_bars_with_labels_of_11_px_or_more():
    from reports.charts import PHONE_WIDTH

    svg = bar_chart("Products", ["2024", "2025", "2026"], Series("Products", [3, 0, 7]))
    assert '<svg class="chart chart-wide"' in svg
    phone = _phone(svg)
    sizes = _font_sizes(phone)
    assert sizes and min(sizes) >= 11
    # drawn at about the phone's width, so its units are about CSS pixels at 360 px
    assert f'viewBox="0 0 {PHONE_WIDTH} ' in phone and PHONE_WIDTH <= 360
    bars = re.findall(r'<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)" height="14"', phone)
    assert len(bars) == 3 and len({x for x, _w in bars}) == 1  # one row per year, all from the same left edge
    assert ">2026</text>" in phone and ">7</text>" in phone  # the value written at the bar


def test_a_line_chart_on_a_phone_has_a_legend_and_a_bar_per_series_and_label():
    from reports.charts import line_chart

    svg = line_chart("Turnover", ["2025", "2026"], [Series("Omzet", [5, 6]), Series("Aset", [1, None])])
    phone = _phone(svg)
    assert ">Omzet</text>" in phone and ">Aset</text>" in phone
    assert len(re.findall(r'height="14"', phone)) == 4
    assert min(_font_sizes(phone)) >= 11


def test_a_long_monthly_chart_shows_the_latest_twelve_months_on_a_phone():
    labels = [f"2019-{m:02d}" for m in range(1, 13)] + ["2020-01", "2020-02"]
    with translation.override("en"):
        phone = _phone(bar_chart("Monthly", labels, Series("Omzet", list(range(14)))))
    assert ">Latest 12 of 14</text>" in phone
    assert ">2019-01</text>" not in phone and ">2019-03</text>" in phone and ">2020-02</text>" in phone


def test_the_cartogram_has_a_list_of_names_and_values_for_phones():
    from reports.charts import cartogram

    tiles = [
        {
            "kode": "35.76",
            "short": "Mojokerto",
            "kota": True,
            "value": 5,
            "display": "5",
            "short_value": "5",
            "url": "/a",
        },
        {
            "kode": "35.16",
            "short": "Mojokerto",
            "kota": False,
            "value": 9,
            "display": "9",
            "short_value": "9",
            "url": "/b",
        },
    ]
    html = cartogram("Pesantren", tiles)
    items = re.findall(r'<li><a href="([^"]+)"><span>([^<]+)</span><strong>([^<]+)</strong></a></li>', html)
    assert items == [("/b", "Mojokerto", "9"), ("/a", "Kota Mojokerto", "5")]  # highest first, full names
