"""Opening a store: who may apply (verified organisations only, told why otherwise), who decides (Diskop staff,
region-scoped; a santri business's supervising pesantren; never a member), the store appearing only once
approved, e-mails, audit events, idempotency, 404 for foreign ids, and the queue's query budget."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection  # noqa: F401 (read by the skipif conditions)
from django.urls import reverse

from alumni.models import AlumniBusiness, Alumnus
from marketplace.models import Store, StoreApplication
from marketplace.seller import opening
from marketplace.tests.factories import StoreFactory, image_upload
from opop.models import AuditEvent, KabupatenKota, Organisation
from opop.organisations import organisation_standing
from opop.services import DomainError, membership_add
from opop.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from pesantren.models import Pesantren
from pesantren.tests.factories import PesantrenFactory

pytestmark = pytest.mark.django_db

S = StoreApplication.Status


def _data(**overrides):
    data = {
        "name": "Koppontren Darul Ulum",
        "slug": "koppontren-darul-ulum",
        "description": "Produk santri Darul Ulum.",
        "origin": KabupatenKota.objects.get(kode="35.17"),
        "pickup_address": "Jl. Pesantren 1, Peterongan, Jombang",
        "origin_kecamatan": "Peterongan",
        "origin_kecamatan_code": "35.17.10",
        "origin_desa": "Keplaksari",
        "origin_desa_code": "35.17.10.2002",
        "origin_postal_code": "61481",
        "bank_name": "Bank Jatim Syariah",
        "bank_account_number": "0123456789",
        "bank_account_name": "Koppontren Darul Ulum",
    }
    return {**data, **overrides}


def _post_data(**overrides):
    """The form's POST: the ship-from address through the address widget (Kec. Peterongan, Desa Keplaksari)."""
    data = _data(**overrides)
    data["alamat_provinsi"] = "35"
    data["alamat_kabupaten"] = data.pop("origin").pk
    data["alamat_jalan"] = data.pop("pickup_address")
    data["alamat_kecamatan"] = data.pop("origin_kecamatan_code")
    data["alamat_desa"] = data.pop("origin_desa_code")
    data["alamat_kodepos"] = data.pop("origin_postal_code")
    del data["origin_kecamatan"], data["origin_desa"]
    return data


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def verified_a(pesantren_a, admin_a):
    """Darul Ulum (Kab. Jombang), verified by Diskop; admin_a owns it and has no store."""
    PesantrenFactory(organisation=pesantren_a, nspp="510035170001")
    return pesantren_a


def _apply(organisation, owner, **overrides):
    return opening.store_application_save(actor=owner, organisation=organisation, submit=True, **_data(**overrides))


def _alumni_business(owner, *, status=Alumnus.Status.VERIFIED, region="35.71"):
    pesantren = PesantrenFactory(organisation=OrganisationFactory(kabupaten_kota_id=region))
    alumnus = Alumnus.objects.create(user=owner, pesantren=pesantren, graduation_year=2015, status=status)
    organisation = OrganisationFactory(kind=Organisation.Kind.ALUMNI_BUSINESS, kabupaten_kota_id=region)
    membership_add(organisation=organisation, user=owner, role="owner")
    AlumniBusiness.objects.create(
        organisation=organisation, alumnus=alumnus, name=organisation.name, sector="kuliner", kabupaten_kota_id=region
    )
    owner.__dict__.pop("_opop_access", None)
    return organisation


@pytest.fixture
def santri_business(verified_a, admin_a):
    """A santri business supervised by Darul Ulum, opened by admin_a (its owner)."""
    organisation = OrganisationFactory(kind=Organisation.Kind.SANTRI_BUSINESS, parent=verified_a, slug="kopi-santri")
    membership_add(organisation=organisation, user=admin_a, role="owner")
    admin_a.__dict__.pop("_opop_access", None)
    return organisation


@pytest.fixture
def pesantren_staff_a(verified_a):
    """A second admin of Darul Ulum (staff): not a member of the santri business, so they may decide it."""
    return MembershipFactory(organisation=verified_a, role="staff", user__email="staf.a@opop.test").user


