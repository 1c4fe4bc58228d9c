import pytest
from django.core.management import call_command

from opop.models import AuditEvent
from pesantren.models import MonthlyReport, MonthlyReportRevision, Pesantren, PotentialMapping

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Pesantren.objects.count(),
        MonthlyReport.objects.count(),
        MonthlyReportRevision.objects.count(),
        PotentialMapping.objects.count(),
        AuditEvent.objects.count(),
    )


def test_seed_demo_covers_every_state_and_a_second_run_changes_nothing():
    call_command("seed_demo", stdout=None)
    first = _counts()
    assert first[0] >= 12
    assert set(Pesantren.objects.values_list("status", flat=True)) == set(Pesantren.Status.values)
    cohorts = set(Pesantren.objects.exclude(cohort=None).values_list("cohort", flat=True))
    assert {2019, 2020, 2021, 2022, 2023} <= cohorts
    assert Pesantren.objects.values("kabupaten_kota").distinct().count() >= 8
    assert MonthlyReport.objects.filter(revision__gt=1).exists()
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {"submitted", "verified", "returned"}
    darul_ulum = Pesantren.objects.get(name="Pondok Pesantren Darul Ulum")
    assert darul_ulum.organisation.memberships.filter(user__email="admin.pesantren@opop.test").exists()
    call_command("seed_demo", stdout=None)
    assert _counts() == first
