"""Dashboards as panels: a dashboard is an ordered list of `Panel`s, each one block of the page (a table
with its chart and export links, or a row of figure tiles) with its own template partial.

A panel's `build(context)` returns a `Table` (what the page shows and what ?export=csv|xlsx&table=<key>
downloads) or a dict of figures for its template. Panels that show the same figures read them through
`context.once(read)`, so a dashboard costs one query per read, however many panels show it.
`show()` builds every panel of a dashboard into `Shown` values: plain data (labels translated), which is
what reports.views caches together with their rendered HTML.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from opop.tables import Table
from reports.selectors import Filters, Scope

T = TypeVar("T")

TABLE_TEMPLATE = "reports/panels/table.html"


@dataclass
class Context:
    """What a dashboard's panels are built from: the viewer's scope (None: the public, province-wide),
    the validated filters and, on a drill-down, the kabupaten/kota."""

    scope: Scope | None
    filters: Filters
    kode: str | None = None
    _reads: dict = field(default_factory=dict, repr=False)

    def once(self, read: Callable[["Context"], T]) -> T:
        """read(self), computed the first time a panel asks for it and shared by the others."""
        if read not in self._reads:
            self._reads[read] = read(self)
        return self._reads[read]


@dataclass(frozen=True)
class Panel:
    """One block of a dashboard. `key`: the block's export slug (a table panel's Table carries it too)."""

    key: str
    build: Callable[[Context], Table | dict | None]
    template: str = TABLE_TEMPLATE


@dataclass(frozen=True)
class Shown:
    """A built panel: its table, or its figures (None: the block shows nothing). Picklable: cached."""

    key: str
    template: str
    table: Table | None = None
    figures: dict | None = None


def show(dashboard: list[Panel], context: Context) -> list[Shown]:
    """Every panel of the dashboard built, in order."""
    shown = []
    for panel in dashboard:
        content = panel.build(context)
        if isinstance(content, Table):
            if content.slug != panel.key:
                raise ValueError(f"panel {panel.key!r} built table {content.slug!r}")
            shown.append(Shown(panel.key, panel.template, table=content.translated()))
        else:
            shown.append(Shown(panel.key, panel.template, figures=content))
    return shown


def tables_of(shown: list[Shown]) -> list[Table]:
    """The tables among the built panels: what the page can export."""
    return [panel.table for panel in shown if panel.table is not None]


def figures_of(shown: list[Shown], key: str) -> dict | None:
    return next(panel.figures for panel in shown if panel.key == key)