# --- who may apply -------------------------------------------------------------------------------------------


def test_an_unverified_pesantren_is_told_why_and_cannot_apply(client, pesantren_a, admin_a):
    PesantrenFactory(organisation=pesantren_a, status=Pesantren.Status.SUBMITTED, cohort=None)
    _english(client).force_login(admin_a)
    page = client.get(reverse("marketplace:seller_dashboard"))
    assert page.status_code == 200
    assert "still waiting for verification by Diskop UKM staff" in page.content.decode()
    form_page = client.get(reverse("marketplace:seller_open", args=[pesantren_a.slug]))
    assert form_page.status_code == 200 and form_page.context["editable"] is False
    client.post(reverse("marketplace:seller_open", args=[pesantren_a.slug]), _post_data())
    assert not StoreApplication.objects.exists()
    with pytest.raises(DomainError, match="still waiting for verification"):
        _apply(pesantren_a, admin_a)


@pytest.mark.parametrize(
    ("status", "reason"),
    [(None, "Register your pesantren"), ("returned", "returned your pesantren"), ("inactive", "inactive")],
)
def test_each_unverified_state_has_its_own_reason(pesantren_a, status, reason):
    if status:
        PesantrenFactory(organisation=pesantren_a, status=status, cohort=2021)
    standing = organisation_standing(pesantren_a)
    assert not standing.verified and reason in standing.reason


def test_a_verified_pesantren_applies_and_the_store_does_not_exist_until_approved(
    client, verified_a, admin_a, django_capture_on_commit_callbacks
):
    _english(client).force_login(admin_a)
    overview = client.get(reverse("marketplace:seller_dashboard"))
    assert overview.status_code == 200
    assert reverse("marketplace:seller_open", args=[verified_a.slug]) in overview.content.decode()
    form = client.get(reverse("marketplace:seller_open", args=[verified_a.slug]))
    assert form.context["form"].initial["alamat_kabupaten"] == "35.17" and form.context["pillar"] == "Pesantrenpreneur"
    response = client.post(
        reverse("marketplace:seller_open", args=[verified_a.slug]),
        {**_post_data(), "logo_upload": image_upload(200, 200, name="logo.png", fmt="PNG"), "action": "submit"},
    )
    assert response.status_code == 302
    application = StoreApplication.objects.get(organisation=verified_a)
    assert application.status == S.SUBMITTED and application.applicant == admin_a and application.logo
    assert application.language == "en" and application.submission_count == 1
    assert AuditEvent.objects.filter(action="marketplace.store_application_submitted").count() == 1
    assert not Store.objects.filter(organisation=verified_a).exists()
    assert client.get(reverse("marketplace:store", args=["koppontren-darul-ulum"])).status_code == 404
    # Waiting: shown, not editable; posting again changes nothing.
    page = client.get(reverse("marketplace:seller_open", args=[verified_a.slug]))
    assert page.context["editable"] is False and "waits for Diskop UKM staff" in page.content.decode()
    client.post(reverse("marketplace:seller_open", args=[verified_a.slug]), _post_data(name="Lain"))
    application.refresh_from_db()
    assert application.name == "Koppontren Darul Ulum" and application.submission_count == 1


def test_a_draft_is_kept_without_submitting(client, verified_a, admin_a):
    client.force_login(admin_a)
    client.post(reverse("marketplace:seller_open", args=[verified_a.slug]), {**_post_data(), "action": "draft"})
    application = StoreApplication.objects.get()
    assert application.status == S.DRAFT and application.submitted_at is None
    assert not opening.store_applications_for_decider(user=UserFactory(is_superuser=True)).exists()


def test_the_address_is_checked_url_safe_and_unique(verified_a, admin_a, pesantren_b):
    StoreFactory(organisation=pesantren_b, slug="toko-sidogiri")
    with pytest.raises(Exception, match="Another store already uses this address"):
        _apply(verified_a, admin_a, slug="toko-sidogiri")
    with pytest.raises(Exception, match="letters, digits and single hyphens"):
        _apply(verified_a, admin_a, slug="Toko_Saya!")
    application = _apply(verified_a, admin_a, slug="")
    assert application.slug == "koppontren-darul-ulum"


