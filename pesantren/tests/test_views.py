import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from opop.models import AuditEvent, KabupatenKota
from opop.tests.exports import NON_ASCII, assert_csv_export
from opop.tests.factories import MembershipFactory, OrganisationFactory
from pesantren import selectors
from pesantren.models import MonthlyReport, Pesantren
from pesantren.tests.factories import (
    BusinessUnitFactory,
    MonthlyReportFactory,
    PartnerFactory,
    PesantrenFactory,
    PotentialMappingFactory,
)

pytestmark = pytest.mark.django_db


def _png(width=200, height=200, fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, fmt)
    return buffer.getvalue()


# --- scoping: a foreign id answers 404 for every view ------------------------------------------


def _urls_for(pesantren):
    unit = BusinessUnitFactory(pesantren=pesantren)
    report = MonthlyReportFactory(pesantren=pesantren)
    return [
        ("get", reverse("pesantren:detail", args=[pesantren.pk])),
        ("get", reverse("pesantren:edit", args=[pesantren.pk])),
        ("post", reverse("pesantren:transition", args=[pesantren.pk])),
        ("get", reverse("pesantren:unit_create", args=[pesantren.pk])),
        ("get", reverse("pesantren:unit_edit", args=[unit.pk])),
        ("get", reverse("pesantren:mapping_create", args=[pesantren.pk])),
        ("get", reverse("pesantren:mentoring_create", args=[pesantren.pk])),
        ("get", reverse("pesantren:report_create", args=[pesantren.pk])),
        ("get", reverse("pesantren:card", args=[pesantren.pk])),
        ("get", reverse("pesantren:report_detail", args=[report.pk])),
        ("get", reverse("pesantren:report_correct", args=[report.pk])),
        ("post", reverse("pesantren:report_review", args=[report.pk])),
        ("post", reverse("pesantren:collaborators", args=[pesantren.pk])),
    ]


@pytest.mark.parametrize("viewer", ["admin_a", "jombang_staff", "shopper"])
def test_every_view_answers_404_for_a_pesantren_outside_the_viewers_scope(client, request, pes_b, viewer):
    client.force_login(request.getfixturevalue(viewer))
    for method, url in _urls_for(pes_b):
        response = getattr(client, method)(url, {"to_status": "active", "decision": "verify"})
        assert response.status_code == 404, url
    pes_b.refresh_from_db()
    assert pes_b.status == "verified"
    assert not MonthlyReport.objects.filter(status="verified").exists()


def test_the_own_admin_and_regional_staff_open_the_full_file(client, pes_a, admin_a, jombang_staff, province_staff):
    PotentialMappingFactory(pesantren=pes_a)
    MonthlyReportFactory(pesantren=pes_a)
    for user in (admin_a, jombang_staff, province_staff):
        client.force_login(user)
        response = client.get(reverse("pesantren:detail", args=[pes_a.pk]))
        assert response.status_code == 200
        assert pes_a.nspp in response.content.decode()


def test_staff_pages_are_forbidden_to_pesantren_admins(client, admin_a):
    client.force_login(admin_a)
    for name in ("staff_list", "staff_export", "queue", "partners"):
        assert client.get(reverse(f"pesantren:{name}")).status_code == 403


def test_staff_only_actions_are_forbidden_to_the_pesantren_admin_and_vice_versa(client, pes_a, admin_a, jombang_staff):
    client.force_login(admin_a)
    assert client.get(reverse("pesantren:mapping_create", args=[pes_a.pk])).status_code == 403
    assert client.get(reverse("pesantren:mentoring_create", args=[pes_a.pk])).status_code == 403
    client.force_login(jombang_staff)
    assert client.get(reverse("pesantren:report_create", args=[pes_a.pk])).status_code == 403
    assert client.get(reverse("pesantren:unit_create", args=[pes_a.pk])).status_code == 403


# --- staff list, filters, query counts, export ---------------------------------------------------


def test_jombang_staff_see_only_jombang_pesantren(client, pes_a, pes_b, jombang_staff, province_staff):
    client.force_login(jombang_staff)
    body = client.get(reverse("pesantren:staff_list")).content.decode()
    assert pes_a.name in body and pes_b.name not in body
    client.force_login(province_staff)
    body = client.get(reverse("pesantren:staff_list")).content.decode()
    assert pes_a.name in body and pes_b.name in body


