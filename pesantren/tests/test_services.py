from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from opop.models import AuditEvent, KabupatenKota, Membership
from opop.services import DomainError
from pesantren import services
from pesantren.models import MonthlyReport, Pesantren, PotentialMapping, StatusChange
from pesantren.tests.factories import (
    BusinessUnitFactory,
    MonthlyReportFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db
S = Pesantren.Status


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English (the msgids); the views' tests check the Indonesian.
    with translation.override("en"):
        yield


PROFILE = {
    "name": "Pondok Pesantren Nurul Huda",
    "nspp": "510035070001",
    "street": "Jl. Raya Bululawang 12",
    "desa": "Kasri",
    "kecamatan": "Bululawang",
    "postal_code": "65171",
    "pengasuh": "KH. Ahmad Mudzakkir",
    "santri_count": 850,
    "phone": "0812 3456 7890",
    "email": "info@nurulhuda.sch.id",
    "flagship_product": "Kopi robusta",
}
FIGURES = {
    "omzet": 185_000_000,
    "aset": 1_900_000_000,
    "workers_total": 20,
    "jobs_created": 2,
    "operating_contribution": 30_000_000,
    "operating_costs": 60_000_000,
}


def _profile(**overrides):
    return {**PROFILE, "kabupaten_kota": KabupatenKota.objects.get(kode="35.07"), **overrides}


# --- registration and profile -------------------------------------------------------------------


def test_register_without_organisation_creates_one_with_the_user_as_owner(shopper):
    pesantren = services.pesantren_register(user=shopper, **_profile())
    assert pesantren.status == S.REGISTERED
    assert pesantren.phone == "+6281234567890"
    assert pesantren.organisation.kabupaten_kota_id == "35.07"
    assert Membership.objects.get(user=shopper, organisation=pesantren.organisation).role == "owner"
    change = StatusChange.objects.get(pesantren=pesantren)
    assert (change.from_status, change.to_status, change.actor) == ("", S.REGISTERED, shopper)
    assert AuditEvent.objects.filter(action="pesantren.registered", target_id=str(pesantren.pk)).exists()


def test_register_for_an_existing_organisation_needs_its_admin(pesantren_a, admin_a, admin_b):
    with pytest.raises(DomainError):
        services.pesantren_register(user=admin_b, organisation=pesantren_a, **_profile(kabupaten_kota=None))
    pesantren = services.pesantren_register(
        user=admin_a,
        organisation=pesantren_a,
        **_profile(
            kabupaten_kota=KabupatenKota.objects.get(kode="35.17"),
            kecamatan="peterongan",
            desa="Keplaksari",
            postal_code="61481",
        ),
    )
    assert pesantren.organisation == pesantren_a
    with pytest.raises(DomainError, match="already registered"):
        services.pesantren_register(user=admin_a, organisation=pesantren_a, **_profile(nspp="510035170009"))


@pytest.mark.parametrize("nspp", ["51003507000", "5100350700012", "51003507000A", ""])
def test_nspp_must_have_twelve_digits(shopper, nspp):
    with pytest.raises(ValidationError) as exc:
        services.pesantren_register(user=shopper, **_profile(nspp=nspp))
    assert "nspp" in exc.value.message_dict


def test_nspp_is_unique(shopper, pes_a):
    with pytest.raises(ValidationError) as exc:
        services.pesantren_register(user=shopper, **_profile(nspp=pes_a.nspp))
    assert "nspp" in exc.value.message_dict


def test_postal_code_must_lie_in_the_regions_range(shopper):
    with pytest.raises(ValidationError) as exc:
        services.pesantren_register(user=shopper, **_profile(postal_code="61481"))  # a Jombang code
    assert "Kab. Malang" in exc.value.message_dict["postal_code"][0]


def test_kecamatan_and_desa_must_exist_in_the_region(shopper):
    with pytest.raises(ValidationError) as exc:
        services.pesantren_register(user=shopper, **_profile(kecamatan="Peterongan"))  # in Jombang
    assert "Kab. Malang" in exc.value.message_dict["kecamatan"][0]
    with pytest.raises(ValidationError) as exc:
        services.pesantren_register(user=shopper, **_profile(desa="Keplaksari"))
    assert "Bululawang" in exc.value.message_dict["desa"][0]
    with pytest.raises(ValidationError) as exc:
        services.pesantren_register(user=shopper, **_profile(postal_code="65152"))  # Kab. Malang, not Bululawang
    assert "65171" in exc.value.message_dict["postal_code"][0]
    pesantren = services.pesantren_register(user=shopper, **_profile(kecamatan="  BULULAWANG "))
    assert pesantren.kecamatan == "Bululawang"


def test_bad_phone_is_refused_with_a_readable_message(shopper):
    with pytest.raises(ValidationError) as exc:
        services.pesantren_register(user=shopper, **_profile(phone="12345"))
    assert "phone" in exc.value.message_dict


def test_update_records_changed_fields_and_region_is_fixed_after_submission(pes_a, admin_a, admin_b, at_status):
    services.pesantren_update(user=admin_a, pesantren=pes_a, santri_count=900)
    pes_a.refresh_from_db()
    assert pes_a.santri_count == 900
    event = AuditEvent.objects.get(action="pesantren.updated")
    assert event.data == {"fields": ["santri_count"]}
    with pytest.raises(DomainError):
        services.pesantren_update(user=admin_b, pesantren=pes_a, santri_count=1)
    with pytest.raises(ValidationError):
        services.pesantren_update(user=admin_a, pesantren=pes_a, kabupaten_kota=KabupatenKota.objects.get(kode="35.14"))


# --- lifecycle ----------------------------------------------------------------------------------

LEGAL = [
    (S.REGISTERED, S.SUBMITTED, "admin_a"),
    (S.RETURNED, S.SUBMITTED, "admin_a"),
    (S.SUBMITTED, S.VERIFIED, "province_staff"),
    (S.SUBMITTED, S.VERIFIED, "jombang_staff"),
    (S.SUBMITTED, S.VERIFIED, "superuser"),
    (S.SUBMITTED, S.RETURNED, "province_staff"),
    (S.VERIFIED, S.ACTIVE, "jombang_staff"),
    (S.VERIFIED, S.INACTIVE, "province_staff"),
    (S.ACTIVE, S.INACTIVE, "jombang_staff"),
    (S.INACTIVE, S.ACTIVE, "province_staff"),
]


@pytest.mark.parametrize(("source", "target", "actor"), LEGAL)
def test_each_transition_by_its_role_is_recorded_and_mailed(
    request, pes_a, at_status, source, target, actor, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(actor)
    at_status(pes_a, source)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.pesantren_transition(
            user=user, pesantren=pes_a, to_status=target, reason="Alasan yang jelas", cohort=2022
        )
    assert result.status == target
    change = StatusChange.objects.get(pesantren=pes_a)
    assert (change.from_status, change.to_status, change.actor) == (source, target, user)
    assert change.created_at is not None
    event = AuditEvent.objects.get(action=f"pesantren.{target}")
    assert event.actor == user and event.data["from"] == source
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin.a@opop.test"]


WRONG_ROLE = [
    (S.REGISTERED, S.SUBMITTED, "province_staff"),
    (S.REGISTERED, S.SUBMITTED, "admin_b"),
    (S.RETURNED, S.SUBMITTED, "jombang_staff"),
    (S.SUBMITTED, S.VERIFIED, "admin_a"),
    (S.SUBMITTED, S.RETURNED, "admin_a"),
    (S.VERIFIED, S.ACTIVE, "admin_a"),
    (S.ACTIVE, S.INACTIVE, "admin_a"),
    (S.INACTIVE, S.ACTIVE, "admin_a"),
    (S.SUBMITTED, S.VERIFIED, "shopper"),
]


@pytest.mark.parametrize(("source", "target", "actor"), WRONG_ROLE)
def test_a_transition_by_the_wrong_role_is_refused(request, pes_a, at_status, source, target, actor):
    user = request.getfixturevalue(actor)
    at_status(pes_a, source)
    with pytest.raises(DomainError):
        services.pesantren_transition(user=user, pesantren=pes_a, to_status=target, reason="x", cohort=2022)
    pes_a.refresh_from_db()
    assert pes_a.status == source
    assert not StatusChange.objects.exists()


ILLEGAL = [
    (S.REGISTERED, S.VERIFIED),
    (S.REGISTERED, S.ACTIVE),
    (S.SUBMITTED, S.ACTIVE),
    (S.RETURNED, S.VERIFIED),
    (S.VERIFIED, S.SUBMITTED),
    (S.ACTIVE, S.VERIFIED),
    (S.INACTIVE, S.VERIFIED),
    (S.ACTIVE, S.REGISTERED),
]


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_an_illegal_transition_is_refused_even_for_a_superuser(pes_a, superuser, at_status, source, target):
    at_status(pes_a, source)
    with pytest.raises(DomainError, match="cannot become"):
        services.pesantren_transition(user=superuser, pesantren=pes_a, to_status=target, reason="x", cohort=2022)


def test_staff_of_another_region_cannot_move_a_pesantren(pes_b, jombang_staff, at_status):
    at_status(pes_b, S.SUBMITTED)
    with pytest.raises(DomainError):
        services.pesantren_transition(user=jombang_staff, pesantren=pes_b, to_status=S.VERIFIED, cohort=2022)


def test_verification_needs_a_cohort_and_issues_the_card_number(pes_a, province_staff, at_status):
    at_status(pes_a, S.SUBMITTED)
    with pytest.raises(DomainError, match="cohort"):
        services.pesantren_transition(user=province_staff, pesantren=pes_a, to_status=S.VERIFIED)
    with pytest.raises(DomainError, match="2019"):
        services.pesantren_transition(user=province_staff, pesantren=pes_a, to_status=S.VERIFIED, cohort=2018)
    result = services.pesantren_transition(user=province_staff, pesantren=pes_a, to_status=S.VERIFIED, cohort=2024)
    assert result.cohort == 2024
    assert result.card_number == "OPOP-3517-2024-0001"


@pytest.mark.parametrize("target", [S.RETURNED, S.INACTIVE])
def test_returning_and_deactivating_need_a_reason(pes_a, province_staff, at_status, target):
    at_status(pes_a, S.SUBMITTED if target == S.RETURNED else S.ACTIVE)
    with pytest.raises(DomainError, match="reason"):
        services.pesantren_transition(user=province_staff, pesantren=pes_a, to_status=target, reason="  ")


def test_a_refused_transition_sends_no_mail(pes_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.pesantren_transition(user=admin_a, pesantren=pes_a, to_status=S.ACTIVE)
    assert mail.outbox == []


def test_allowed_transitions_follow_the_role(pes_a, admin_a, province_staff, at_status):
    at_status(pes_a, S.SUBMITTED)
    assert services.allowed_transitions(user=admin_a, pesantren=pes_a) == []
    assert set(services.allowed_transitions(user=province_staff, pesantren=pes_a)) == {S.VERIFIED, S.RETURNED}


# --- business units, mapping, mentoring ---------------------------------------------------------


def test_a_koppontren_needs_its_legal_entity_number_and_nib(pes_a, admin_a):
    fields = {"kind": "koppontren", "name": "Koppontren Darul Ulum", "sector": "retail", "products": "Toko"}
    with pytest.raises(ValidationError) as exc:
        services.business_unit_save(user=admin_a, pesantren=pes_a, **fields)
    assert set(exc.value.message_dict) == {"legal_entity_number", "nib"}
    with pytest.raises(ValidationError) as exc:
        services.business_unit_save(
            user=admin_a, pesantren=pes_a, **fields, legal_entity_number="188/BH/2019", nib="123"
        )
    assert "nib" in exc.value.message_dict
    unit = services.business_unit_save(
        user=admin_a, pesantren=pes_a, **fields, legal_entity_number="188/BH/2019", nib="9120301234567"
    )
    assert unit.pesantren == pes_a


def test_only_the_pesantren_admin_manages_business_units(pes_a, admin_b, province_staff):
    for user in (admin_b, province_staff):
        with pytest.raises(DomainError):
            services.business_unit_save(
                user=user, pesantren=pes_a, kind="ud", name="UD", sector="food", products="Roti"
            )


def test_mapping_keeps_history_and_validates_scores(pes_a, province_staff, admin_a):
    scores = {"kelembagaan": 2, "sdm": 3, "produk": 3, "pemasaran": 2, "pembiayaan": 1}
    services.mapping_record(user=province_staff, pesantren=pes_a, assessed_on=date(2022, 3, 1), scores=scores)
    services.mapping_record(
        user=province_staff, pesantren=pes_a, assessed_on=date(2024, 3, 1), scores={**scores, "produk": 5}
    )
    assert [m.produk_score for m in PotentialMapping.objects.filter(pesantren=pes_a)] == [5, 3]
    with pytest.raises(DomainError, match="1 to 5"):
        services.mapping_record(
            user=province_staff, pesantren=pes_a, assessed_on=date(2024, 3, 1), scores={**scores, "sdm": 6}
        )
    with pytest.raises(DomainError):
        services.mapping_record(user=admin_a, pesantren=pes_a, assessed_on=date(2024, 3, 1), scores=scores)


def test_mentoring_names_a_mentor(pes_a, province_staff, jombang_staff, admin_a):
    partner = PartnerFactory()
    with pytest.raises(DomainError, match="mentor"):
        services.mentoring_record(
            user=province_staff, pesantren=pes_a, held_on=date(2024, 5, 1), aspect="produk", activity="Halal"
        )
    with pytest.raises(DomainError):
        services.mentoring_record(
            user=province_staff,
            pesantren=pes_a,
            held_on=date(2024, 5, 1),
            aspect="produk",
            activity="x",
            mentor=admin_a,
        )
    session = services.mentoring_record(
        user=jombang_staff, pesantren=pes_a, held_on=date(2024, 5, 1), aspect="produk", activity="x", partner=partner
    )
    assert session.mentor_name == partner.name


def test_collaborators_are_set_by_the_admin_or_regional_staff_only(pes_a, admin_a, admin_b, jombang_staff):
    partner = PartnerFactory()
    services.collaborators_set(user=admin_a, pesantren=pes_a, partners=[partner])
    services.collaborators_set(user=jombang_staff, pesantren=pes_a, partners=[partner])
    with pytest.raises(DomainError):
        services.collaborators_set(user=admin_b, pesantren=pes_a, partners=[])
    assert list(pes_a.collaborators.all()) == [partner]


# --- monthly reports ----------------------------------------------------------------------------


def test_report_submit_keeps_revision_one(pes_a, admin_a):
    report = services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 17), **FIGURES)
    assert report.month == date(2024, 5, 1) and report.revision == 1
    assert report.contribution_pct == 50
    assert list(report.revisions.values_list("number", "omzet")) == [(1, 185_000_000)]


@pytest.mark.parametrize("field", list(FIGURES))
def test_negative_figures_are_refused(pes_a, admin_a, field):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 1), **{**FIGURES, field: -1})
    assert "cannot be negative" in exc.value.message_dict[field][0]
    assert not MonthlyReport.objects.exists()


