"""Charts as inline SVG drawn on the server: no JavaScript, no external service; they scale to the
screen (viewBox) and print. Each chart sits next to a table with the same numbers."""

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from opop.formatting import format_compact

# Drawn at 640 units wide and scaled to the screen: 17-unit text stays legible at a phone's 360 px.
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 84, 10, 18, 52
MAX_LABELS = 6
# The phone layout: horizontal bars, one row per label, values at the bar ends. Drawn 340 wide and shown in a
# ~295 px card on a 360 px phone, so 14-unit text is about 12 px on the screen (never under 11).
PHONE_WIDTH, PHONE_FONT, PHONE_LABEL_W, PHONE_ROWS = 340, 14, 104, 12
NO_FIGURE = "\u2013"  # an en dash where a year has no figure yet
PALETTE = ["#1b7a43", "#c27c0e", "#2f5fa7", "#a23b72", "#5a6b2f", "#6c4f9e", "#0f7c80", "#b5482a"]


@dataclass
class Series:
    label: str
    values: list[int | float | None]


def _compact(value: float) -> str:
    """Short axis labels in the active language: 1,2 M (miliar) · 3,4 jt / 1.2 B · 3.4 M (opop.formatting)."""
    return format_compact(value)


def _long(value: float) -> str:
    """Tooltips spell the unit out: 1,7 miliar / 1.7 billion."""
    return format_compact(value, long=True)


def _ticks(top: float) -> list[float]:
    """Axis ticks from 0 at a round step (1, 2 or 5 times a power of ten, never below 1: the figures are counts and
    rupiah), so no two ticks print the same label (0, 0, 1, 2, 2 becomes 0, 1, 2)."""
    top = max(float(top), 1.0)
    magnitude = 10 ** math.floor(math.log10(top / 4)) if top >= 4 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude * 4 >= top)
    step = max(step, 1.0)
    count = math.ceil(top / step - 1e-9)
    return [step * i for i in range(count + 1)]


def _frame(title: str, labels: list[str], top: float) -> tuple[list[str], float]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="17" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    ticks = _ticks(top)
    for value in ticks:
        y = TOP + plot_h - plot_h * value / ticks[-1]
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_compact(value)}</text>')
    every = -(-len(labels) // MAX_LABELS) if len(labels) > MAX_LABELS else 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for index, label in enumerate(labels):
        if index % every:
            continue
        x = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    return parts, plot_h


def _top(series: list[Series]) -> float:
    """The axis top: the highest value rounded up to the last tick, so bars and ticks share one scale."""
    top = max((max((v for v in s.values if v is not None), default=0) for s in series), default=0)
    return _ticks(float(top) if top > 0 else 1.0)[-1]


def bar_chart(title: str, labels: list[str], series: Series) -> SafeString:
    top = _top([series])
    parts, plot_h = _frame(title, labels, top)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for index, value in enumerate(series.values):
        value = value or 0
        height = plot_h * max(value, 0) / top
        x = LEFT + slot * index + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape(labels[index])}: {_long(value)}</title></rect>'
        )
    parts.append("</svg>")
    return _both("".join(parts), _phone_bars(title, labels, [series]))


def line_chart(title: str, labels: list[str], series: list[Series]) -> SafeString:
    top = _top(series)
    parts, plot_h = _frame(title, labels, top)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        # None is "no figure" (a year not yet reached): the line stops there instead of dropping to 0.
        points = " ".join(
            f"{LEFT + slot * (index + 0.5):.1f},{TOP + plot_h - plot_h * max(value, 0) / top:.1f}"
            for index, value in enumerate(line.values)
            if value is not None
        )
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{points}"/>')
        parts.append(
            f'<text x="{LEFT + 8 + 110 * (number % 5)}" y="{HEIGHT - 6}" fill="{colour}" font-weight="bold">'
            f"{escape(line.label)}</text>"
        )
    parts.append("</svg>")
    return _both("".join(parts), _phone_bars(title, labels, series))


def _both(wide: str, phone: str) -> SafeString:
    """The chart twice: the wide one for tablets, desktops and print, the phone one shown below 40em
    (reports.css). Both are images with the same title; the table beside them holds every number."""
    wide = wide.replace('<svg class="chart"', '<svg class="chart chart-wide"', 1)
    return mark_safe(wide + phone)  # noqa: S308 - every label is escaped by the callers


