"""Santri pages cost the same queries for one santri (and event) as for fifty.

Measured logged in as the pesantren's admin (user row and memberships included in the count).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.tests.budgets import assert_budgets, measure
from santri import services
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db


def _rows(pes_a, admin_a, province_staff, count, start=0):
    today = timezone.localdate()
    for n in range(start, start + count):
        SantriFactory(pesantren=pes_a, name=f"Santri {n}")
        services.event_create(
            user=province_staff,
            invited_pesantren=(),
            kind="camp",
            title=f"Santri OPOP Camp {n}",
            starts_on=today + timedelta(days=5),
            ends_on=today + timedelta(days=7),
            place="Batu",
            kabupaten_kota_id="35.17",
            organiser="Diskop UKM Jatim",
            quota=20,
        )


def test_santri_pages_cost_the_same_queries_for_one_row_and_for_fifty(client, pes_a, admin_a, province_staff):
    pages = {
        "santri home": (reverse("santri:home"), None),
        "santri list": (reverse("santri:list", args=[pes_a.pk]), None),
        "santri search": (reverse("santri:list", args=[pes_a.pk]), {"q": "Santri"}),
        "events": (reverse("santri:event_list"), None),
    }
    _rows(pes_a, admin_a, province_staff, 1)
    client.force_login(admin_a)
    small = measure(client, pages)
    _rows(pes_a, admin_a, province_staff, 49, start=1)
    assert_budgets(small, measure(client, pages), {})