def test_a_future_month_is_refused(pes_a, admin_a):
    from django.utils import timezone

    today = timezone.localdate()
    next_month = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(user=admin_a, pesantren=pes_a, month=next_month, **FIGURES)
    assert "future" in exc.value.message_dict["month"][0]
    assert services.report_submit(user=admin_a, pesantren=pes_a, month=today, **FIGURES).month == today.replace(day=1)


def test_a_duplicate_month_is_refused_but_a_unit_may_report_the_same_month(pes_a, admin_a):
    services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 1), **FIGURES)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 20), **FIGURES)
    assert "already exists" in exc.value.message_dict["month"][0]
    unit = BusinessUnitFactory(pesantren=pes_a)
    services.report_submit(user=admin_a, pesantren=pes_a, business_unit=unit, month=date(2024, 5, 1), **FIGURES)
    with pytest.raises(ValidationError):
        services.report_submit(user=admin_a, pesantren=pes_a, business_unit=unit, month=date(2024, 5, 1), **FIGURES)


def test_new_jobs_cannot_exceed_workers(pes_a, admin_a):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 1), **{**FIGURES, "jobs_created": 21})
    assert "jobs_created" in exc.value.message_dict


@pytest.mark.parametrize("status", [S.REGISTERED, S.SUBMITTED, S.RETURNED, S.INACTIVE])
def test_only_a_verified_or_active_pesantren_reports(pes_a, admin_a, at_status, status):
    at_status(pes_a, status)
    with pytest.raises(DomainError):
        services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 1), **FIGURES)