def _phone_bars(title: str, labels: list[str], series: list[Series]) -> str:
    """Horizontal bars for a phone: a row per label (the latest PHONE_ROWS when there are more), a thin bar per
    series in its colour, the value written at the bar's end, a legend on top when there is more than one series."""
    shown = list(range(max(len(labels) - PHONE_ROWS, 0), len(labels)))
    top = _top(series)
    bar_h, gap = 14, 10
    row_h = max(len(series) * (bar_h + 2), PHONE_FONT + 6) + gap
    head = 0
    notes = []
    if len(series) > 1:
        head += PHONE_FONT + 10
    if len(shown) < len(labels):
        notes.append(_("Latest %(shown)s of %(total)s") % {"shown": len(shown), "total": len(labels)})
        head += PHONE_FONT + 8
    height = head + row_h * len(shown) + 4
    plot_w = PHONE_WIDTH - PHONE_LABEL_W - 64  # room on the right for the value
    parts = [
        f'<svg class="chart chart-phone" viewBox="0 0 {PHONE_WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{PHONE_FONT}" '
        f'font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    y = 0
    if len(series) > 1:
        x = 0
        for number, line in enumerate(series):
            colour = PALETTE[number % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="{y + 2}" width="10" height="10" fill="{colour}"/>')
            parts.append(f'<text x="{x + 14}" y="{y + PHONE_FONT}" fill="#333">{escape(line.label)}</text>')
            x += 14 + 8 * len(line.label) + 16
        y += PHONE_FONT + 10
    for note in notes:
        parts.append(f'<text x="0" y="{y + PHONE_FONT}" fill="#555">{escape(note)}</text>')
        y += PHONE_FONT + 8
    rows_top = y
    for index in shown:
        parts.append(
            f'<text x="{PHONE_LABEL_W - 6}" y="{y + PHONE_FONT + 1}" text-anchor="end" fill="#333">'
            f"{escape(labels[index])}</text>"
        )
        for number, line in enumerate(series):
            value = line.values[index] if index < len(line.values) else None
            by = y + number * (bar_h + 2)
            width = plot_w * max(value or 0, 0) / top
            colour = PALETTE[number % len(PALETTE)]
            text = NO_FIGURE if value is None else _compact(value)
            parts.append(
                f'<rect x="{PHONE_LABEL_W}" y="{by}" width="{width:.1f}" height="{bar_h}" fill="{colour}">'
                f"<title>{escape(line.label)}, {escape(labels[index])}: "
                f"{NO_FIGURE if value is None else _long(value)}</title></rect>"
            )
            parts.append(
                f'<text x="{PHONE_LABEL_W + width + 4:.1f}" y="{by + bar_h - 2}" fill="#333">{escape(text)}</text>'
            )
        y += row_h
    parts.append(f'<line x1="{PHONE_LABEL_W}" x2="{PHONE_LABEL_W}" y1="{rows_top}" y2="{y}" stroke="#999"/>')
    parts.append("</svg>")
    return "".join(parts)


# A tile cartogram of East Java: one equal tile per kabupaten/kota at about its place, west to east,
# Madura along the top right. (column, row) per code.
TILES = {
    "35.22": (1, 0), "35.23": (2, 0), "35.24": (3, 0), "35.25": (4, 0), "35.78": (5, 0),
    "35.26": (6, 0), "35.27": (7, 0), "35.28": (8, 0), "35.29": (9, 0),
    "35.21": (0, 1), "35.19": (1, 1), "35.18": (2, 1), "35.17": (3, 1), "35.16": (4, 1), "35.15": (5, 1),
    "35.20": (0, 2), "35.77": (1, 2), "35.71": (2, 2), "35.06": (3, 2), "35.76": (4, 2),
    "35.75": (5, 2), "35.14": (6, 2), "35.74": (7, 2), "35.13": (8, 2), "35.12": (9, 2),
    "35.02": (0, 3), "35.04": (2, 3), "35.72": (3, 3), "35.79": (4, 3), "35.73": (5, 3),
    "35.08": (7, 3), "35.11": (8, 3), "35.10": (9, 3),
    "35.01": (0, 4), "35.03": (1, 4), "35.05": (3, 4), "35.07": (5, 4), "35.09": (8, 4),
}  # fmt: skip
SHADES = ["#eef5ef", "#cfe6d5", "#9fceab", "#5fae76", "#1b7a43"]


def cartogram(title: str, tiles: list[dict]) -> SafeString:
    """Tiles: dicts with kode, short (name), kota (bool), value, display, url. Five shades by rank."""
    size_w, size_h, gap = 64, 50, 3
    values = sorted({tile["value"] for tile in tiles if tile["value"]})
    parts = [
        f'<svg class="chart cartogram" viewBox="0 0 {10 * (size_w + gap)} {5 * (size_h + gap)}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for tile in tiles:
        if tile["kode"] not in TILES:
            continue
        column, row = TILES[tile["kode"]]
        x, y = column * (size_w + gap), row * (size_h + gap)
        shade = 0
        if tile["value"] and values:
            shade = 1 + min(3, values.index(tile["value"]) * 4 // len(values))
        fill = SHADES[shade]
        ink = "#fff" if shade >= 3 else "#222"
        name = ("Kota " if tile["kota"] else "") + tile["short"]
        parts.append(f'<a href="{escape(tile["url"])}">')
        parts.append(
            f'<rect x="{x}" y="{y}" width="{size_w}" height="{size_h}" rx="4" fill="{fill}" stroke="#9aa">'
            f"<title>{escape(name)}: {escape(tile['display'])}</title></rect>"
        )
        parts.append(
            f'<text x="{x + size_w / 2}" y="{y + 20}" text-anchor="middle" fill="{ink}">{escape(name[:13])}</text>'
        )
        parts.append(
            f'<text x="{x + size_w / 2}" y="{y + 36}" text-anchor="middle" fill="{ink}" font-weight="bold">'
            f"{escape(tile['short_value'])}</text></a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts) + _cartogram_list(title, tiles))  # noqa: S308 - every label is escaped


def _cartogram_list(title: str, tiles: list[dict]) -> str:
    """The cartogram on a phone (reports.css shows it below 40em instead of the map): every kabupaten/kota
    with its figure, highest first, each a link to its page as on the map."""
    ranked = sorted(tiles, key=lambda tile: (-(tile["value"] or 0), tile["short"]))
    items = []
    for tile in ranked:
        name = ("Kota " if tile["kota"] else "") + tile["short"]
        items.append(
            f'<li><a href="{escape(tile["url"])}"><span>{escape(name)}</span>'
            f"<strong>{escape(tile['display'])}</strong></a></li>"
        )
    return f'<ol class="cartogram-list" aria-label="{escape(title)}">{"".join(items)}</ol>'