def test_each_staff_list_row_links_the_file_and_shows_region_cohort_status_scores_and_this_month(
    client, province_staff, pes_a, pes_b
):
    PotentialMappingFactory(pesantren=pes_a, assessed_on=date(2022, 1, 1), produk_score=1)
    PotentialMappingFactory(
        pesantren=pes_a,
        assessed_on=date(2024, 1, 1),
        kelembagaan_score=3,
        sdm_score=2,
        produk_score=4,
        pemasaran_score=1,
        pembiayaan_score=5,
    )
    MonthlyReportFactory(pesantren=pes_a, month=timezone.localdate().replace(day=1))
    Pesantren.objects.filter(pk=pes_b.pk).update(status="submitted", cohort=None, card_number=None)
    client.force_login(province_staff)
    rows = client.get(reverse("pesantren:staff_list")).content.decode().split("<tr>")
    row_a = next(row for row in rows if pes_a.name in row)
    assert f'<a href="{reverse("pesantren:detail", args=[pes_a.pk])}">{pes_a.name}</a>' in row_a
    assert "<td>Kab. Jombang</td><td>2021</td>" in row_a
    assert '<span class="badge badge-verified">Terverifikasi</span>' in row_a
    scores = " ".join(f'<span class="score score-{n}">{n}</span>' for n in (3, 2, 4, 1, 5))
    assert f'<td class="num">{scores}</td>' in row_a and "<td>✓</td>" in row_a
    row_b = next(row for row in rows if pes_b.name in row)
    assert "<td>Kab. Pasuruan</td><td>—</td>" in row_b
    assert '<span class="badge badge-submitted">Diajukan untuk verifikasi</span>' in row_b
    assert '<td class="num">—</td>' in row_b and "<td>—</td></tr>" in row_b


def test_the_this_month_column_follows_the_calendar(client, province_staff, pes_a, monkeypatch):
    this_month = timezone.localdate().replace(day=1)
    MonthlyReportFactory(pesantren=pes_a, month=this_month)
    client.force_login(province_staff)

    def reported():
        rows = client.get(reverse("pesantren:staff_list")).content.decode().split("<tr>")
        return "<td>✓</td>" in next(row for row in rows if pes_a.name in row)

    assert reported()
    monkeypatch.setattr(selectors, "current_month", lambda: (this_month + timedelta(days=31)).replace(day=1))
    assert not reported()


def test_the_list_filters_by_region_cohort_status_score_and_this_months_report(client, province_staff, pes_a, pes_b):
    late = PesantrenFactory(name="PP Al-Falah", cohort=2023, status="active")
    PotentialMappingFactory(pesantren=pes_a, assessed_on=date(2022, 1, 1), produk_score=1)
    PotentialMappingFactory(pesantren=pes_a, assessed_on=date(2024, 1, 1), produk_score=4)  # latest counts
    PotentialMappingFactory(pesantren=pes_b, assessed_on=date(2024, 1, 1), produk_score=2)
    MonthlyReportFactory(pesantren=late, month=timezone.localdate().replace(day=1))
    client.force_login(province_staff)

    def names(**params):
        page = client.get(reverse("pesantren:staff_list"), params).context["page"]
        return sorted(p.name for p in page.object_list)

    assert names(kabupaten_kota="35.14") == ["PP Sidogiri"]
    assert names(cohort=2023) == ["PP Al-Falah"]
    assert names(status="active") == ["PP Al-Falah"]
    assert names(aspect="produk", score_max=2) == ["PP Sidogiri"]
    assert names(aspect="produk", score_max=4) == ["PP Darul Ulum", "PP Sidogiri"]
    assert names(reported_this_month="true") == ["PP Al-Falah"]
    assert names(reported_this_month="false") == ["PP Darul Ulum", "PP Sidogiri"]
    assert names(q="510035140002") == ["PP Sidogiri"]
    blank_form = dict.fromkeys(("q", "kabupaten_kota", "cohort", "status", "aspect", "score_max"), "")
    assert names(**blank_form, reported_this_month="") == ["PP Al-Falah", "PP Darul Ulum", "PP Sidogiri"]