def test_staff_and_other_admins_cannot_submit(pes_a, admin_b, province_staff):
    # One permission rule for every reviewed report (opop.reviewed_reports): not allowed is PermissionDenied.
    for user in (admin_b, province_staff):
        with pytest.raises(PermissionDenied):
            services.report_submit(user=user, pesantren=pes_a, month=date(2024, 5, 1), **FIGURES)


def test_correction_after_verification_is_a_new_revision_and_history_is_kept(pes_a, admin_a, jombang_staff):
    report = services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 1), **FIGURES)
    services.report_review(user=jombang_staff, report=report, verify=True)
    with pytest.raises(ValidationError) as exc:
        services.report_correct(user=admin_a, report=report, **{**FIGURES, "omzet": 190_000_000})
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.report_correct(user=admin_a, report=report, reason="sama", **FIGURES)
    report = services.report_correct(
        user=admin_a, report=report, reason="Penjualan cabang", **{**FIGURES, "omzet": 190_000_000}
    )
    assert (report.revision, report.status, report.omzet) == (2, "submitted", 190_000_000)
    assert list(report.revisions.values_list("number", "omzet", "reason")) == [
        (2, 190_000_000, "Penjualan cabang"),
        (1, 185_000_000, ""),
    ]
    event = AuditEvent.objects.get(action="pesantren.report_corrected")
    assert event.data["previous_status"] == "verified"


