"""A table of rows and typed columns: what a report generator or an export builds, and what the HTML
table component, the CSV and the XLSX formatters (`opop.exports`) render. App-agnostic."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from opop.formatting import format_number, format_percent, format_rupiah


@dataclass
class Column:
    key: str
    label: str
    kind: str = "int"  # text | int | rupiah | pct | change
    sortable: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: Iterable[dict]  # a list, or a generator for a large export (written once, as it comes)
    chart: str = ""
    note: str = ""
    links: dict = field(default_factory=dict)  # column key -> row key holding the URL

    def translated(self) -> "Table":
        """A copy whose title, note and column labels are plain strings in the active language: what
        the cache keeps (a lazy translation is rebuilt class and all each time it is unpickled)."""
        return replace(
            self,
            title=str(self.title),
            note=str(self.note),
            columns=[replace(column, label=str(column.label)) for column in self.columns],
        )

    def plain(self, column: Column, row: dict):
        value = row.get(column.key)
        if column.kind in ("pct", "change"):
            return None if value is None else round(value, 1)
        return "" if value is None else value

    def html_rows(self) -> list[list[tuple]]:
        result = []
        for row in self.rows:
            cells = []
            for column in self.columns:
                url = row.get(self.links[column.key]) if column.key in self.links else None
                cells.append((display_value(column.kind, row.get(column.key)), column.kind, url))
            result.append(cells)
        return result


def display_value(kind: str, value) -> str:
    """A cell as a page shows it: Rp15.000, 1.234 / 1,234, 12,5 % / 12.5 % (the active language), — for nothing."""
    if value is None or value == "":
        return "—"
    if kind == "rupiah":
        return format_rupiah(value)
    if kind == "int":
        return format_number(value)
    if kind == "pct":
        return format_percent(value)
    if kind == "change":
        return format_percent(value, sign=True)
    return str(value)
