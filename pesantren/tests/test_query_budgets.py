"""Pesantren pages cost the same queries for few rows as for fifty.

Measured logged in (province staff for the staff pages, the admin for their own pesantren); the
user row and their memberships are part of every count. Each "row" is one pesantren at every
status the lists show (submitted for the queue, active and verified for the directory), plus, on
the pesantren's own file, one business unit, mapping, submitted report and partner each.
"""

import pytest
from django.urls import reverse

from opop.tests.budgets import assert_budgets, measure
from opop.tests.factories import OrganisationFactory
from pesantren.tests.factories import (
    BusinessUnitFactory,
    MonthlyReportFactory,
    PartnerFactory,
    PesantrenFactory,
    PotentialMappingFactory,
)

pytestmark = pytest.mark.django_db


def _rows(pes_a, count, start=0):
    for n in range(start, start + count):
        for status in ("submitted", "active", "verified"):
            organisation = OrganisationFactory(kabupaten_kota_id=("35.17", "35.14", "35.07")[n % 3])
            pesantren = PesantrenFactory(
                organisation=organisation, status=status, cohort=None if status == "submitted" else 2021
            )
            PotentialMappingFactory(pesantren=pesantren)
            MonthlyReportFactory(pesantren=pesantren, status="submitted")
        BusinessUnitFactory(pesantren=pes_a)
        PotentialMappingFactory(pesantren=pes_a)
        MonthlyReportFactory(pesantren=pes_a, status="submitted")
        PartnerFactory()


def test_pesantren_pages_cost_the_same_queries_for_one_row_and_for_fifty(
    client, pes_a, admin_a, province_staff, diskop
):
    staff_pages = {
        "staff list": (reverse("pesantren:staff_list"), {"status": "active"}),
        "verification queue": (reverse("pesantren:queue"), None),
        "partners": (reverse("pesantren:partners"), None),
        "directory": (reverse("pesantren:directory"), None),
        "pesantren file": (reverse("pesantren:detail", args=[pes_a.pk]), None),
        "organisations": (reverse("opop:organisation_list"), None),
    }
    admin_pages = {
        "my pesantren": (reverse("pesantren:detail", args=[pes_a.pk]), None),
        "public profile": (reverse("pesantren:public", args=[pes_a.organisation.slug]), None),
    }

    def everything():
        client.force_login(province_staff)
        counts = measure(client, staff_pages)
        client.force_login(admin_a)
        return counts | measure(client, {f"admin: {k}": v for k, v in admin_pages.items()})

    _rows(pes_a, 1)
    small = everything()
    _rows(pes_a, 16, start=1)
    assert_budgets(small, everything(), {})