def test_the_bank_account_number_is_digits_only_6_to_20(client, verified_a, admin_a):
    client.force_login(admin_a)
    url = reverse("marketplace:seller_open", args=[verified_a.slug])
    for number in ("12345", "1" * 21, "12-3456-789"):
        response = client.post(url, _post_data(bank_account_number=number))
        assert response.status_code == 200 and "bank_account_number" in response.context["form"].errors
    assert not StoreApplication.objects.exists()
    client.post(url, _post_data(bank_account_number="0012 3456 78"))
    assert StoreApplication.objects.get().bank_account_number == "0012345678"


def test_a_verified_alumni_business_can_apply_an_unconfirmed_one_cannot(province_staff):
    owner = UserFactory()
    organisation = _alumni_business(owner)
    application = _apply(organisation, owner, slug="batik-alumni")
    store = opening.store_application_approve(actor=province_staff, application=application)
    assert store.organisation == organisation and store.pillar == "sosiopreneur"
    pending_owner = UserFactory()
    pending = _alumni_business(pending_owner, status=Alumnus.Status.PENDING)
    with pytest.raises(DomainError, match="not yet confirmed you"):
        _apply(pending, pending_owner, slug="herbal-alumni")


def test_a_santri_business_of_an_unverified_pesantren_cannot_apply(pesantren_a, admin_a):
    PesantrenFactory(organisation=pesantren_a, status=Pesantren.Status.REGISTERED, cohort=None)
    organisation = OrganisationFactory(kind=Organisation.Kind.SANTRI_BUSINESS, parent=pesantren_a)
    membership_add(organisation=organisation, user=admin_a, role="owner")
    admin_a.__dict__.pop("_opop_access", None)
    with pytest.raises(DomainError, match="supervises this santri business is not verified"):
        _apply(organisation, admin_a, slug="kopi-santri")
    orphan = OrganisationFactory(kind=Organisation.Kind.SANTRI_BUSINESS)
    assert "not supervised by a pesantren" in organisation_standing(orphan).reason


def test_only_an_owner_applies_and_foreign_organisations_are_404(client, verified_a, pesantren_b, admin_b):
    staff = MembershipFactory(organisation=verified_a, role="staff").user
    client.force_login(staff)
    assert client.get(reverse("marketplace:seller_open", args=[verified_a.slug])).status_code == 404
    client.force_login(admin_b)
    assert client.get(reverse("marketplace:seller_open", args=[verified_a.slug])).status_code == 404
    with pytest.raises(PermissionDenied):
        _apply(verified_a, admin_b)


def test_someone_without_an_organisation_still_gets_the_404_page(client, shopper):
    client.force_login(shopper)
    assert client.get(reverse("marketplace:seller_dashboard")).status_code == 404
    assert client.get(reverse("marketplace:seller_opening")).status_code == 404


# --- who decides -------------------------------------------------------------------------------------------


