from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from marketplace.halal.models import CaseEvent, CaseStatus, Certificate, FlagshipProposal, HalalCase, Reminder
from marketplace.models import Product


@pytest.mark.django_db
def test_the_demo_shows_every_state_and_a_second_run_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    counts = [m.objects.count() for m in (HalalCase, CaseEvent, Certificate, FlagshipProposal)]
    assert set(HalalCase.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert HalalCase.objects.values("organisation__kabupaten_kota").distinct().count() >= 3
    assert set(FlagshipProposal.objects.values_list("status", flat=True)) == {"proposed", "approved", "rejected"}
    # every halal number in the catalogue is backed by a certificate, and one expires within 30 days
    numbers = set(
        Product.objects.exclude(halal_certificate_number="").values_list("halal_certificate_number", flat=True)
    )
    assert numbers <= set(Certificate.objects.values_list("number", flat=True))
    assert Certificate.objects.filter(expires_on__lte="2026-12-24", expires_on__gte="2026-11-24").exists()
    assert not mail.outbox and not Reminder.objects.exists()
    call_command("seed_demo", stdout=StringIO())
    assert [m.objects.count() for m in (HalalCase, CaseEvent, Certificate, FlagshipProposal)] == counts
