"""Hostile text in the address itself: every URL pattern's path parameters get a NUL byte, a slash, markup, a
number past bigint and broken UTF-8, and every page's query string gets the same; no answer is a 500.

The form sweeps (tests/test_hostile_endpoints.py) attack POST bodies; this attacks what a view reads from the URL,
so a new view cannot regress either. Run as a visitor and as a superuser (who gets past every access check).
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from opop.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Raw path segments, already percent-encoded as a client would send them.
SEGMENTS = [
    "%00",  # NUL: PostgreSQL text cannot hold it
    "a%00b",
    "a%2Fb",  # an encoded slash inside one segment
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "99999999999999999999999",  # past bigint
    "%C0%AE%FF",  # not UTF-8
    "..%2F..%2Fetc%2Fpasswd",
]
QUERIES = ["q=%00", "number=a%2Fb", "number=%3Cscript%3E", "page=99999999999999999999999", "sort=%FF", "month=a/b"]
PARAMETER = re.compile(r"<(?:\w+:)?\w+>")


def _routes() -> list[str]:
    """Every route of the project as a template like `mart/pesanan/<str:number>/` (admin excluded)."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = getattr(entry.pattern, "_route", None)
            if route is None:  # a regex pattern (admin, i18n helpers): not ours to sweep
                continue
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append(prefix + route)

    walk(get_resolver().url_patterns, "/")
    return sorted(set(found))


ROUTES = _routes()
WITH_PARAMETERS = [route for route in ROUTES if PARAMETER.search(route)]
WITHOUT_PARAMETERS = [route for route in ROUTES if not PARAMETER.search(route)]


@pytest.fixture
def clients():
    visitor = Client(raise_request_exception=False)
    admin = Client(raise_request_exception=False)
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    return {"visitor": visitor, "superuser": admin}


def _failures(clients, urls) -> list[str]:
    failures = []
    for url in urls:
        for who, client in clients.items():
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"{who} GET {url} → {status}")
    return failures


def test_there_are_routes_to_sweep():
    assert len(WITH_PARAMETERS) > 50 and len(WITHOUT_PARAMETERS) > 50


@pytest.mark.parametrize("segment", SEGMENTS)
def test_no_path_parameter_value_makes_a_500(clients, segment):
    urls = [PARAMETER.sub(segment, route) for route in WITH_PARAMETERS]
    assert _failures(clients, urls) == []


@pytest.mark.parametrize("query", QUERIES)
def test_no_query_string_makes_a_500(clients, query):
    urls = [f"{route}?{query}" for route in WITHOUT_PARAMETERS if "webhook" not in route]
    assert _failures(clients, urls) == []


def test_a_nul_byte_in_the_path_is_not_found_and_in_the_query_a_bad_request(client):
    assert client.get("/mart/pesanan/%00/").status_code == 404
    assert client.get("/halal/sertifikat/%00/").status_code == 404
    assert client.get("/mart/cari/?q=kopi%00").status_code == 400
    assert client.get("/mart/cari/?q=kopi").status_code == 200


def test_the_certificate_search_explains_a_number_that_cannot_be_one(client):
    for number in ("a/b", "<script>alert(1)</script>", "ID 123/45"):
        response = client.get("/halal/sertifikat/", {"number": number})
        assert response.status_code == 200
        assert response.context["form"].errors["number"]
    response = client.get("/halal/sertifikat/", {"number": " id35110000456780922 "})
    assert response.status_code == 302 and response.url == "/halal/sertifikat/ID35110000456780922/"
