"""Certificate numbers come from one locked counter per (series, year, kabupaten/kota): two competitions published
at the same moment in one region never take the same number (PostgreSQL), and a counter continues the numbers
issued before it existed."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from opop.models import KabupatenKota
from opop.tests.concurrency import run_together
from opop.tests.factories import UserFactory
from santri import services
from santri.certificate_numbers import certificate_number, certificate_number_is_valid, certificate_prefix
from santri.models import CertificateSequence, CompetitionCertificate
from santri.tests.competition_helpers import close, competition_open, proposal_complete, score


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test may run after another one flushed the regions a data migration filled."""
    if not KabupatenKota.objects.exists():
        import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)


def _closed_competition(staff, admin, pesantren, title: str):
    """A competition past its deadline with two scored teams of two santri each in `pesantren`'s region."""
    competition = competition_open(staff, title=title, winners_count=1)
    judge = UserFactory()
    services.judge_add(user=staff, competition=competition, judge=judge)
    for team, points in (("Tim Kopi", 90), ("Tim Sabun", 60)):
        score(judge, proposal_complete(admin, competition, pesantren, f"{team} {title}"), [points] * 3)
    close(competition)
    return competition


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_competitions_published_at_once_in_one_region_get_distinct_numbers(
    reference_data, province_staff, pes_a, admin_a
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    competitions = [
        _closed_competition(province_staff, admin_a, pes_a, title) for title in ("Lomba Kopi", "Lomba Batik")
    ]
    results = run_together(2, lambda i: services.competition_publish(user=province_staff, competition=competitions[i]))
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = list(CompetitionCertificate.objects.values_list("number", flat=True))
    assert len(numbers) == 8 and len(set(numbers)) == 8 and all(map(certificate_number_is_valid, numbers))
    assert sorted(int(n.split("-")[3]) for n in numbers) == list(range(1, 9))  # one run of numbers, no gap
    assert CertificateSequence.objects.get(series="SP", kabupaten_kota_id="35.17").last == 8


@pytest.mark.django_db
def test_the_counter_continues_after_the_numbers_issued_before_it_and_numbers_follow_on(province_staff, pes_a, admin_a):
    first = _closed_competition(province_staff, admin_a, pes_a, "Lomba Kopi")
    year = timezone.localtime(first.deadline).year
    prefix = certificate_prefix(series="SP", year=year, kabupaten_kota_id="35.17")
    services.competition_publish(user=province_staff, competition=first)
    CertificateSequence.objects.all().delete()  # as before the counter existed: only the numbers issued
    CompetitionCertificate.objects.filter(number=certificate_number(prefix=prefix, seq=4)).update(
        number=certificate_number(prefix=prefix, seq=41)
    )
    taken = services.certificate_numbers_take(series="SP", year=year, kabupaten_kota_id="35.17", count=2)
    assert taken == [certificate_number(prefix=prefix, seq=42), certificate_number(prefix=prefix, seq=43)]
    second = _closed_competition(province_staff, admin_a, pes_a, "Lomba Batik")
    services.competition_publish(user=province_staff, competition=second)
    numbers = sorted(second.proposals.values_list("certificates__number", flat=True))
    assert [int(n.split("-")[3]) for n in numbers] == [44, 45, 46, 47]
    assert services.certificate_numbers_take(series="SK", year=year, kabupaten_kota_id="35.17") == [
        certificate_number(prefix=certificate_prefix(series="SK", year=year, kabupaten_kota_id="35.17"), seq=1)
    ]  # each series counts on its own
