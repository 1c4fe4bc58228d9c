"""Dashboards read rollups only: the same queries for one pesantren as for fifty, and at most five.

Staff pages are measured logged in as province staff (the user and their memberships are two of
the five queries); the public page anonymously, as the public sees it.
"""

from datetime import date

import pytest
from django.urls import reverse

from opop.tests.budgets import assert_budgets, measure
from reports.services import rollup_full
from reports.tests.factories import WIB, paid_order, pesantren_in, store_of, verified_report

pytestmark = pytest.mark.django_db

STAFF_PAGES = {
    "overview": (reverse("reports:dashboard"), None),
    "overview filtered": (reverse("reports:dashboard"), {"year": 2026, "cohort": 2021, "pillar": "pesantrenpreneur"}),
    "by region": (reverse("reports:regions"), {"sort": "omzet", "dir": "desc"}),
    "region drill-down": (reverse("reports:region", args=["35.17"]), None),
    "cohorts": (reverse("reports:cohorts"), None),
}
PUBLIC_PAGES = {"public": (reverse("reports:public"), None)}
CEILING = 5


def _pesantren_with_figures(count: int, start: int = 0):
    from datetime import datetime

    for n in range(start, start + count):
        pesantren = pesantren_in("35.17" if n % 2 else "35.14", 2021 + n % 3, f"PP Budget {n}")
        for month in (date(2025, 12, 1), date(2026, 1, 1)):
            verified_report(pesantren, month, omzet=10_000_000 + n, aset=1, workers_total=2, jobs_created=1)
        paid_order(store_of(pesantren), subtotal=100_000, paid_at=datetime(2026, 1, 5, 10, tzinfo=WIB))
    rollup_full()


def test_dashboards_cost_the_same_few_queries_for_one_pesantren_and_for_fifty(client, province_staff):
    _pesantren_with_figures(1)
    client.force_login(province_staff)
    small = measure(client, STAFF_PAGES)
    client.logout()
    small |= measure(client, PUBLIC_PAGES)

    _pesantren_with_figures(49, start=1)
    client.force_login(province_staff)
    large = measure(client, STAFF_PAGES)
    client.logout()
    large |= measure(client, PUBLIC_PAGES)

    assert_budgets(small, large, dict.fromkeys(small, CEILING))


def test_data_as_of_is_cached_and_dropped_when_a_rollup_runs(client, province_staff):
    _pesantren_with_figures(1)
    client.force_login(province_staff)
    first = client.get(reverse("reports:dashboard")).context["data_as_of"]
    rollup_full()
    assert client.get(reverse("reports:dashboard")).context["data_as_of"] > first
