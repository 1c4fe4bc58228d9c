from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alumni import services
from alumni.models import AlumniReport, Alumnus, Collaboration
from opop.models import AuditEvent, DirtyFigureKey, Organisation, User
from opop.services import DomainError
from opop.tests.factories import UserFactory
from santri.models import Santri
from santri.tests.factories import SantriFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alumna(pes_a, admin_a):
    person = UserFactory(email="alumna@opop.test", full_name="Nur Aini")
    alumnus = services.alumnus_register(user=person, pesantren=pes_a, graduation_year=2018)
    services.alumnus_verify(user=admin_a, alumnus=alumnus, verify=True)
    return person


@pytest.fixture
def business(alumna, region):
    return services.business_create(
        user=alumna, name="Kopi Nur Aini", sector="food", kabupaten_kota=region("35.17"), workers=4, nib="1234567890123"
    )


def test_alumnus_is_verified_only_by_their_pesantrens_admin(pes_a, admin_a, admin_b):
    person = UserFactory()
    alumnus = services.alumnus_register(user=person, pesantren=pes_a, graduation_year=2019)
    assert alumnus.status == Alumnus.Status.PENDING
    with pytest.raises(DomainError):
        services.business_create(user=person, name="X", sector="food", kabupaten_kota=pes_a.kabupaten_kota, workers=1)
    with pytest.raises(PermissionDenied):
        services.alumnus_verify(user=admin_b, alumnus=alumnus, verify=True)
    with pytest.raises(DomainError, match="reason"):
        services.alumnus_verify(user=admin_a, alumnus=alumnus, verify=False)
    services.alumnus_verify(user=admin_a, alumnus=alumnus, verify=True)
    alumnus.refresh_from_db()
    assert alumnus.status == Alumnus.Status.VERIFIED and alumnus.verified_by == admin_a
    with pytest.raises(DomainError):
        services.alumnus_verify(user=admin_a, alumnus=alumnus, verify=False, note="x")


def test_a_graduating_santri_becomes_an_alumnus_without_retyping(
    pes_a, admin_a, admin_b, django_capture_on_commit_callbacks
):
    santri = SantriFactory(pesantren=pes_a, name="Rizal Maulana")
    with pytest.raises(PermissionDenied):
        services.alumnus_from_santri(user=admin_b, santri=santri, email="rizal@opop.test")
    with django_capture_on_commit_callbacks(execute=True):
        alumnus = services.alumnus_from_santri(
            user=admin_a, santri=santri, email="Rizal@OPOP.test", graduation_year=2025
        )
    santri.refresh_from_db()
    assert santri.status == Santri.Status.GRADUATED
    assert alumnus.status == Alumnus.Status.VERIFIED and alumnus.santri == santri and alumnus.pesantren == pes_a
    person = User.objects.get(email="rizal@opop.test")
    assert person.full_name == "Rizal Maulana" and not person.has_usable_password()
    assert mail.outbox and mail.outbox[0].to == ["rizal@opop.test"]
    with pytest.raises(DomainError):
        services.alumnus_from_santri(user=admin_a, santri=santri, email="lain@opop.test")


def test_business_gets_an_alumni_business_organisation(business, alumna):
    assert business.organisation.kind == Organisation.Kind.ALUMNI_BUSINESS
    assert business.organisation.memberships.get().user == alumna


def test_nib_has_13_digits(alumna, region):
    with pytest.raises(ValidationError):
        services.business_create(
            user=alumna, name="Y", sector="food", kabupaten_kota=region("35.17"), workers=1, nib="123"
        )


