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
