"""Forms on a phone: filter panels shut unless a filter is active, required fields marked, focus to the first error."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    match = re.search(r"<details class=\"filter-panel\"[^>]*>", html)
    assert match, "no filter panel on the page"
    return match.group(0)


@pytest.mark.parametrize(
    ("params", "is_open"),
    [
        ({}, False),
        ({"q": "kopi"}, False),  # the search words alone: results first
        ({"q": "kopi", "in_stock": "on"}, True),
        ({"filter": "1"}, True),  # the panel's own submit keeps it open
        ({"sort": "price"}, True),
    ],
)
def test_search_filter_panel_opens_only_with_an_active_filter(client, params, is_open):
    html = client.get(reverse("marketplace:search"), params).content.decode()
    assert (" open" in _panel(html)) is is_open


def test_staff_filter_panel_is_shut_without_filters_and_open_with_one(client, province_staff):
    client.force_login(province_staff)
    url = reverse("pesantren:staff_list")
    assert " open" not in _panel(client.get(url).content.decode())
    html = client.get(url, {"status": "active"}).content.decode()
    assert " open" in _panel(html)
    assert 'name="filter" value="1"' in html


def test_seller_queue_filter_panel_keeps_the_tab(client):
    from django.http import QueryDict

    from opop.templatetags.opop import filter_panel_is_open

    assert not filter_panel_is_open(QueryDict("tab=paid"), None)
    assert filter_panel_is_open(QueryDict("filter=1"), None)


def test_every_page_loads_the_forms_script(client):
    with translation.override("en"):
        html = client.get(reverse("marketplace:search")).content.decode()
    assert "js/forms.js" in html


def test_a_required_field_is_marked_and_an_optional_one_is_not(client, shopper):
    client.force_login(shopper)
    with translation.override("en"):
        html = client.get(reverse("marketplace:address_create")).content.decode()
    label = re.search(r'<label for="id_recipient_name">.*?</label>', html, re.S)
    assert label, html[:2000]
    assert 'class="required-mark" aria-hidden="true">*</span>' in label.group(0)
    assert '<span class="visually-hidden"> (wajib)</span>' in label.group(0)  # the page is Indonesian
    assert re.search(r'<input[^>]*name="recipient_name"[^>]*required', html)