def test_diskop_staff_approve_and_the_store_opens_with_everything_asked(
    client, verified_a, admin_a, province_staff, django_capture_on_commit_callbacks
):
    application = opening.store_application_save(
        actor=admin_a, organisation=verified_a, submit=True, logo=image_upload(200, 200), **_data()
    )
    _english(client).force_login(province_staff)
    queue = client.get(reverse("marketplace:store_request_list"))
    assert list(queue.context["page"].object_list) == [application]
    assert client.get(reverse("marketplace:store_request_detail", args=[application.pk])).context["may_decide"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("marketplace:store_request_decide", args=[application.pk, "approve"]))
    assert response.status_code == 302
    store = Store.objects.get(organisation=verified_a)
    assert (store.slug, store.name, store.pickup_address) == (
        "koppontren-darul-ulum",
        "Koppontren Darul Ulum",
        "Jl. Pesantren 1, Peterongan, Jombang",
    )
    assert (store.bank_name, store.bank_account_number, store.bank_account_name) == (
        "Bank Jatim Syariah",
        "0123456789",
        "Koppontren Darul Ulum",
    )
    assert store.origin_id == "35.17" and store.kabupaten_kota.kode == "35.17" and store.logo and store.is_active
    # The ship-from address a courier quotes from, chosen in the address widget.
    assert (store.origin_kecamatan_code, store.origin_kecamatan) == ("35.17.10", "Peterongan")
    assert (store.origin_desa_code, store.origin_desa, store.origin_postal_code) == (
        "35.17.10.2002",
        "Keplaksari",
        "61481",
    )
    application.refresh_from_db()
    assert application.status == S.APPROVED and application.store == store
    assert application.decided_by == province_staff and application.decided_at
    event = AuditEvent.objects.get(action="marketplace.store_application_approved")
    assert event.actor == province_staff and event.target_id == str(application.pk)
    (message,) = mail.outbox
    assert message.to == [admin_a.email] and "is open on OPOP Mart" in message.subject
    assert "/mart/toko/koppontren-darul-ulum/" in message.body
    assert client.get(reverse("marketplace:store", args=[store.slug])).status_code == 200
    # The owner now has the seller centre of the new store.
    client.force_login(admin_a)
    assert client.get(reverse("marketplace:seller_dashboard")).context["store"] == store


def test_approving_twice_opens_one_store_and_records_one_decision(verified_a, admin_a, province_staff):
    application = _apply(verified_a, admin_a)
    first = opening.store_application_approve(actor=province_staff, application=application)
    second = opening.store_application_approve(actor=province_staff, application=application)
    assert first == second and Store.objects.filter(organisation=verified_a).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.store_application_approved").count() == 1
    with pytest.raises(DomainError, match="not waiting"):
        opening.store_application_return(actor=province_staff, application=application, reason="Telat")


def test_an_organisation_no_longer_verified_is_not_approved(verified_a, admin_a, province_staff):
    application = _apply(verified_a, admin_a)
    Pesantren.objects.filter(organisation=verified_a).update(status=Pesantren.Status.INACTIVE)
    with pytest.raises(DomainError, match="inactive"):
        opening.store_application_approve(actor=province_staff, application=application)
    assert not Store.objects.exists()


def test_submitting_twice_is_one_submission(verified_a, admin_a):
    first = _apply(verified_a, admin_a)
    second = _apply(verified_a, admin_a, name="Nama lain")
    assert first.pk == second.pk and second.name == "Koppontren Darul Ulum" and second.submission_count == 1
    assert AuditEvent.objects.filter(action="marketplace.store_application_submitted").count() == 1


def test_return_needs_a_reason_then_resubmit_then_approve(
    client, verified_a, admin_a, province_staff, django_capture_on_commit_callbacks
):
    application = _apply(verified_a, admin_a)
    _english(client).force_login(province_staff)
    decide = reverse("marketplace:store_request_decide", args=[application.pk, "return"])
    client.post(decide, {"reason": "  "})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide, {"reason": "Logo belum ada; nomor rekening atas nama koperasi."})
        client.post(decide, {"reason": "Klik kedua"})  # idempotent: the first reason stays
    application.refresh_from_db()
    assert application.status == S.RETURNED
    assert application.return_reason == "Logo belum ada; nomor rekening atas nama koperasi."
    assert AuditEvent.objects.filter(action="marketplace.store_application_returned").count() == 1
    (message,) = mail.outbox
    assert message.to == [admin_a.email] and "was returned" in message.subject and "Logo belum ada" in message.body
    # The owner sees the reason, edits and submits again.
    client.force_login(admin_a)
    url = reverse("marketplace:seller_open", args=[verified_a.slug])
    page = client.get(url)
    assert page.context["editable"] and "Logo belum ada" in page.content.decode()
    client.post(url, {**_post_data(bank_account_name="Koperasi Darul Ulum"), "action": "submit"})
    application.refresh_from_db()
    assert application.status == S.RESUBMITTED and application.submission_count == 2
    assert application.bank_account_name == "Koperasi Darul Ulum"
    assert not Store.objects.filter(organisation=verified_a).exists()
    store = opening.store_application_approve(actor=province_staff, application=application)
    assert store.bank_account_name == "Koperasi Darul Ulum"


