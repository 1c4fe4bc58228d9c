"""Hostile input at the programme dashboards' filter forms (GET; attacked by tests/test_hostile_endpoints.py).

Reports has no POST endpoint: its forms are the dashboard filters, which must ignore bad values, not fail.
"""

from opop.tests.hostile import Endpoint

WATCH = ("reports",)
FILTERS = ("year", "kabupaten_kota", "cohort", "pillar", "export", "table", "sort", "dir", "figure")

ENDPOINTS = [
    Endpoint("reports:dashboard", "staff_province", method="get", fields=FILTERS),
    Endpoint("reports:region", "staff_region", method="get", fields=FILTERS),
    Endpoint("reports:regions", "staff_province", method="get", fields=FILTERS),
    Endpoint("reports:cohorts", "staff_province", method="get", fields=FILTERS),
    Endpoint("reports:public", "anonymous", method="get", fields=FILTERS),
]