def test_reports_are_verified_corrected_as_revisions_and_never_silently_overwritten(
    business, alumna, jombang_staff, province_staff, diskop
):
    from opop.tests.factories import MembershipFactory

    surabaya_staff = MembershipFactory(organisation=diskop, role="staff", region_id="35.78").user
    report = services.report_submit(user=alumna, business=business, month=date(2025, 5, 1), omzet=12_000_000, workers=4)
    with pytest.raises(ValidationError, match="already exists"):
        services.report_submit(user=alumna, business=business, month=date(2025, 5, 1), omzet=1, workers=1)
    with pytest.raises(PermissionDenied):
        services.report_review(user=surabaya_staff, report=report, verify=True)
    services.report_review(user=jombang_staff, report=report, verify=True)
    assert DirtyFigureKey.objects.filter(month=date(2025, 5, 1), kabupaten_kota_id="35.17").exists()
    with pytest.raises(ValidationError, match="Say why"):
        services.report_correct(user=alumna, report=report, omzet=13_000_000, workers=4)
    services.report_correct(user=alumna, report=report, omzet=13_000_000, workers=4, reason="Nota tertinggal")
    report.refresh_from_db()
    assert (report.revision, report.status, report.omzet) == (2, AlumniReport.Status.SUBMITTED, 13_000_000)
    assert list(report.revisions.order_by("number").values_list("omzet", flat=True)) == [12_000_000, 13_000_000]
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.report_correct(user=alumna, report=report, omzet=13_000_000, workers=4)