def test_region_scoped_staff_decide_only_their_region(verified_a, admin_a, pesantren_b, admin_b, jombang_staff, client):
    PesantrenFactory(organisation=pesantren_b, nspp="510035140002")
    ours = _apply(verified_a, admin_a)
    theirs = _apply(pesantren_b, admin_b, name="Sidogiri Mart", slug="sidogiri-mart")
    assert list(opening.store_applications_for_decider(user=jombang_staff)) == [ours]
    client.force_login(jombang_staff)
    assert client.get(reverse("marketplace:store_request_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("marketplace:store_request_decide", args=[theirs.pk, "approve"])).status_code == 404
    with pytest.raises(PermissionDenied):
        opening.store_application_approve(actor=jombang_staff, application=theirs)
    assert not Store.objects.filter(organisation=pesantren_b).exists()
    assert opening.store_application_approve(actor=jombang_staff, application=ours).organisation == verified_a


def test_a_member_never_decides_their_own_application(client, verified_a, admin_a, diskop):
    insider = MembershipFactory(organisation=diskop, role="staff").user
    membership_add(organisation=verified_a, user=insider, role="staff")
    application = _apply(verified_a, admin_a)
    client.force_login(insider)
    page = client.get(reverse("marketplace:store_request_detail", args=[application.pk]))
    assert page.status_code == 200 and page.context["may_decide"] is False
    assert client.post(reverse("marketplace:store_request_decide", args=[application.pk, "approve"])).status_code == 403
    assert client.post(reverse("marketplace:store_request_decide", args=[application.pk, "return"]), {"reason": "x"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and not Store.objects.exists()
    superuser_member = UserFactory(is_superuser=True)
    membership_add(organisation=verified_a, user=superuser_member, role="owner")
    with pytest.raises(PermissionDenied):
        opening.store_application_approve(actor=superuser_member, application=application)


def test_a_santri_business_is_decided_by_its_pesantren_not_by_diskop(
    client, santri_business, admin_a, pesantren_staff_a, province_staff, admin_b, django_capture_on_commit_callbacks
):
    application = _apply(santri_business, admin_a, name="Kopi Santri", slug="kopi-santri-du")
    assert not opening.store_applications_for_decider(user=province_staff).exists()
    with pytest.raises(PermissionDenied):
        opening.store_application_approve(actor=province_staff, application=application)
    client.force_login(province_staff)
    assert client.get(reverse("marketplace:store_request_detail", args=[application.pk])).status_code == 404
    client.force_login(admin_b)  # another pesantren's admin
    assert list(client.get(reverse("marketplace:store_request_list")).context["page"].object_list) == []
    assert client.post(reverse("marketplace:store_request_decide", args=[application.pk, "approve"])).status_code == 404
    client.force_login(admin_a)  # supervises the pesantren, but is the business's own owner
    assert client.post(reverse("marketplace:store_request_decide", args=[application.pk, "approve"])).status_code == 403
    client.force_login(pesantren_staff_a)
    assert list(client.get(reverse("marketplace:store_request_list")).context["page"].object_list) == [application]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("marketplace:store_request_decide", args=[application.pk, "approve"]))
    store = Store.objects.get(organisation=santri_business)
    assert store.pillar == "santripreneur" and store.slug == "kopi-santri-du"
    assert [m.to for m in mail.outbox] == [[admin_a.email]]


def test_people_who_decide_nothing_have_no_queue(client, shopper, admin_b, verified_a, admin_a):
    application = _apply(verified_a, admin_a)
    client.force_login(shopper)
    assert client.get(reverse("marketplace:store_request_list")).status_code == 403
    assert client.get(reverse("marketplace:store_request_detail", args=[application.pk])).status_code == 404
    client.force_login(admin_b)  # a pesantren admin: a queue of their santri businesses, empty here
    assert client.get(reverse("marketplace:store_request_list")).status_code == 200
    assert client.get(reverse("marketplace:store_request_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("marketplace:store_request_detail", args=[999999])).status_code == 404


def test_the_queue_costs_the_same_for_1_and_30_applications(client, province_staff, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            owner = UserFactory()
            organisation = OrganisationFactory(parent=None)
            PesantrenFactory(organisation=organisation)
            membership_add(organisation=organisation, user=owner, role="owner")
            _apply(organisation, owner, name=f"Toko {organisation.pk}", slug=f"toko-{organisation.pk}-{i}")

    client.force_login(province_staff)
    url = reverse("marketplace:store_request_list")
    make(1)
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        assert len(client.get(url).context["page"].object_list) == 1
    make(29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).context["page"].object_list) == 30


def test_the_nav_shows_store_requests_to_diskop_staff(client, province_staff):
    _english(client).force_login(province_staff)
    items = client.get(reverse("marketplace:store_request_list")).context["nav_items"]
    assert ("Store requests", reverse("marketplace:store_request_list"), True) in [
        (item.label, item.url, item.active) for item in items
    ]


def test_the_demo_leaves_one_request_waiting_for_diskop_and_stays_idempotent(
    client, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    (application,) = StoreApplication.objects.all()
    assert application.status == S.SUBMITTED and not Store.objects.filter(organisation=application.organisation)
    assert AuditEvent.objects.filter(action="marketplace.store_application_submitted").count() == 1
    from opop.models import User

    client.force_login(User.objects.get(email="staf.diskop@opop.test"))
    queue = client.get(reverse("marketplace:store_request_list"))
    assert list(queue.context["page"].object_list) == [application]
    client.post(reverse("marketplace:store_request_decide", args=[application.pk, "approve"]))
    assert client.get(reverse("marketplace:store", args=["al-hikmah-mart-jenu"])).status_code == 200


# --- races on PostgreSQL ----------------------------------------------------------------------------------

on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="concurrent requests need PostgreSQL's row locks"
)


@pytest.fixture
def regions(transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("opop.migrations.0002_kabupaten_kota_data").load(apps, None)


@pytest.mark.postgres
@on_postgres
def test_concurrent_approvals_open_one_store(regions, verified_a, admin_a, province_staff, jombang_staff):
    from opop.tests.concurrency import run_together

    application = _apply(verified_a, admin_a)
    deciders = [province_staff, jombang_staff] * 3
    results = run_together(
        6, lambda i: opening.store_application_approve(actor=deciders[i], application=application).pk
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1 and Store.objects.filter(organisation=verified_a).count() == 1
    assert AuditEvent.objects.filter(action="marketplace.store_application_approved").count() == 1


@pytest.mark.postgres
@on_postgres
def test_concurrent_first_submissions_make_one_application(regions, verified_a, admin_a):
    from opop.tests.concurrency import run_together

    results = run_together(5, lambda i: _apply(verified_a, admin_a).pk)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1 and StoreApplication.objects.count() == 1
    assert AuditEvent.objects.filter(action="marketplace.store_application_submitted").count() == 1


def test_the_application_form_takes_the_ship_from_address_through_the_widget(client, verified_a, admin_a):
    client.force_login(admin_a)
    url = reverse("marketplace:seller_open", args=[verified_a.slug])
    post = {**_post_data(), "action": "draft"}
    del post["alamat_desa"]
    response = client.post(url, {**post, "wilayah_pilih": "kecamatan"})
    assert response.status_code == 200 and not StoreApplication.objects.exists()
    body = response.content.decode()
    assert 'value="35.17.10.2002" data-kodepos="61481"' in body and "errorlist" not in body
    assert 'value="Koppontren Darul Ulum"' in body
    assert client.post(url, {**post, "alamat_desa": "35.17.10.2002"}).status_code == 302
    application = StoreApplication.objects.get()
    assert (application.origin_id, application.origin_kecamatan_code, application.origin_desa_code) == (
        "35.17",
        "35.17.10",
        "35.17.10.2002",
    )
    assert (application.origin_kecamatan, application.origin_desa, application.origin_postal_code) == (
        "Peterongan",
        "Keplaksari",
        "61481",
    )
    assert application.pickup_address == "Jl. Pesantren 1, Peterongan, Jombang"
