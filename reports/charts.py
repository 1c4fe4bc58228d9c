"""Charts as inline SVG drawn on the server: no JavaScript, no external service; they scale to the
screen (viewBox) and print. Each chart sits next to a table with the same numbers."""

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from opop.formatting import format_compact

# Drawn at 640 units wide and scaled to the screen: 17-unit text stays legible at a phone's 360 px.
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 84, 10, 18, 52
MAX_LABELS = 6
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
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


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
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


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
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