def test_review_verifies_or_returns_with_a_note_by_staff_of_the_region(
    pes_a, pes_b, admin_a, jombang_staff, province_staff, django_capture_on_commit_callbacks
):
    report = MonthlyReportFactory(pesantren=pes_a)
    with pytest.raises(DomainError, match="reason"):
        services.report_review(user=jombang_staff, report=report, verify=False)
    with pytest.raises(PermissionDenied):
        services.report_review(user=admin_a, report=report, verify=True)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_review(user=jombang_staff, report=report, verify=False, note="Aset tidak wajar")
    assert report.status == "returned" and report.review_note == "Aset tidak wajar"
    assert "Aset tidak wajar" in mail.outbox[0].body
    with pytest.raises(DomainError, match="submitted"):
        services.report_review(user=province_staff, report=report, verify=True)
    foreign = MonthlyReportFactory(pesantren=pes_b)
    with pytest.raises(PermissionDenied):
        services.report_review(user=jombang_staff, report=foreign, verify=True)
    assert services.report_review(user=province_staff, report=foreign, verify=True).status == "verified"


def test_report_workflow_audits_and_mails_like_every_reviewed_report(
    pes_a, admin_a, admin_b, jombang_staff, django_capture_on_commit_callbacks
):
    """The shared workflow: the same audit records (with the same data) and the same e-mail on return as
    the alumni reports (alumni/tests/test_alumni.py holds the twin of this test)."""
    report = services.report_submit(user=admin_a, pesantren=pes_a, month=date(2024, 5, 1), **FIGURES)
    report = services.report_correct(user=admin_a, report=report, **{**FIGURES, "omzet": 1})
    with django_capture_on_commit_callbacks(execute=True):
        services.report_review(user=jombang_staff, report=report, verify=False, note="Cek aset")
    events = {e.action: e.data for e in AuditEvent.objects.filter(action__startswith="pesantren.report_")}
    assert events["pesantren.report_submitted"] == {"month": "2024-05-01", **FIGURES}
    assert events["pesantren.report_corrected"] == {
        "revision": 2,
        "previous_status": "submitted",
        "reason": "",
        **{**FIGURES, "omzet": 1},
    }
    assert events["pesantren.report_returned"] == {"revision": 2, "note": "Cek aset"}
    assert [m.to for m in mail.outbox] == [[admin_a.email]]
    assert "Cek aset" in mail.outbox[0].body and pes_a.name in mail.outbox[0].body
    with pytest.raises(PermissionDenied):
        services.report_correct(user=admin_b, report=report, reason="x", **FIGURES)
