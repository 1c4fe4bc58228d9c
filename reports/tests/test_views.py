"""Dashboards: scoping, fixed query counts, exports, sorting, and a public page without pesantren names."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from opop.tests.exports import assert_csv_export
from opop.tests.factories import MembershipFactory
from reports.models import FigureRollup, PesantrenMonthRollup
from reports.services import rollup_full
from reports.tests.factories import WIB, paid_order, pesantren_in, store_of, verified_report

FIGS = {
    "aset": 500_000_000,
    "workers_total": 8,
    "jobs_created": 1,
    "operating_contribution": 10_000_000,
    "operating_costs": 20_000_000,
}


@pytest.fixture
def figures(db):
    jombang = pesantren_in("35.17", 2021, "PP Darul Ulum Jombang")
    pasuruan = pesantren_in("35.14", 2022, "PP Sidogiri Pasuruan")
    for month in (date(2025, 11, 1), date(2026, 1, 1), date(2026, 2, 1)):
        verified_report(jombang, month, omzet=100_000_000, **FIGS)
        verified_report(pasuruan, month, omzet=40_000_000, **FIGS)
    paid_order(store_of(jombang), subtotal=250_000, paid_at=datetime(2026, 2, 3, 10, tzinfo=WIB))
    rollup_full()
    return {"jombang": jombang, "pasuruan": pasuruan}


def _login(client, user):
    client.force_login(user)
    return client


STAFF_PAGES = [
    reverse("reports:dashboard"),
    reverse("reports:regions"),
    reverse("reports:region", args=["35.17"]),
    reverse("reports:cohorts"),
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_need_programme_staff(client, shopper, admin_a, url, db):
    assert client.get(url).status_code == 302
    assert _login(client, shopper).get(url).status_code == 403
    assert _login(client, admin_a).get(url).status_code == 403


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_render_for_province_staff_and_superuser(client, figures, province_staff, superuser, url):
    assert _login(client, province_staff).get(url).status_code == 200
    assert _login(client, superuser).get(url).status_code == 200


def test_overview_shows_figures_against_targets_and_data_as_of(client, figures, province_staff):
    response = _login(client, province_staff).get(reverse("reports:dashboard"), {"year": 2026})
    body = response.content.decode()
    assert "Rp280.000.000" in body  # Jan + Feb 2026: 2 x (100 jt + 40 jt)
    assert "<svg" in body and "1.000.000" in body
    assert "2023" in body and "250" in body  # yearly product targets
    assert "data-as-of" in body


def test_overview_tiles_total_every_flow_of_the_period(client, figures, province_staff):
    FigureRollup.objects.filter(month=date(2026, 2, 1)).update(halal_certificates=2, samsat_payments=3)
    response = _login(client, province_staff).get(reverse("reports:dashboard"), {"year": 2026})
    assert response.context["totals"] == {
        "omzet": 280_000_000,
        "jobs_created": 4,
        "mart_sales": 250_000,
        "samsat_payments": 3 * FigureRollup.objects.filter(month=date(2026, 2, 1)).count(),
        "halal_certificates": 2 * FigureRollup.objects.filter(month=date(2026, 2, 1)).count(),
    }


def test_regions_table_has_all_38_with_change_against_previous_year(client, figures, province_staff):
    response = _login(client, province_staff).get(reverse("reports:regions"), {"year": 2026})
    rows = response.context["report_tables"][0].rows
    assert len(rows) == 38
    jombang = next(row for row in rows if row["kode"] == "35.17")
    assert jombang["omzet"] == 200_000_000
    assert jombang["omzet_change"] == 100.0  # 200 jt in 2026 against 100 jt in 2025
    assert jombang["verified"] == 1
    assert "cartogram" in response.content.decode()


def test_regions_sort_by_url(client, figures, province_staff):
    client = _login(client, province_staff)
    rows = (
        client.get(reverse("reports:regions"), {"year": 2026, "sort": "omzet", "dir": "desc"})
        .context["report_tables"][0]
        .rows
    )
    assert [row["kode"] for row in rows[:2]] == ["35.17", "35.14"]
    rows = (
        client.get(reverse("reports:regions"), {"year": 2026, "sort": "region", "dir": "desc"})
        .context["report_tables"][0]
        .rows
    )
    assert rows[0]["kode"] == "35.79"


def test_region_staff_see_only_their_region(client, figures, jombang_staff):
    client = _login(client, jombang_staff)
    rows = client.get(reverse("reports:regions"), {"year": 2026}).context["report_tables"][0].rows
    assert [row["kode"] for row in rows] == ["35.17"]
    assert client.get(reverse("reports:region", args=["35.14"])).status_code == 404
    body = client.get(reverse("reports:region", args=["35.17"])).content.decode()
    assert "PP Darul Ulum Jombang" in body and "PP Sidogiri Pasuruan" not in body
    overview = client.get(reverse("reports:dashboard"), {"year": 2026}).content.decode()
    assert "Rp200.000.000" in overview and "Rp280.000.000" not in overview
    # Asking for another region through the filter shows nothing of it.
    other = client.get(reverse("reports:dashboard"), {"year": 2026, "kabupaten_kota": "35.14"})
    assert "Rp40.000.000" not in other.content.decode()


def test_drill_down_links_to_the_pesantren_staff_page(client, figures, province_staff):
    body = _login(client, province_staff).get(reverse("reports:region", args=["35.17"])).content.decode()
    assert reverse("pesantren:detail", args=[figures["jombang"].pk]) in body


def test_cohort_page_counts_years_since_joining(client, figures, province_staff):
    response = _login(client, province_staff).get(reverse("reports:cohorts"))
    omzet = response.context["report_tables"][0]
    cohort_2021 = next(row for row in omzet.rows if row["cohort"] == 2021)
    assert cohort_2021["y4"] == 100_000_000  # 2025 is year 4 for the 2021 cohort
    assert cohort_2021["y5"] == 200_000_000


def test_filters_in_the_url_narrow_the_figures(client, figures, province_staff):
    client = _login(client, province_staff)
    body = client.get(reverse("reports:dashboard"), {"year": 2026, "cohort": 2022}).content.decode()
    assert "Rp80.000.000" in body and "Rp280.000.000" not in body
    body = client.get(reverse("reports:dashboard"), {"year": 2026, "pillar": "santripreneur"}).content.decode()
    assert "Rp280.000.000" not in body
    assert client.get(reverse("reports:dashboard"), {"year": "abc"}).status_code == 200


def test_csv_export_of_a_table(client, figures, province_staff):
    response = _login(client, province_staff).get(
        reverse("reports:regions"), {"year": 2026, "export": "csv", "table": "kabupaten-kota"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 39
    jombang = next(row for row in rows if row[0] == "Kab. Jombang")
    assert jombang[2] == "200000000"


def test_xlsx_export_of_every_overview_table(client, figures, province_staff):
    client = _login(client, province_staff)
    page = client.get(reverse("reports:dashboard"), {"year": 2026})
    for table in page.context["report_tables"]:
        response = client.get(reverse("reports:dashboard"), {"year": 2026, "export": "xlsx", "table": table.slug})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == len(table.rows) + 1
    monthly = load_workbook(
        io.BytesIO(
            client.get(reverse("reports:dashboard"), {"year": 2026, "export": "xlsx", "table": "monthly"}).content
        )
    ).active
    assert [cell.value for cell in monthly[2]][:2] == ["2026-01", 140_000_000]
    assert client.get(reverse("reports:dashboard"), {"export": "csv", "table": "nope"}).status_code == 404


def test_region_staff_export_holds_only_their_region(client, figures, jombang_staff):
    response = _login(client, jombang_staff).get(
        reverse("reports:regions"), {"year": 2026, "export": "csv", "table": "kabupaten-kota"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Kab. Jombang"]


def test_public_page_shows_province_totals_and_no_pesantren_name(client, figures):
    third = pesantren_in("35.78", 2023, "PP Ketiga Surabaya")
    for month in (date(2026, 1, 1), date(2026, 2, 1)):
        verified_report(third, month, omzet=10_000_000, **FIGS)
    rollup_full()
    response = client.get(reverse("reports:public"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rp300.000.000" in body  # 2026, province-wide, three pesantren
    for name in ("PP Darul Ulum Jombang", "PP Sidogiri Pasuruan", "PP Ketiga", "Jombang", "Pasuruan", "Surabaya"):
        assert name not in body
    export = client.get(reverse("reports:public"), {"export": "csv", "table": "province"}).content.decode()
    assert "Darul" not in export and "Jombang" not in export


def test_public_page_hides_report_figures_that_fewer_than_three_pesantren_stand_behind(client, figures):
    rows = client.get(reverse("reports:public")).context["report_tables"][0].rows
    year_2026 = next(row for row in rows if row["period"] == "2026")
    # Only two pesantren reported: their total would let each work out the other's omzet.
    assert year_2026["omzet"] is None and year_2026["aset"] is None and year_2026["jobs_created"] is None
    assert "Rp280.000.000" not in client.get(reverse("reports:public")).content.decode()
    # One store sold in 2026: the province's Mart total would be that store's turnover.
    assert year_2026["mart_sales"] is None
    # Every year from the first figure on has a row, with the running count of verified pesantren.
    assert [(row["period"], row["verified"]) for row in rows] == [
        ("2021", 1),
        ("2022", 2),
        ("2023", 2),
        ("2024", 2),
        ("2025", 2),
        ("2026", 2),
    ]


def test_public_page_shows_mart_sales_once_stores_in_three_regions_sold(client, figures):
    surabaya = pesantren_in("35.78", 2023, "PP Ketiga Surabaya")
    paid_order(store_of(figures["pasuruan"]), subtotal=100_000, paid_at=datetime(2026, 3, 3, 10, tzinfo=WIB))
    rollup_full()
    rows = client.get(reverse("reports:public")).context["report_tables"][0].rows
    assert next(row for row in rows if row["period"] == "2026")["mart_sales"] is None  # two regions
    paid_order(store_of(surabaya), subtotal=50_000, paid_at=datetime(2026, 4, 3, 10, tzinfo=WIB))
    rollup_full()
    rows = client.get(reverse("reports:public")).context["report_tables"][0].rows
    assert next(row for row in rows if row["period"] == "2026")["mart_sales"] == 400_000


def _many_rollup_rows():
    rows = []
    pes = []
    pesantren = pesantren_in("35.17", 2021, "PP Banyak")
    for region in [f"35.{n:02d}" for n in range(1, 30)]:
        for month in range(1, 13):
            for cohort in (2019, 2020, 2021, 2022):
                rows.append(
                    FigureRollup(
                        month=date(2026, month, 1),
                        kabupaten_kota_id=region,
                        pillar="pesantrenpreneur",
                        cohort=cohort,
                        omzet=1_000_000,
                        reports=1,
                    )
                )
    for month in range(1, 13):
        pes.append(
            PesantrenMonthRollup(
                month=date(2026, month, 1), kabupaten_kota_id="35.17", pesantren=pesantren, omzet=5, reports=1
            )
        )
    FigureRollup.objects.bulk_create(rows)
    PesantrenMonthRollup.objects.bulk_create(pes)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (reverse("reports:dashboard"), {}),
        (reverse("reports:dashboard"), {"year": 2026, "cohort": 2020}),
        (reverse("reports:regions"), {"sort": "omzet"}),
        (reverse("reports:region", args=["35.17"]), {}),
        (reverse("reports:cohorts"), {}),
    ],
)
def test_dashboards_cost_a_fixed_number_of_queries(
    client, db, province_staff, django_assert_max_num_queries, url, params
):
    _many_rollup_rows()
    client = _login(client, province_staff)
    with django_assert_max_num_queries(10):
        assert client.get(url, params).status_code == 200


def test_public_page_costs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    _many_rollup_rows()
    with django_assert_max_num_queries(5):
        assert client.get(reverse("reports:public")).status_code == 200


def test_region_scoped_staff_with_region_membership_only_once(client, figures, diskop):
    staff = MembershipFactory(organisation=diskop, role="staff", region_id="35.14").user
    rows = _login(client, staff).get(reverse("reports:regions")).context["report_tables"][0].rows
    assert [row["kode"] for row in rows] == ["35.14"]


def test_a_report_csv_has_the_bom_and_one_audit_event(client, figures, province_staff):
    response = _login(client, province_staff).get(
        reverse("reports:regions"), {"year": 2026, "export": "csv", "table": "kabupaten-kota"}
    )
    rows = assert_csv_export(
        response, action="reports.regions.kabupaten-kota.exported", actor=province_staff, contains="Kab. Jombang"
    )
    assert len(rows) == 39
