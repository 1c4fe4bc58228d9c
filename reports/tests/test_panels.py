"""Dashboards built as panels (issue 23): each block of a page is one panel, in the dashboard's order;
panels showing the same figures share one read; a table panel exports under its own key."""

from datetime import date

import pytest
from django.urls import reverse

from opop.tables import Column, Table
from reports import overview, panels, tables
from reports.selectors import Filters, Scope
from reports.services import rollup_full
from reports.tests.factories import pesantren_in, verified_report

FIGS = {"aset": 1, "workers_total": 2, "jobs_created": 1}


def _table(slug: str) -> Table:
    return Table(slug, "Title", [Column("a", "A")], [{"a": 1}])


def test_a_read_shared_by_several_panels_runs_once():
    calls = []

    def read(context):
        calls.append(context.filters)
        return [1, 2]

    dashboard = [
        panels.Panel("one", lambda context: {"n": len(context.once(read))}, "t.html"),
        panels.Panel("two", lambda context: _table("two") if context.once(read) else None),
    ]
    shown = panels.show(dashboard, panels.Context(Scope(None), Filters(year=2026)))
    assert calls == [Filters(year=2026)]
    assert [panel.key for panel in shown] == ["one", "two"]
    assert panels.figures_of(shown, "one") == {"n": 2}
    assert [table.slug for table in panels.tables_of(shown)] == ["two"]
    assert shown[1].template == panels.TABLE_TEMPLATE


def test_a_table_panel_must_build_the_table_of_its_key():
    with pytest.raises(ValueError, match="'monthly' built table 'yearly'"):
        panels.show([panels.Panel("monthly", lambda context: _table("yearly"))], panels.Context(None, Filters()))


@pytest.mark.parametrize("dashboard", [overview.OVERVIEW, tables.REGION_DETAIL, tables.COHORTS, tables.PUBLIC])
def test_every_dashboard_has_panels_with_distinct_keys(dashboard):
    keys = [panel.key for panel in dashboard]
    assert keys and len(keys) == len(set(keys))


def test_the_overview_shows_its_panels_in_order(client, db, province_staff):
    verified_report(pesantren_in("35.17", 2021, "PP Urutan"), date(2026, 1, 1), omzet=100_000_000, **FIGS)
    rollup_full()
    client.force_login(province_staff)
    response = client.get(reverse("reports:dashboard"), {"year": 2026})
    body = response.content.decode()
    blocks = ['class="grid grid-2 pillar-tiles"', "Total tahun 2026:"] + [
        f'id="{panel.key}"' for panel in overview.OVERVIEW[2:]
    ]
    positions = [body.index(block) for block in blocks]
    assert positions == sorted(positions)
    assert [table.slug for table in response.context["report_tables"]] == [
        "pillars",
        "monthly",
        "yearly",
        "flagship-products",
        "bilateral-pairs",
    ]


def test_the_totals_panel_shows_nothing_for_a_period_without_figures(client, db, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("reports:dashboard"), {"year": 2020})
    assert response.context["totals"] is None
    assert "Total tahun 2020:" not in response.content.decode()
    assert 'class="grid grid-2 pillar-tiles"' in response.content.decode()
