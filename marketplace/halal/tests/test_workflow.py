"""The facilitation workflow: every (state, step, role) combination, and what each step records."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from marketplace.halal import services
from marketplace.halal.models import CaseEvent, CaseStatus, Certificate, HalalCase, Scheme
from marketplace.halal.tests.factories import CaseFactory, pdf_upload
from opop.models import AuditEvent
from opop.services import DomainError
from opop.tests.factories import MembershipFactory, UserFactory

OPEN = {CaseStatus.SUBMITTED, CaseStatus.ASSIGNED, CaseStatus.VERIFICATION, CaseStatus.FATWA}
STAFF = {"jombang_staff", "province_staff", "superuser"}
# step → (states it starts from, who may take it; "companion" means the assigned one)
RULES = {
    "submit": ({CaseStatus.DRAFT}, {"admin_a"}),
    "assign": ({CaseStatus.SUBMITTED}, STAFF),
    "start_verification": ({CaseStatus.ASSIGNED}, {"companion"}),
    "send_to_fatwa": ({CaseStatus.VERIFICATION}, {"companion"}),
    "issue": ({CaseStatus.FATWA}, STAFF),
    "return": (OPEN, STAFF),
    "reject": (OPEN, STAFF),
    "reopen": ({CaseStatus.ISSUED}, {"admin_a"}),
    "renew": ({CaseStatus.NEEDS_RENEWAL}, {"admin_a"}),
}
TARGET = {
    "submit": CaseStatus.SUBMITTED,
    "assign": CaseStatus.ASSIGNED,
    "start_verification": CaseStatus.VERIFICATION,
    "send_to_fatwa": CaseStatus.FATWA,
    "issue": CaseStatus.ISSUED,
    "return": CaseStatus.DRAFT,
    "reject": CaseStatus.REJECTED,
    "reopen": CaseStatus.NEEDS_RENEWAL,
    "renew": CaseStatus.DRAFT,
}
ACTORS = ["admin_a", "admin_b", "jombang_staff", "pasuruan_staff", "province_staff", "companion", "other", "superuser"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def pasuruan_staff(diskop):
    return MembershipFactory(organisation=diskop, role="staff", region_id="35.14").user


@pytest.fixture
def other(db):
    return UserFactory(email="pendamping.lain@opop.test")


def expected(status, action, actor) -> bool:
    sources, who = RULES[action]
    if status not in sources:
        return False
    if action == "return" and actor == "companion":
        return status in (CaseStatus.ASSIGNED, CaseStatus.VERIFICATION)
    return actor in who


def kwargs_for(action, companion, documents):
    if action == "submit":
        return {"attachments": documents}
    if action == "assign":
        return {"assignee": companion, "inspection_body": "LP3H UIN Sunan Ampel"}
    if action == "issue":
        return {"certificate": {"number": "ID35170000123450922", "issued_on": date(2026, 11, 20)}}
    if action in ("return", "reject", "reopen"):
        return {"note": "Daftar bahan belum lengkap."}
    return {}


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("action", list(RULES))
@pytest.mark.parametrize("status", CaseStatus.values)
def test_each_step_only_from_its_states_by_its_roles(
    request, status, action, actor_name, pesantren_a, admin_a, product_a, companion, documents,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=status, assignee=companion)
    actor = request.getfixturevalue(actor_name)
    allowed = expected(status, action, actor_name)
    assert services.may_transition(user=actor, case=case, name=action) is allowed
    audit_before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        if allowed:
            services.case_transition(actor=actor, case=case, action=action, **kwargs_for(action, companion, documents))
        else:
            with pytest.raises(DomainError):
                services.case_transition(
                    actor=actor, case=case, action=action, **kwargs_for(action, companion, documents)
                )
    case.refresh_from_db()
    if allowed:
        assert case.status == TARGET[action]
        event = CaseEvent.objects.get(case=case, action=action)
        assert (event.from_status, event.to_status, event.actor) == (status, TARGET[action], actor)
        assert AuditEvent.objects.filter(action=f"halal.case.{action}", target_id=str(case.pk)).exists()
        assert admin_a.email in mail.outbox[-1].to
    else:
        assert case.status == status
        assert AuditEvent.objects.count() == audit_before
        assert not mail.outbox


def test_the_full_self_declare_path_issues_a_certificate_and_shows_the_badge(
    pesantren_a, admin_a, product_a, jombang_staff, companion, documents, django_capture_on_commit_callbacks
):
    case = services.case_create(actor=admin_a, organisation=pesantren_a, products=[product_a], scheme="self_declare")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(actor=admin_a, case=case, action="submit", attachments=documents)
        services.case_transition(actor=jombang_staff, case=case, action="assign", assignee=companion)
        services.case_transition(actor=companion, case=case, action="start_verification", note="Kunjungan dapur")
        services.case_transition(actor=companion, case=case, action="send_to_fatwa")
        services.case_transition(
            actor=jombang_staff,
            case=case,
            action="issue",
            certificate={"number": "id35170000999990922", "issued_on": date(2026, 11, 20), "pdf": pdf_upload()},
        )
    case.refresh_from_db()
    cert = Certificate.objects.get(case=case)
    assert cert.number == "ID35170000999990922" and list(cert.products.all()) == [product_a]
    product_a.refresh_from_db()
    assert product_a.halal_certificate_number == cert.number and product_a.is_halal
    assert list(case.events.values_list("action", flat=True)) == [
        "create", "submit", "assign", "start_verification", "send_to_fatwa", "issue",
    ]  # fmt: skip
    assert case.attachments.count() == 2
    assert len(mail.outbox) == 5
    assert "jombang@opop.test" in mail.outbox[0].to  # the region's staff hear of a submission
    assert companion.email in mail.outbox[1].to
    assert "not the KH fatwa number" in mail.outbox[-1].body


def test_submit_needs_the_ingredient_list_and_process_flow(pesantren_a, admin_a, product_a):
    case = CaseFactory(organisation=pesantren_a, products=[product_a])
    with pytest.raises(DomainError, match="ingredient list"):
        services.case_transition(actor=admin_a, case=case, action="submit")
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


def test_self_declare_submit_is_refused_with_the_policy_reasons(pesantren_a, admin_a, product_a, documents):
    case = CaseFactory(
        organisation=pesantren_a, products=[product_a], annual_turnover=3_000_000_000, uses_risky_materials=True
    )
    with pytest.raises(DomainError) as exc:
        services.case_transition(actor=admin_a, case=case, action="submit", attachments=documents)
    assert "Rp500.000.000" in str(exc.value) and "risky" in str(exc.value)


def test_reguler_allows_a_larger_business(pesantren_a, admin_a, product_a, documents):
    case = CaseFactory(
        organisation=pesantren_a, products=[product_a], scheme=Scheme.REGULER, annual_turnover=3_000_000_000
    )
    services.case_transition(actor=admin_a, case=case, action="submit", attachments=documents)
    assert HalalCase.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_reject_need_a_reason(action, pesantren_a, product_a, jombang_staff):
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.SUBMITTED)
    with pytest.raises(DomainError, match="reason"):
        services.case_transition(actor=jombang_staff, case=case, action=action, note="  ")


def test_a_returned_case_keeps_its_reason_and_can_be_fixed_and_resubmitted(
    pesantren_a, admin_a, product_a, jombang_staff, documents
):
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.SUBMITTED)
    services.case_transition(actor=jombang_staff, case=case, action="return", note="Foto dapur kurang jelas")
    case.refresh_from_db()
    assert (case.status, case.reason) == (CaseStatus.DRAFT, "Foto dapur kurang jelas")
    assert services.may_edit(user=admin_a, case=case)
    services.case_transition(actor=admin_a, case=case, action="submit", attachments=documents)
    case.refresh_from_db()
    assert (case.status, case.reason) == (CaseStatus.SUBMITTED, "")


def test_assign_refuses_a_member_of_the_business_and_reguler_needs_the_lph(
    pesantren_a, admin_a, product_a, jombang_staff, companion
):
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.SUBMITTED)
    with pytest.raises(DomainError, match="own case"):
        services.case_transition(actor=jombang_staff, case=case, action="assign", assignee=admin_a)
    with pytest.raises(DomainError, match="Choose"):
        services.case_transition(actor=jombang_staff, case=case, action="assign")
    case.scheme = Scheme.REGULER
    case.save()
    with pytest.raises(DomainError, match="LPH"):
        services.case_transition(actor=jombang_staff, case=case, action="assign", assignee=companion)


@pytest.mark.parametrize("number", ["KH.123/2026", "35110000123450922", "ID", "ID12AB34567890"])
def test_issue_refuses_a_number_that_is_not_an_sh_number(number, pesantren_a, product_a, jombang_staff):
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.FATWA)
    with pytest.raises(ValidationError, match="SH certificate number"):
        services.case_transition(
            actor=jombang_staff,
            case=case,
            action="issue",
            certificate={"number": number, "issued_on": date(2026, 11, 1)},
        )
    assert HalalCase.objects.get(pk=case.pk).status == CaseStatus.FATWA
    assert not Certificate.objects.exists()


def test_a_future_date_is_refused(pesantren_a, product_a, jombang_staff):
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.SUBMITTED)
    with pytest.raises(DomainError, match="future"):
        services.case_transition(
            actor=jombang_staff, case=case, action="reject", note="x", occurred_on=date(2030, 1, 1)
        )


def test_a_case_covers_only_the_business_s_own_products(pesantren_a, admin_a, product_b):
    with pytest.raises(DomainError, match="own products"):
        services.case_create(actor=admin_a, organisation=pesantren_a, products=[product_b], scheme="self_declare")


def test_only_members_open_cases_and_only_for_businesses(pesantren_a, admin_b, product_a, diskop, province_staff):
    with pytest.raises(DomainError):
        services.case_create(actor=admin_b, organisation=pesantren_a, products=[product_a], scheme="self_declare")
    with pytest.raises(DomainError, match="pesantren, santri or alumni"):
        services.case_create(actor=province_staff, organisation=diskop, products=[product_a], scheme="reguler")


def test_attachments_are_checked_for_type_and_size(pesantren_a, admin_a, product_a):
    case = CaseFactory(organisation=pesantren_a, products=[product_a])
    with pytest.raises(ValidationError, match="5 MB"):
        services.case_attach(actor=admin_a, case=case, kind="photo", upload=pdf_upload(size=5 * 1024 * 1024 + 1))
    fake = pdf_upload("bahan.pdf")
    fake.file.write(b"")
    fake.file.seek(0)
    fake.file.truncate()
    fake.file.write(b"MZ not a pdf")
    fake.file.seek(0)
    with pytest.raises(ValidationError, match="not a valid PDF"):
        services.case_attach(actor=admin_a, case=case, kind="ingredients", upload=fake)
    with pytest.raises(ValidationError, match="PDF, JPG or PNG"):
        services.case_attach(actor=admin_a, case=case, kind="nib", upload=pdf_upload("nib.exe"))
    services.case_attach(actor=admin_a, case=case, kind="nib", upload=pdf_upload("nib.pdf"))
    assert case.attachments.count() == 1


def test_after_submission_the_business_can_no_longer_attach_but_the_companion_can(
    pesantren_a, admin_a, product_a, companion
):
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.ASSIGNED, assignee=companion)
    with pytest.raises(DomainError):
        services.case_attach(actor=admin_a, case=case, kind="photo", upload=pdf_upload())
    services.case_attach(actor=companion, case=case, kind="report", upload=pdf_upload("laporan.pdf"))


def test_reopening_after_a_composition_change_hides_the_badge_until_recertified(
    pesantren_a, admin_a, product_a, jombang_staff
):
    case = CaseFactory(organisation=pesantren_a, products=[product_a], status=CaseStatus.FATWA)
    services.case_transition(
        actor=jombang_staff,
        case=case,
        action="issue",
        certificate={"number": "ID35170000444440922", "issued_on": date(2026, 11, 2)},
    )
    product_a.refresh_from_db()
    assert product_a.is_halal
    with pytest.raises(DomainError, match="what changed"):
        services.case_transition(actor=admin_a, case=case, action="reopen")
    services.case_transition(actor=admin_a, case=case, action="reopen", note="Ganti minyak goreng ke merek lain")
    case.refresh_from_db()
    product_a.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_RENEWAL and not product_a.is_halal
    assert Certificate.objects.get(number="ID35170000444440922").revoked
