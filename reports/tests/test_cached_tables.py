"""The dashboards' tables are cached per rollup generation: a rollup run that changes the figures shows
on the very next page, a warm page costs fewer, fixed queries, and the key holds scope, filters and language."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opop.figures import figures_mark_dirty
from opop.formatting import format_rupiah
from opop.tests.factories import MembershipFactory
from reports import cached
from reports.models import FigureRollup, RollupRun
from reports.services import rollup_full, rollup_incremental
from reports.tests.factories import pesantren_in, verified_report

pytestmark = pytest.mark.django_db

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
FIGS = {"aset": 1, "workers_total": 2, "jobs_created": 1}


@pytest.fixture
def figures(db):
    jombang = pesantren_in("35.17", 2021, "PP Darul Ulum Jombang")
    pasuruan = pesantren_in("35.14", 2022, "PP Sidogiri Pasuruan")
    verified_report(jombang, JAN, omzet=100_000_000, **FIGS)
    verified_report(pasuruan, JAN, omzet=40_000_000, **FIGS)
    rollup_full()
    return {"jombang": jombang, "pasuruan": pasuruan}


PAGES = {
    "overview": (reverse("reports:dashboard"), {}),
    "overview filtered": (reverse("reports:dashboard"), {"year": 2026, "pillar": "pesantrenpreneur"}),
    "by region": (reverse("reports:regions"), {"sort": "omzet", "dir": "desc"}),
    "drill-down": (reverse("reports:region", args=["35.17"]), {"year": 2026}),
    "cohorts": (reverse("reports:cohorts"), {}),
    "public": (reverse("reports:public"), {}),
}


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _html(client, name: str) -> str:
    url, params = PAGES[name]
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_an_incremental_rollup_shows_new_figures_on_the_next_page(client, figures, province_staff, name):
    client.force_login(province_staff)
    before = _html(client, name)
    assert _without_csrf(_html(client, name)) == _without_csrf(before)  # now from the cache
    # Two more pesantren report in Jombang (three are needed before the public page shows omzet).
    for n in range(2):
        verified_report(pesantren_in("35.17", 2021, f"PP Baru {n}"), JAN, omzet=7_000_000, **FIGS)
    figures_mark_dirty(when=JAN, kabupaten_kota_id="35.17")
    assert rollup_incremental().keys == 1
    after = _html(client, name)
    jombang = 100_000_000 + 14_000_000
    expected = jombang if name in ("by region", "drill-down", "cohorts") else jombang + 40_000_000
    assert format_rupiah(expected) in after
    assert format_rupiah(expected) not in before


def test_a_full_rollup_shows_new_figures_on_the_next_page(client, figures, province_staff):
    client.force_login(province_staff)
    assert format_rupiah(140_000_000) in _html(client, "overview")
    verified_report(figures["jombang"], FEB, omzet=5_000_000, **FIGS)
    rollup_full()
    html = _html(client, "overview")
    assert format_rupiah(145_000_000) in html
    # The rows behind the exports are the new ones too.
    yearly = client.get(reverse("reports:dashboard")).context["report_tables"][2]
    assert yearly.rows[-1]["period"] == "2026"
    assert yearly.rows[-1]["omzet"] == 145_000_000


def test_rollup_rows_written_with_a_run_are_seen_even_if_the_cache_missed_the_invalidation(
    client, figures, province_staff, monkeypatch
):
    """The generation includes the latest run read from the database, so a lost cache delete (Redis
    unreachable at that moment) cannot leave old tables in place."""
    client.force_login(province_staff)
    assert format_rupiah(140_000_000) in _html(client, "overview")
    monkeypatch.setattr(cached, "forget_generation", lambda: None)
    FigureRollup.objects.filter(kabupaten_kota_id="35.14").update(omzet=60_000_000)
    RollupRun.objects.create(kind=RollupRun.Kind.INCREMENTAL, keys=1)
    assert format_rupiah(160_000_000) in _html(client, "overview")


def test_deleting_the_latest_run_drops_the_cached_tables(client, figures, province_staff):
    client.force_login(province_staff)
    _html(client, "overview")
    FigureRollup.objects.filter(kabupaten_kota_id="35.14").update(omzet=60_000_000)
    run = RollupRun.objects.create(kind=RollupRun.Kind.INCREMENTAL, keys=1)
    assert format_rupiah(160_000_000) in _html(client, "overview")
    FigureRollup.objects.filter(kabupaten_kota_id="35.14").update(omzet=80_000_000)
    run.delete()  # the latest run id is the one the first page was cached under again
    assert format_rupiah(180_000_000) in _html(client, "overview")


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context)


def _pesantren(count: int, start: int):
    for n in range(start, start + count):
        verified_report(pesantren_in("35.17" if n % 2 else "35.14", 2021 + n % 3, f"PP {n}"), JAN, omzet=1, **FIGS)
    rollup_full()


@pytest.mark.parametrize("name", PAGES)
def test_a_warm_page_costs_fewer_queries_and_the_same_for_few_and_many_rows(client, province_staff, name):
    url, params = PAGES[name]
    client.force_login(province_staff)
    counts = []
    for start, count in ((0, 1), (1, 30)):
        _pesantren(count, start)
        client.get(reverse("reports:dashboard"), {"year": 2024})  # warms the session and the regions
        cold = _queries(client, url, params)
        warm = _queries(client, url, params)
        assert warm < cold
        counts.append(warm)
    # The session's user and their memberships, and the one query for the rollup generation.
    assert counts == [3, 3]


def test_language_is_part_of_the_key(client, figures, province_staff):
    client.force_login(province_staff)
    assert "Angka per bulan" in _html(client, "overview")
    client.cookies["django_language"] = "en"
    english = _html(client, "overview")
    assert "Figures by month" in english
    assert "Angka per bulan" not in english


def test_scope_is_part_of_the_key(client, figures, province_staff, diskop):
    client.force_login(province_staff)
    regions = client.get(*PAGES["by region"]).context["report_tables"][0].rows
    assert len(regions) == 38
    staff = MembershipFactory(organisation=diskop, role="staff", region_id="35.14").user
    client.force_login(staff)
    rows = client.get(*PAGES["by region"]).context["report_tables"][0].rows
    assert [row["kode"] for row in rows] == ["35.14"]


def test_filters_are_part_of_the_key_and_export_links_keep_the_request_query(client, figures, province_staff):
    client.force_login(province_staff)
    url = reverse("reports:dashboard")
    everything = client.get(url).content.decode()
    assert 'href="?export=csv&amp;table=monthly"' in everything
    filtered = client.get(url, {"year": 2025}).content.decode()
    assert format_rupiah(140_000_000) in everything
    assert 'href="?year=2025&amp;export=csv&amp;table=monthly"' in filtered
    # The same filters with another (ignored) parameter share the cached tables; the links keep it.
    other = client.get(url, {"year": 2025, "utm": "<x>"}).content.decode()
    assert 'href="?year=2025&amp;utm=%3Cx%3E&amp;export=csv&amp;table=monthly"' in other
    response = client.get(url, {"year": 2026, "export": "csv", "table": "yearly"})
    assert "140000000" in response.content.decode()


def test_a_renamed_pesantren_shows_on_the_drill_down(client, figures, province_staff):
    client.force_login(province_staff)
    assert "PP Darul Ulum Jombang" in _html(client, "drill-down")
    pesantren = figures["jombang"]
    pesantren.name = "PP Darul Ulum Rejoso"
    pesantren.save()
    html = _html(client, "drill-down")
    assert "PP Darul Ulum Rejoso" in html
    assert "PP Darul Ulum Jombang" not in html


def test_without_a_cache_every_page_is_computed_and_current(client, figures, province_staff, monkeypatch):
    """opop.cache answers every read as a miss while Redis is down: pages are computed, never stale."""
    client.force_login(province_staff)
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: None)
    for name in PAGES:
        _html(client, name)
    FigureRollup.objects.filter(kabupaten_kota_id="35.14").update(omzet=60_000_000)
    assert format_rupiah(160_000_000) in _html(client, "overview")


def test_the_cached_filter_form_shows_each_request_its_own_choice(client, figures, province_staff):
    client.force_login(province_staff)
    url = reverse("reports:dashboard")
    for year in (2025, 2024, 2025):
        html = client.get(url, {"year": year}).content.decode()
        assert f'<option value="{year}" selected>' in html
        assert html.replace('<option value="" selected>', "").count("selected>") == 1
    unfiltered = client.get(url).content.decode()
    assert "selected>" not in unfiltered.replace('<option value="" selected>', "")
    # An invalid value is ignored and rendered as it is, not cached under a valid key.
    assert client.get(url, {"year": "1900"}).status_code == 200
    assert '<option value="2025" selected>' not in client.get(url, {"year": "1900"}).content.decode()


def test_url_values_outside_the_choices_share_one_entry(client, figures, province_staff, monkeypatch):
    """Hostile or mistyped values (ignored by the page) must not each make a cache entry."""
    keys = []
    key_for = cached.key_for
    monkeypatch.setattr(cached, "key_for", lambda *args: keys.append(key_for(*args)) or keys[-1])
    client.force_login(province_staff)
    for junk in ("x1", "x2", "<script>"):
        assert client.get(reverse("reports:regions"), {"sort": junk, "year": junk, "cohort": junk}).status_code == 200
        assert client.get(reverse("reports:dashboard"), {"pillar": junk, "kabupaten_kota": junk}).status_code == 200
    assert len(set(keys)) == 2