def _many_pesantren(count):
    regions = list(KabupatenKota.objects.filter(kode__in=["35.17", "35.14", "35.07"]))
    this_month = timezone.localdate().replace(day=1)
    for n in range(count):
        region = regions[n % 3]
        organisation = OrganisationFactory(kabupaten_kota=region)
        pesantren = PesantrenFactory(organisation=organisation, status="active", cohort=2019 + n % 6)
        PotentialMappingFactory(pesantren=pesantren)
        PotentialMappingFactory(pesantren=pesantren)
        if n % 2:
            MonthlyReportFactory(pesantren=pesantren, month=this_month)


def test_the_staff_list_costs_a_fixed_number_of_queries(client, province_staff, django_assert_max_num_queries):
    _many_pesantren(60)
    client.force_login(province_staff)
    # 60 pesantren with two mappings each: still the same handful of queries as for one.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("pesantren:staff_list"), {"cohort": "", "status": "active"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50


def test_the_queue_and_the_full_file_cost_a_fixed_number_of_queries(
    client, province_staff, pes_a, django_assert_max_num_queries
):
    _many_pesantren(30)
    Pesantren.objects.update(status="submitted", cohort=None, card_number=None)
    for _n in range(30):
        MonthlyReportFactory(pesantren=pes_a, status="submitted")
        PotentialMappingFactory(pesantren=pes_a)
    client.force_login(province_staff)
    with django_assert_max_num_queries(6):  # both lists and both counts
        assert client.get(reverse("pesantren:queue")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("pesantren:staff_export")).status_code == 200
    with django_assert_max_num_queries(12):  # each list on the file is one query
        assert client.get(reverse("pesantren:detail", args=[pes_a.pk])).status_code == 200


