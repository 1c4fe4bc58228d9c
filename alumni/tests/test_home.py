"""The alumni home at scale: businesses 50 a page, the oldest waiting reports, registration by regency first."""

from datetime import date

import pytest
from django.urls import reverse

from alumni import services
from alumni.models import Alumnus
from opop.tests.factories import UserFactory
from pesantren.tests.factories import PesantrenFactory

pytestmark = pytest.mark.django_db

# Session and user, memberships, the alumnus, the business count and page, the report queue's head and count,
# alumni to verify, verified alumni, collaborations, the pesantren the user administers: the same for 55 as 2,000.
HOME_QUERIES = 11


def _businesses(pes, admin, region, count, prefix="Usaha"):
    made = []
    for n in range(count):
        person = UserFactory()
        alumnus = services.alumnus_register(user=person, pesantren=pes, graduation_year=2018)
        services.alumnus_verify(user=admin, alumnus=alumnus, verify=True)
        made.append(
            services.business_create(
                user=person, name=f"{prefix} {n:02d}", sector="food", kabupaten_kota=region, workers=2
            )
        )
    return made


def _months(count):
    return [date(2020 + n // 12, n % 12 + 1, 1) for n in range(count)]


def test_staff_see_the_businesses_fifty_a_page_and_the_fifty_oldest_reports(
    client, pes_a, admin_a, pes_b, admin_b, province_staff, region, django_assert_max_num_queries
):
    jombang = _businesses(pes_a, admin_a, region("35.17"), 54)
    pasuruan = _businesses(pes_b, admin_b, region("35.14"), 1, prefix="Pasuruan")[0]
    owner = jombang[0].alumnus.user
    for month in _months(52):
        services.report_submit(user=owner, business=jombang[0], month=month, omzet=1_000_000, workers=2)
    client.force_login(province_staff)
    with django_assert_max_num_queries(HOME_QUERIES):
        first = client.get(reverse("alumni:home"))
    businesses = first.context["businesses"]
    assert businesses.paginator.count == 55 and len(businesses.object_list) == 50
    second = client.get(reverse("alumni:home"), {"page": 2})
    names = {b.name for b in businesses.object_list} | {b.name for b in second.context["businesses"].object_list}
    assert len(names) == 55 and pasuruan.name in names
    queue = first.context["report_queue"]
    assert [report.month for report in queue] == _months(50)
    assert first.context["reports_more"] == 2
    assert "2 laporan lagi menunggu" in first.content.decode()


def test_regional_staff_see_their_regions_businesses_and_reports_only(
    client, pes_a, admin_a, pes_b, admin_b, jombang_staff, region
):
    mine = _businesses(pes_a, admin_a, region("35.17"), 1)[0]
    foreign = _businesses(pes_b, admin_b, region("35.14"), 1, prefix="Pasuruan")[0]
    services.report_submit(user=mine.alumnus.user, business=mine, month=date(2025, 1, 1), omzet=1, workers=1)
    services.report_submit(user=foreign.alumnus.user, business=foreign, month=date(2024, 1, 1), omzet=1, workers=1)
    client.force_login(jombang_staff)
    response = client.get(reverse("alumni:home"))
    assert [b.pk for b in response.context["businesses"].object_list] == [mine.pk]
    assert [r.business_id for r in response.context["report_queue"]] == [mine.pk]
    assert response.context["reports_more"] == 0
    assert client.get(reverse("alumni:business_detail", args=[foreign.pk])).status_code == 404


def test_registration_lists_the_pesantren_of_the_chosen_regency_only(client, pes_a, pes_b):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("alumni:home")).content.decode()
    assert 'name="kabupaten_kota"' in page and 'name="pesantren"' not in page  # no province-wide select
    page = client.get(reverse("alumni:home"), {"kabupaten_kota": "35.17"}).content.decode()
    assert f'<option value="{pes_a.pk}">PP Darul Ulum</option>' in page and "PP Sidogiri" not in page
    # a wrong regency code is the form's error, never a 500
    assert client.get(reverse("alumni:home"), {"kabupaten_kota": "99.99"}).status_code == 200
    # a pesantren outside the chosen regency is refused, nothing is registered
    response = client.post(
        reverse("alumni:home"), {"kabupaten_kota": "35.17", "pesantren": pes_b.pk, "graduation_year": 2015}
    )
    assert response.status_code == 200 and "Pilih pesantren dari daftar." in response.content.decode()
    unverified = PesantrenFactory(status="registered", kabupaten_kota_id="35.17", cohort=None)
    client.post(
        reverse("alumni:home"), {"kabupaten_kota": "35.17", "pesantren": unverified.pk, "graduation_year": 2015}
    )
    assert not Alumnus.objects.filter(user=person).exists()
    response = client.post(
        reverse("alumni:home"), {"kabupaten_kota": "35.17", "pesantren": pes_a.pk, "graduation_year": 2015}
    )
    assert response.status_code == 302
    assert Alumnus.objects.get(user=person).pesantren == pes_a