def test_report_workflow_audits_and_mails_like_every_reviewed_report(
    business, alumna, admin_a, jombang_staff, diskop, django_capture_on_commit_callbacks
):
    """The shared workflow (opop.reviewed_reports): the same audit records, the same e-mail to the
    business's members when a report is returned, and the same PermissionDenied for a non-member or
    staff of another region as the pesantren reports."""
    from opop.tests.factories import MembershipFactory

    surabaya_staff = MembershipFactory(organisation=diskop, role="staff", region_id="35.78").user
    with pytest.raises(PermissionDenied):
        services.report_submit(user=admin_a, business=business, month=date(2025, 5, 1), omzet=1, workers=1)
    report = services.report_submit(user=alumna, business=business, month=date(2025, 5, 1), omzet=12_000_000, workers=4)
    with pytest.raises(ValidationError) as exc:
        services.report_correct(user=alumna, report=report, omzet=-1, workers=4)
    assert "omzet" in exc.value.message_dict
    report = services.report_correct(user=alumna, report=report, omzet=11_000_000, workers=4)
    with pytest.raises(PermissionDenied):
        services.report_correct(user=admin_a, report=report, omzet=1, workers=1)
    with pytest.raises(PermissionDenied):
        services.report_review(user=surabaya_staff, report=report, verify=False, note="Cek")
    with pytest.raises(DomainError, match="reason"):
        services.report_review(user=jombang_staff, report=report, verify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_review(user=jombang_staff, report=report, verify=False, note="Nota kurang")
    events = {e.action: e.data for e in AuditEvent.objects.filter(action__startswith="alumni.report_")}
    assert events["alumni.report_submitted"] == {"month": "2025-05-01", "omzet": 12_000_000, "workers": 4}
    assert events["alumni.report_corrected"] == {
        "revision": 2,
        "previous_status": "submitted",
        "reason": "",
        "omzet": 11_000_000,
        "workers": 4,
    }
    assert events["alumni.report_returned"] == {"revision": 2, "note": "Nota kurang"}
    returned = [m for m in mail.outbox if "Nota kurang" in m.body]
    assert [m.to for m in returned] == [[alumna.email]]
    assert business.name in returned[0].body


def test_staff_of_another_region_gets_404_on_the_review_page(client, business, alumna, diskop):
    from opop.tests.factories import MembershipFactory

    surabaya_staff = MembershipFactory(organisation=diskop, role="staff", region_id="35.78").user
    report = services.report_submit(user=alumna, business=business, month=date(2025, 6, 1), omzet=1, workers=1)
    client.force_login(surabaya_staff)
    assert client.post(reverse("alumni:report_review", args=[report.pk]), {"decision": "verify"}).status_code == 404
    report.refresh_from_db()
    assert report.status == AlumniReport.Status.SUBMITTED


def test_collaboration_is_active_only_when_both_sides_confirm(business, alumna, pes_a, pes_b, admin_a, admin_b):
    collaboration = services.collaboration_propose(user=alumna, business=business, pesantren=pes_a, kind="supplier")
    assert collaboration.status == Collaboration.Status.PROPOSED
    with pytest.raises(DomainError, match="already confirmed"):
        services.collaboration_respond(user=alumna, collaboration=collaboration, accept=True)
    with pytest.raises(PermissionDenied):
        services.collaboration_respond(user=admin_b, collaboration=collaboration, accept=True)
    services.collaboration_respond(user=admin_a, collaboration=collaboration, accept=True)
    collaboration.refresh_from_db()
    assert collaboration.status == Collaboration.Status.ACTIVE
    assert collaboration.business_confirmed_by == alumna and collaboration.pesantren_confirmed_by == admin_a
    with pytest.raises(DomainError):
        services.collaboration_propose(user=admin_a, business=business, pesantren=pes_a, kind="supplier")
    # the pesantren side may propose too; the business then declines
    other = services.collaboration_propose(user=admin_b, business=business, pesantren=pes_b, kind="mentor")
    services.collaboration_respond(user=alumna, collaboration=other, accept=False)
    other.refresh_from_db()
    assert other.status == Collaboration.Status.DECLINED and other.business_confirmed_at is None
    with pytest.raises(PermissionDenied):
        services.collaboration_propose(user=admin_a, business=business, pesantren=pes_b, kind="reseller")


def test_pages_for_each_role_and_foreign_ids_answer_404(
    client, business, alumna, admin_a, admin_b, jombang_staff, pes_a
):
    report = services.report_submit(user=alumna, business=business, month=date(2025, 6, 1), omzet=1_000_000, workers=2)
    collaboration = services.collaboration_propose(user=alumna, business=business, pesantren=pes_a, kind="reseller")
    for user in (alumna, admin_a, jombang_staff):
        client.force_login(user)
        assert client.get(reverse("alumni:home")).status_code == 200
        assert client.get(reverse("alumni:business_detail", args=[business.pk])).status_code == 200
    client.force_login(alumna)
    assert client.get(reverse("alumni:report_create", args=[business.pk])).status_code == 200
    assert client.get(reverse("alumni:report_correct", args=[report.pk])).status_code == 200
    assert client.get(reverse("alumni:collaboration_propose")).status_code == 200
    client.force_login(admin_b)
    assert client.get(reverse("alumni:business_detail", args=[business.pk])).status_code == 404
    assert client.get(reverse("alumni:report_correct", args=[report.pk])).status_code == 404
    assert client.post(reverse("alumni:report_review", args=[report.pk])).status_code == 404
    assert (
        client.post(reverse("alumni:collaboration_respond", args=[collaboration.pk]), {"accept": "1"}).status_code
        == 404
    )
    client.force_login(jombang_staff)
    response = client.post(reverse("alumni:report_review", args=[report.pk]), {"decision": "verify"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == AlumniReport.Status.VERIFIED


def test_register_and_graduate_through_the_pages(client, pes_a, admin_a):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("alumni:home"), {"pesantren": pes_a.pk, "graduation_year": 2015})
    assert response.status_code == 302
    alumnus = Alumnus.objects.get(user=person)
    client.force_login(admin_a)
    client.post(reverse("alumni:alumnus_review", args=[alumnus.pk]), {"decision": "verify"})
    alumnus.refresh_from_db()
    assert alumnus.status == Alumnus.Status.VERIFIED
    santri = SantriFactory(pesantren=pes_a, status="graduated")
    assert (
        reverse("alumni:graduate", args=[santri.pk])
        in client.get(reverse("santri:detail", args=[santri.pk])).content.decode()
    )
    response = client.post(
        reverse("alumni:graduate", args=[santri.pk]), {"email": "lulusan@opop.test", "graduation_year": 2026}
    )
    assert response.status_code == 302
    assert Alumnus.objects.filter(santri=santri, user__email="lulusan@opop.test").exists()
