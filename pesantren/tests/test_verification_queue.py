"""The verification queue: pesantren and monthly reports waiting, each counted, oldest first; the first tab shows
the oldest 50 of each, a list's own tab pages it 50 a page; scoped to the staff member's region, the same queries
for a few rows as for sixty."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opop.tests.factories import OrganisationFactory
from pesantren.models import MonthlyReport, Pesantren
from pesantren.tests.factories import MonthlyReportFactory, PesantrenFactory

pytestmark = pytest.mark.django_db

URL = reverse("pesantren:queue")


def _submitted_pesantren(count, region="35.17", start=0):
    made = []
    for n in range(start, start + count):
        organisation = OrganisationFactory(kabupaten_kota_id=region)
        made.append(
            PesantrenFactory(
                organisation=organisation,
                name=f"PP Antrean {region} {n:03d}",
                status=Pesantren.Status.SUBMITTED,
                cohort=None,
                card_number=None,
            )
        )
    # oldest first: the first made waited longest
    now = timezone.now()
    for n, pesantren in enumerate(made):
        Pesantren.objects.filter(pk=pesantren.pk).update(status_changed_at=now - timedelta(days=len(made) - n))
    return made


def _submitted_reports(pesantren, count, start=0):
    reports = [
        MonthlyReportFactory(pesantren=pesantren, month=date(2015 + n // 12, n % 12 + 1, 1), status="submitted")
        for n in range(start, start + count)
    ]
    now = timezone.now()
    for n, report in enumerate(reports):
        MonthlyReport.objects.filter(pk=report.pk).update(updated_at=now - timedelta(hours=len(reports) - n))
    return reports


def test_the_first_tab_shows_the_oldest_fifty_of_each_list_and_both_counts(client, province_staff, pes_a):
    waiting = _submitted_pesantren(55)
    reports = _submitted_reports(pes_a, 60)
    MonthlyReportFactory(pesantren=pes_a, month=date(2030, 1, 1), status="verified")
    client.force_login(province_staff)

    response = client.get(URL)
    assert response.context["tab"] == "all"
    assert response.context["counts"] == {"pesantren": 55, "reports": 60}
    assert list(response.context["pesantren"]) == waiting[:50]
    assert list(response.context["reports"]) == reports[:50]
    body = response.content.decode()
    assert 'href="?tab=pesantren">' in body and 'href="?tab=reports">' in body
    assert f'<a href="{reverse("pesantren:detail", args=[waiting[0].pk])}">{waiting[0].name}</a>' in body
    assert f'<a href="{reverse("pesantren:report_detail", args=[reports[0].pk])}">' in body


def test_a_lists_own_tab_pages_it_fifty_a_page_oldest_first(client, province_staff, pes_a):
    waiting = _submitted_pesantren(55)
    reports = _submitted_reports(pes_a, 60)
    client.force_login(province_staff)

    first = client.get(URL, {"tab": "pesantren"})
    assert first.context["counts"] == {"pesantren": 55, "reports": 60}
    assert list(first.context["page"].object_list) == waiting[:50]
    assert "reports" not in first.context
    second = client.get(URL, {"tab": "pesantren", "page": 2})
    assert list(second.context["page"].object_list) == waiting[50:]

    on_reports = client.get(URL, {"tab": "reports"})
    assert list(on_reports.context["page"].object_list) == reports[:50]
    assert "?tab=reports&amp;page=2" in on_reports.content.decode()
    assert list(client.get(URL, {"tab": "reports", "page": 2}).context["page"].object_list) == reports[50:]


def test_the_queue_costs_the_same_queries_for_three_rows_and_for_sixty(
    client, province_staff, pes_a, django_assert_max_num_queries
):
    _submitted_pesantren(3)
    _submitted_reports(pes_a, 3)
    client.force_login(province_staff)
    client.get(URL)
    # user, memberships, then both lists and both counts (a list's own tab: its count and page, the other's count)
    budgets = {"all": 6, "pesantren": 5, "reports": 5}
    for tab, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(URL, {"tab": tab}).status_code == 200
    _submitted_pesantren(57, start=3)
    _submitted_reports(pes_a, 57, start=3)
    for tab, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            response = client.get(URL, {"tab": tab})
        assert response.context["counts"] == {"pesantren": 60, "reports": 60}


def test_regional_staff_see_and_count_only_their_region_on_every_page(client, jombang_staff, pes_a, pes_b):
    ours = _submitted_pesantren(52, region="35.17")
    theirs = _submitted_pesantren(3, region="35.14")
    _submitted_reports(pes_a, 51)
    foreign = _submitted_reports(pes_b, 4)
    client.force_login(jombang_staff)

    overview = client.get(URL)
    assert overview.context["counts"] == {"pesantren": 52, "reports": 51}
    assert list(overview.context["pesantren"]) == ours[:50]
    assert all(report.pesantren_id == pes_a.pk for report in overview.context["reports"])
    first = client.get(URL, {"tab": "pesantren"})
    assert first.context["counts"] == {"pesantren": 52, "reports": 51}
    seen = list(first.context["page"].object_list)
    seen += list(client.get(URL, {"tab": "pesantren", "page": 2}).context["page"].object_list)
    assert seen == ours
    assert not set(theirs) & set(seen)
    reports = list(client.get(URL, {"tab": "reports"}).context["page"].object_list)
    reports += list(client.get(URL, {"tab": "reports", "page": 2}).context["page"].object_list)
    assert len(reports) == 51 and not set(foreign) & set(reports)
    assert all(report.pesantren_id == pes_a.pk for report in reports)
    assert client.get(reverse("pesantren:report_detail", args=[foreign[0].pk])).status_code == 404


def test_an_unknown_tab_or_page_answers_the_queue_not_an_error(client, province_staff, pes_a):
    _submitted_reports(pes_a, 2)
    client.force_login(province_staff)
    for params in ({"tab": "bogus"}, {"page": "abc"}, {"tab": "reports", "page": "999"}, {"page": "-1"}):
        response = client.get(URL, params)
        assert response.status_code == 200, params
    assert client.get(URL, {"tab": "bogus"}).context["tab"] == "all"
    assert len(client.get(URL, {"tab": "reports", "page": "999"}).context["page"].object_list) == 2


def test_the_queue_is_for_programme_staff_only(client, admin_a, pes_a):
    client.force_login(admin_a)
    assert client.get(URL).status_code == 403