def test_csv_export_is_filtered_scoped_and_audited(client, pes_a, pes_b, jombang_staff, province_staff):
    PotentialMappingFactory(pesantren=pes_a, produk_score=4)
    client.force_login(jombang_staff)
    response = client.get(reverse("pesantren:staff_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["NSPP", "Nama", "Kabupaten/kota"]
    assert [row[1] for row in rows[1:]] == ["PP Darul Ulum"]
    assert rows[1][0] == "510035170001" and rows[1][2] == "Kab. Jombang" and rows[1][5] == "2021"
    assert rows[1][rows[0].index("Skor produk")] == "4"
    event = AuditEvent.objects.get(action="pesantren.exported", actor=jombang_staff)
    assert event.data["rows"] == 1

    client.force_login(province_staff)
    response = client.get(reverse("pesantren:staff_export"), {"kabupaten_kota": "35.14"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["PP Sidogiri"]
    event = AuditEvent.objects.get(action="pesantren.exported", actor=province_staff)
    assert event.data == {"rows": 1, "format": "csv", "filters": {"kabupaten_kota": "Kab. Pasuruan"}}


def test_verification_queue_lists_only_the_region(client, pes_a, pes_b, jombang_staff, at_status):
    at_status(pes_a, "submitted")
    at_status(pes_b, "submitted")
    client.force_login(jombang_staff)
    body = client.get(reverse("pesantren:queue")).content.decode()
    assert pes_a.name in body and pes_b.name not in body


# --- admin journeys -------------------------------------------------------------------------------

PROFILE_POST = {
    "name": "Pondok Pesantren Al-Hikmah",
    "nspp": "510035230001",
    "pengasuh": "KH. Abdul Hamid",
    "santri_count": "640",
    "alamat_provinsi": "35",
    "alamat_kabupaten": "35.23",
    "alamat_kecamatan": "35.23.12",
    "alamat_desa": "35.23.12.2002",
    "alamat_jalan": "Jl. Pantura 5",
    "alamat_kodepos": "62352",
    "phone": "081234567890",
    "email": "info@alhikmah.sch.id",
    "flagship_product": "Batik gedog",
    "description": "",
}


def test_a_new_user_registers_a_pesantren_and_submits_it(client, shopper):
    client.force_login(shopper)
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = client.post(reverse("pesantren:register"), {**PROFILE_POST, "logo": logo})
    pesantren = Pesantren.objects.get(nspp="510035230001")
    assert response.status_code == 302 and response.url == reverse("pesantren:detail", args=[pesantren.pk])
    assert pesantren.logo.name.startswith("pesantren/logo/")
    response = client.post(reverse("pesantren:transition", args=[pesantren.pk]), {"to_status": "submitted"})
    pesantren.refresh_from_db()
    assert pesantren.status == "submitted"
    assert client.get(reverse("pesantren:mine")).status_code == 200


def test_the_admin_fills_in_the_profile_of_an_existing_organisation(client, pesantren_a, admin_a):
    client.force_login(admin_a)
    assert "Darul Ulum" in client.get(reverse("pesantren:mine")).content.decode()
    url = reverse("pesantren:register") + f"?organisation={pesantren_a.pk}"
    post = {**PROFILE_POST, "alamat_kabupaten": "35.17", "alamat_kecamatan": "35.17.10", "alamat_desa": "35.17.10.2002"}
    post["alamat_kodepos"] = "61481"
    assert client.post(url, post).status_code == 302
    assert Pesantren.objects.get().organisation == pesantren_a


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not an image at all", "logo.png", "JPEG, PNG or WebP"),
        (_png(fmt="GIF"), "logo.gif", "JPEG, PNG or WebP"),
        (_png(10, 10), "logo.png", "64"),
        (_png(5000, 4000), "logo.png", "at most 16 megapixels"),
        (b"x" * (2 * 1024 * 1024 + 1), "logo.png", "2 MB"),
    ],
)
def test_a_bad_logo_is_refused_with_a_clear_message(client, shopper, content, name, message, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(shopper)
    client.cookies["django_language"] = "en"
    logo = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(reverse("pesantren:register"), {**PROFILE_POST, "logo": logo})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("logo", []))
    assert message in errors
    assert not Pesantren.objects.exists()


def test_the_report_form_explains_negative_and_duplicate_figures(client, pes_a, admin_a):
    client.force_login(admin_a)
    url = reverse("pesantren:report_create", args=[pes_a.pk])
    post = {
        "month": "2024-05",
        "business_unit": "",
        "omzet": "-5",
        "aset": "900000000",
        "workers_total": "10",
        "jobs_created": "1",
        "operating_contribution": "10000000",
        "operating_costs": "20000000",
    }
    response = client.post(url, post)
    assert response.status_code == 200 and "omzet" in response.context["form"].errors
    assert "Omzet (Rp) tidak boleh negatif." in response.content.decode()
    response = client.post(url, {**post, "omzet": "85000000"})
    report = MonthlyReport.objects.get()
    assert response.url == reverse("pesantren:report_detail", args=[report.pk])
    response = client.post(url, {**post, "omzet": "85000000"})
    assert "Laporan untuk bulan ini sudah ada" in response.content.decode()
    next_year = {**post, "omzet": "85000000", "month": f"{timezone.localdate().year + 1}-01"}
    assert "belum berjalan" in client.post(url, next_year).content.decode()


def test_correcting_a_report_in_the_browser_shows_both_revisions(client, pes_a, admin_a, jombang_staff):
    report = MonthlyReportFactory(pesantren=pes_a, status="verified")
    client.force_login(admin_a)
    post = {
        "omzet": "99000000",
        "aset": "900000000",
        "workers_total": "12",
        "jobs_created": "1",
        "operating_contribution": "20000000",
        "operating_costs": "40000000",
        "reason": "Salah ketik omzet",
    }
    response = client.post(reverse("pesantren:report_correct", args=[report.pk]), post)
    assert response.status_code == 302
    body = client.get(reverse("pesantren:report_detail", args=[report.pk])).content.decode()
    assert "Rp99.000.000" in body and "Rp85.000.000" in body and "Salah ketik omzet" in body
    client.force_login(jombang_staff)
    client.post(reverse("pesantren:report_review", args=[report.pk]), {"decision": "verify"})
    report.refresh_from_db()
    assert report.status == "verified" and report.revision == 2


def test_staff_verify_a_pesantren_from_its_file(client, pes_a, jombang_staff, at_status):
    at_status(pes_a, "submitted")
    client.force_login(jombang_staff)
    page = client.get(reverse("pesantren:detail", args=[pes_a.pk])).content.decode()
    assert 'value="verified"' in page and 'value="returned"' in page
    client.post(reverse("pesantren:transition", args=[pes_a.pk]), {"to_status": "verified", "cohort": "2024"})
    pes_a.refresh_from_db()
    assert pes_a.status == "verified" and pes_a.cohort == 2024


def test_staff_record_mapping_and_mentoring_in_the_browser(client, pes_a, jombang_staff):
    client.force_login(jombang_staff)
    scores = {f"{a}_score": "3" for a in ("kelembagaan", "sdm", "produk", "pemasaran", "pembiayaan")}
    response = client.post(
        reverse("pesantren:mapping_create", args=[pes_a.pk]), {"assessed_on": "2024-06-01", **scores}
    )
    assert response.status_code == 302 and pes_a.mappings.count() == 1
    response = client.post(
        reverse("pesantren:mentoring_create", args=[pes_a.pk]),
        {"held_on": "2024-06-02", "aspect": "pemasaran", "mentor": jombang_staff.pk, "activity": "Foto produk"},
    )
    assert response.status_code == 302 and pes_a.mentoring_sessions.get().mentor == jombang_staff


def test_collaborating_partners_are_named_by_admin_or_staff_and_shown_publicly(client, pes_a, admin_a, jombang_staff):
    its, bank = PartnerFactory(name="ITS Surabaya"), PartnerFactory(name="Bank Jatim Syariah")
    client.force_login(admin_a)
    client.post(reverse("pesantren:collaborators", args=[pes_a.pk]), {"partners": [its.pk, bank.pk]})
    assert set(pes_a.collaborators.all()) == {its, bank}
    client.force_login(jombang_staff)
    client.post(reverse("pesantren:collaborators", args=[pes_a.pk]), {"partners": [its.pk]})
    assert list(pes_a.collaborators.all()) == [its]
    assert AuditEvent.objects.filter(action="pesantren.collaborators_set").count() == 2
    body = client.get(reverse("pesantren:public", args=[pes_a.slug])).content.decode()
    assert "ITS Surabaya" in body and "Bank Jatim Syariah" not in body


# --- public pages and the Kartu OPOP --------------------------------------------------------------


def test_public_profile_shows_a_verified_pesantren_without_private_contact_data(client, pes_a, at_status):
    BusinessUnitFactory(pesantren=pes_a, products="Air minum kemasan")
    body = client.get(reverse("pesantren:public", args=[pes_a.slug])).content.decode()
    assert pes_a.name in body and "Air minum kemasan" in body
    for private in (pes_a.phone, pes_a.email, pes_a.nspp, pes_a.street, "0812"):
        assert private not in body
    at_status(pes_a, "submitted")
    assert client.get(reverse("pesantren:public", args=[pes_a.slug])).status_code == 404


def test_the_public_directory_lists_only_verified_and_active_pesantren(
    client, pes_a, pes_b, at_status, django_assert_max_num_queries
):
    at_status(pes_b, "submitted")
    _many_pesantren(30)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("pesantren:directory"))
    names = [p.name for p in response.context["page"].object_list]
    assert pes_a.name in names and pes_b.name not in names and len(names) == 31
    body = client.get(reverse("pesantren:directory"), {"kabupaten_kota": "35.17"}).content.decode()
    assert reverse("pesantren:public", args=[pes_a.slug]) in body
    assert pes_a.phone not in body and pes_a.nspp not in body


def test_a_cashier_of_the_pesantren_works_the_counter_and_does_not_see_its_file(client, pes_a, pesantren_a):
    """Least privilege (#17): the cashier's job is the Samsat counter, not the reports, profile or card."""
    cashier = MembershipFactory(organisation=pesantren_a, role="cashier").user
    client.force_login(cashier)
    assert client.get(reverse("pesantren:detail", args=[pes_a.pk])).status_code == 404
    assert client.get(reverse("pesantren:report_create", args=[pes_a.pk])).status_code == 404
    assert client.get(reverse("pesantren:edit", args=[pes_a.pk])).status_code == 404
    assert client.get(reverse("pesantren:card", args=[pes_a.pk])).status_code == 404
    assert pes_a.name not in client.get(reverse("pesantren:mine")).content.decode()


def test_staff_of_the_pesantren_report_but_do_not_edit_the_profile(client, pes_a, pesantren_a):
    staff = MembershipFactory(organisation=pesantren_a, role="staff").user
    client.force_login(staff)
    assert client.get(reverse("pesantren:detail", args=[pes_a.pk])).status_code == 200
    assert client.get(reverse("pesantren:report_create", args=[pes_a.pk])).status_code == 200
    assert client.get(reverse("pesantren:edit", args=[pes_a.pk])).status_code == 403
    assert client.get(reverse("pesantren:unit_create", args=[pes_a.pk])).status_code == 403
    assert (
        reverse("pesantren:edit", args=[pes_a.pk])
        not in client.get(reverse("pesantren:detail", args=[pes_a.pk])).content.decode()
    )


def test_the_card_has_a_qr_code_and_its_page_tells_whether_it_is_valid(client, pes_a, admin_a, at_status):
    client.force_login(admin_a)
    response = client.get(reverse("pesantren:card", args=[pes_a.pk]))
    verify_url = reverse("pesantren:card_verify", args=[pes_a.card_token])
    assert "<svg" in response.content.decode() and verify_url in response.content.decode()
    client.logout()
    assert "Kartu sah" in client.get(verify_url).content.decode()
    pes_a.status = "inactive"
    pes_a.save()
    assert "tidak berlaku" in client.get(verify_url).content.decode()
    unknown = reverse("pesantren:card_verify", args=["6f1c1c1e-0000-4000-8000-000000000000"])
    assert client.get(unknown).status_code == 404


# --- every page renders for every role, in both languages ----------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_renders_for_its_roles(client, pes_a, admin_a, province_staff, language):
    unit = BusinessUnitFactory(pesantren=pes_a)
    report = MonthlyReportFactory(pesantren=pes_a)
    PotentialMappingFactory(pesantren=pes_a)
    client.cookies["django_language"] = language
    pages = {
        admin_a: [
            reverse("pesantren:mine"),
            reverse("pesantren:register"),
            reverse("pesantren:detail", args=[pes_a.pk]),
            reverse("pesantren:edit", args=[pes_a.pk]),
            reverse("pesantren:unit_create", args=[pes_a.pk]),
            reverse("pesantren:unit_edit", args=[unit.pk]),
            reverse("pesantren:report_create", args=[pes_a.pk]),
            reverse("pesantren:report_detail", args=[report.pk]),
            reverse("pesantren:report_correct", args=[report.pk]),
            reverse("pesantren:card", args=[pes_a.pk]),
        ],
        province_staff: [
            reverse("pesantren:staff_list"),
            reverse("pesantren:queue"),
            reverse("pesantren:partners"),
            reverse("pesantren:detail", args=[pes_a.pk]),
            reverse("pesantren:mapping_create", args=[pes_a.pk]),
            reverse("pesantren:mentoring_create", args=[pes_a.pk]),
            reverse("pesantren:report_detail", args=[report.pk]),
        ],
        None: [
            reverse("pesantren:public", args=[pes_a.slug]),
            reverse("pesantren:card_verify", args=[pes_a.card_token]),
        ],
    }
    for user, urls in pages.items():
        if user:
            client.force_login(user)
        else:
            client.logout()
        client.cookies["django_language"] = language
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert f'<html lang="{language}">' in response.content.decode()


def test_navigation_links_to_the_pesantren_pages(client, admin_a, province_staff):
    client.force_login(admin_a)
    assert reverse("pesantren:mine") in client.get("/").content.decode()
    client.force_login(province_staff)
    assert reverse("pesantren:staff_list") in client.get("/").content.decode()


def test_the_report_form_starts_from_the_months_opop_mart_sales(client, pes_a, admin_a):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from marketplace.models import Order
    from reports.tests.factories import paid_order, store_of

    wib = ZoneInfo("Asia/Jakarta")
    store = store_of(pes_a)
    paid_order(store, subtotal=150_000, paid_at=datetime(2026, 10, 31, 23, 30, tzinfo=wib))  # still October in WIB
    paid_order(store, subtotal=50_000, paid_at=datetime(2026, 10, 2, 9, tzinfo=wib), status=Order.Status.PAID)
    paid_order(store, subtotal=70_000, paid_at=datetime(2026, 10, 5, 9, tzinfo=wib), status=Order.Status.REFUNDED)
    paid_order(store, subtotal=999_000, paid_at=datetime(2026, 9, 30, 9, tzinfo=wib))  # September
    client.force_login(admin_a)
    response = client.get(reverse("pesantren:report_create", args=[pes_a.pk]) + "?month=2026-10")
    form = response.context["form"]
    assert form["omzet"].initial == 200_000
    assert str(form["month"].initial) == "2026-10-01"
    assert "Rp200.000" in response.content.decode()


def test_without_mart_sales_the_report_form_leaves_omzet_empty(client, pes_a, admin_a):
    client.force_login(admin_a)
    response = client.get(reverse("pesantren:report_create", args=[pes_a.pk]) + "?month=bukan-bulan")
    assert response.context["form"]["omzet"].initial is None


def test_registration_asks_kabupaten_before_kecamatan_before_desa(client, shopper):
    client.force_login(shopper)
    body = client.get(reverse("pesantren:register")).content.decode()
    order = [body.index(f'name="alamat_{name}"') for name in ("kabupaten", "kecamatan", "desa", "jalan", "kodepos")]
    assert order == sorted(order)
    assert body.index('name="santri_count"') < order[0] < body.index('name="phone"')


def test_registration_round_trip_keeps_the_profile_and_fills_the_postal_code(client, shopper):
    client.force_login(shopper)
    post = {**PROFILE_POST, "alamat_kodepos": "", "wilayah_pilih": "desa"}
    response = client.post(reverse("pesantren:register"), post)
    assert response.status_code == 200 and not Pesantren.objects.exists()
    body = response.content.decode()
    assert "errorlist" not in body and 'value="Pondok Pesantren Al-Hikmah"' in body
    assert 'name="alamat_kodepos" value="62352"' in body


def test_a_registered_pesantren_carries_the_kemendagri_codes(client, shopper):
    client.force_login(shopper)
    assert client.post(reverse("pesantren:register"), {**PROFILE_POST, "alamat_rt_rw": "01/02"}).status_code == 302
    pesantren = Pesantren.objects.get()
    assert (pesantren.kabupaten_kota_id, pesantren.kecamatan_code, pesantren.kecamatan) == ("35.23", "35.23.12", "Jenu")
    assert (pesantren.desa_code, pesantren.desa, pesantren.postal_code, pesantren.rt_rw) == (
        "35.23.12.2002",
        "Socorejo",
        "62352",
        "01/02",
    )


def test_the_profile_form_shows_the_chosen_regions_and_saves_a_new_desa(client, pes_a, admin_a):
    client.force_login(admin_a)
    url = reverse("pesantren:edit", args=[pes_a.pk])
    form = client.get(url).context["form"]
    assert (form.initial["alamat_kabupaten"], form.initial["alamat_kecamatan"], form.initial["alamat_desa"]) == (
        "35.17",
        "35.17.10",
        "35.17.10.2002",
    )
    post = {
        **PROFILE_POST,
        "nspp": pes_a.nspp,
        "alamat_kabupaten": "35.17",
        "alamat_kecamatan": "35.17.10",
        "alamat_desa": "35.17.10.2004",
        "alamat_kodepos": "61481",
    }
    assert client.post(url, post).status_code == 302
    pes_a.refresh_from_db()
    assert (pes_a.desa, pes_a.desa_code, pes_a.kecamatan_code) == ("Mancar", "35.17.10.2004", "35.17.10")


def test_the_pesantren_csv_has_the_bom_a_non_ascii_name_and_one_audit_event(client, pes_a, jombang_staff):
    Pesantren.objects.filter(pk=pes_a.pk).update(name=f"PP {NON_ASCII}")
    client.force_login(jombang_staff)
    rows = assert_csv_export(
        client.get(reverse("pesantren:staff_export")), action="pesantren.exported", actor=jombang_staff
    )
    assert rows[1][1] == f"PP {NON_ASCII}"
