"""The alumni page costs the same queries for one alumnus (business, collaboration) as for fifty.

Measured logged in as the pesantren's admin, who sees alumni to verify, their verified alumni and
collaborations to confirm (user row and memberships included in the count).
"""

import pytest
from django.urls import reverse

from alumni import services
from alumni.models import Collaboration
from opop.models import KabupatenKota
from opop.tests.budgets import assert_budgets, measure
from opop.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rows(pes_a, admin_a, count):
    region = KabupatenKota.objects.get(kode="35.17")
    for _ in range(count):
        waiting = UserFactory()
        services.alumnus_register(user=waiting, pesantren=pes_a, graduation_year=2019)
        person = UserFactory()
        alumnus = services.alumnus_register(user=person, pesantren=pes_a, graduation_year=2018)
        services.alumnus_verify(user=admin_a, alumnus=alumnus, verify=True)
        business = services.business_create(
            user=person, name=f"Usaha {person.pk}", sector="food", kabupaten_kota=region, workers=2
        )
        services.collaboration_propose(
            user=person, business=business, pesantren=pes_a, kind=Collaboration.Kind.choices[0][0]
        )


def test_the_alumni_page_costs_the_same_queries_for_one_alumnus_and_for_fifty(client, pes_a, admin_a):
    pages = {"alumni home": (reverse("alumni:home"), None)}
    _rows(pes_a, admin_a, 1)
    client.force_login(admin_a)
    small = measure(client, pages)
    _rows(pes_a, admin_a, 49)
    assert_budgets(small, measure(client, pages), {})
