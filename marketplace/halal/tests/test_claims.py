"""Claims shoppers can trust (#17): one source for "Halal", typed numbers verified by staff, renewal state."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.halal import claims, services
from marketplace.halal.models import CaseStatus, Certificate, ClaimStatus, HalalCase, HalalClaim
from marketplace.halal.reminders import expired_badges_clear
from marketplace.halal.tests.factories import CertificateFactory, pdf_upload
from marketplace.models import Product
from marketplace.tests.factories import ProductFactory, StoreFactory
from opop.services import DomainError
from opop.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NUMBER = "ID35170000424240922"


def shopper_sees_halal(client, product) -> dict[str, bool]:
    """Where a shopper can meet the product's halal claim: card chip, filter, product page line, JSON-LD."""
    client.logout()
    listing = client.get(reverse("marketplace:search"), {"q": product.name}).content.decode()
    filtered = client.get(reverse("marketplace:search"), {"halal": "on"}).content.decode()
    page = client.get(product.get_absolute_url()).content.decode()
    ld = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1))
    return {
        "chip": 'class="badge badge-halal"' in listing,
        "filter": product.name in filtered,
        "page": "badge badge-halal" in page,
        "json_ld": ld.get("hasCertification", {}).get("certificationIdentification") == product.halal_certificate_number
        and "hasCertification" in ld,
    }


def seller_form(product, **extra):
    data = {
        "name": product.name,
        "category": product.category_id,
        "description": "Keripik tempe renyah.",
        "price": 15000,
        "weight_grams": 250,
        "min_order": 1,
        "low_stock_threshold": 5,
        "nib": "",
        "pirt": "",
        "bpom_md": "",
        "halal_certificate_number": "",
        "is_active": "on",
    }
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages in English: assertions read English text


@pytest.fixture
def pasuruan_staff(diskop):
    return MembershipFactory(organisation=diskop, role="staff", region_id="35.14", user__email="pas@opop.test").user


@pytest.fixture
def claim_a(product_a, admin_a):
    return claims.claim_submit(actor=admin_a, product=product_a, number=f" {NUMBER.lower()} ", evidence=pdf_upload())


# --- one source -----------------------------------------------------------------------------------


def test_chip_filter_page_and_json_ld_all_follow_the_synced_certificate(client, product_a, pesantren_a, admin_a):
    nothing = {"chip": False, "filter": False, "page": False, "json_ld": False}
    assert shopper_sees_halal(client, product_a) == nothing
    cert = CertificateFactory(organisation=pesantren_a, products=[product_a], number=NUMBER, expires_on=None)
    # a certificate row alone changes nothing: the one sync function decides what shoppers see
    assert shopper_sees_halal(client, product_a) == nothing
    services.product_halal_sync(product=product_a)
    product_a.refresh_from_db()
    assert product_a.halal_certificate_number == NUMBER
    assert shopper_sees_halal(client, product_a) == {"chip": True, "filter": True, "page": True, "json_ld": True}
    services.certificate_revoke(actor=admin_a, certificate=cert, reason="Dicabut BPJPH")
    product_a.refresh_from_db()
    assert shopper_sees_halal(client, product_a) == nothing


def test_the_seller_form_never_writes_the_shoppers_halal_number(product_a):
    from marketplace.seller.services import PRODUCT_FIELDS

    assert "halal_certificate_number" not in PRODUCT_FIELDS
    assert not Product._meta.get_field("halal_certificate_number").editable


# --- a typed number -------------------------------------------------------------------------------


def test_a_typed_number_waits_unseen_by_shoppers_and_shows_as_awaiting_to_the_seller(client, product_a, admin_a):
    client.force_login(admin_a)
    edit = reverse("marketplace:seller_product_edit", args=[product_a.pk])
    response = client.post(edit, seller_form(product_a, halal_certificate_number=NUMBER))
    assert response.status_code == 302
    claim = HalalClaim.objects.get(product=product_a)
    assert claim.status == ClaimStatus.PENDING and claim.number == NUMBER and claim.submitted_by == admin_a
    product_a.refresh_from_db()
    assert product_a.halal_certificate_number == "" and not product_a.is_halal
    with translation.override("en"):
        editor = client.get(edit).content.decode()
        listing = client.get(reverse("marketplace:seller_product_list")).content.decode()
        dashboard = client.get(reverse("marketplace:seller_dashboard")).content.decode()
    assert "Halal number awaiting verification" in editor and NUMBER in editor
    assert "Halal number awaiting verification" in listing
    assert "Awaiting verification" in dashboard
    assert shopper_sees_halal(client, product_a) == {"chip": False, "filter": False, "page": False, "json_ld": False}
    assert NUMBER not in client.get(product_a.get_absolute_url()).content.decode()


def test_saving_the_form_again_keeps_one_waiting_claim_and_clearing_withdraws_it(client, product_a, admin_a):
    client.force_login(admin_a)
    edit = reverse("marketplace:seller_product_edit", args=[product_a.pk])
    client.post(edit, seller_form(product_a, halal_certificate_number=NUMBER))
    client.post(edit, seller_form(product_a, halal_certificate_number=NUMBER, price=16000))
    assert HalalClaim.objects.filter(product=product_a, status=ClaimStatus.PENDING).count() == 1
    client.post(edit, seller_form(product_a, halal_certificate_number=""))
    assert list(HalalClaim.objects.values_list("status", flat=True)) == [ClaimStatus.WITHDRAWN]


def test_a_wrong_halal_number_gets_the_certificate_message(client, product_a, admin_a):
    client.force_login(admin_a)
    with translation.override("en"):
        response = client.post(
            reverse("marketplace:seller_product_edit", args=[product_a.pk]),
            seller_form(product_a, halal_certificate_number="HALAL-123"),
        )
        assert response.status_code == 200
        assert "starts with ID" in response.context["form"].errors["halal_certificate_number"][0]
    assert not HalalClaim.objects.exists()


def test_another_business_certificate_number_cannot_be_claimed(product_a, admin_a, pesantren_b):
    CertificateFactory(organisation=pesantren_b, number=NUMBER)
    with pytest.raises(DomainError):
        claims.claim_submit(actor=admin_a, product=product_a, number=NUMBER)


# --- staff verify or reject -----------------------------------------------------------------------


def test_staff_verify_a_number_and_shoppers_see_halal_everywhere(
    client, claim_a, product_a, admin_a, jombang_staff, django_capture_on_commit_callbacks
):
    client.force_login(jombang_staff)
    with translation.override("en"):
        queue = client.get(reverse("halal:claim_queue")).content.decode()
        detail = client.get(reverse("halal:claim_detail", args=[claim_a.pk])).content.decode()
    assert NUMBER in queue and product_a.name in queue
    assert product_a.store.name in detail and reverse("halal:claim_evidence", args=[claim_a.pk]) in detail
    assert client.get(reverse("halal:claim_evidence", args=[claim_a.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("halal:claim_decide", args=[claim_a.pk, "verifikasi"]),
            {"issued_on": "2024-05-02", "valid_while_unchanged": "on"},
        )
    assert response.status_code == 302
    claim_a.refresh_from_db()
    cert = claim_a.certificate
    assert claim_a.status == ClaimStatus.VERIFIED and claim_a.decided_by == jombang_staff
    assert (cert.number, cert.issuer, cert.issued_on, cert.expires_on) == (NUMBER, "BPJPH", date(2024, 5, 2), None)
    assert list(cert.products.all()) == [product_a]
    product_a.refresh_from_db()
    assert shopper_sees_halal(client, product_a) == {"chip": True, "filter": True, "page": True, "json_ld": True}
    assert admin_a.email in mail.outbox[-1].to and NUMBER in mail.outbox[-1].subject


def test_verification_needs_dates_and_refuses_an_expired_certificate(claim_a, jombang_staff, product_a):
    today = timezone.localdate()
    with pytest.raises(DomainError):
        claims.claim_verify(actor=jombang_staff, claim=claim_a, issued_on=None)
    with pytest.raises(DomainError):  # neither valid-until nor "valid while nothing changes"
        claims.claim_verify(actor=jombang_staff, claim=claim_a, issued_on=date(2022, 1, 1))
    with pytest.raises(DomainError):
        claims.claim_verify(
            actor=jombang_staff, claim=claim_a, issued_on=date(2022, 1, 1), expires_on=today - timedelta(days=1)
        )
    with pytest.raises(DomainError):
        claims.claim_verify(actor=jombang_staff, claim=claim_a, issued_on=today + timedelta(days=1), expires_on=None)
    claim_a.refresh_from_db()
    assert claim_a.status == ClaimStatus.PENDING and not Certificate.objects.exists()
    product_a.refresh_from_db()
    assert not product_a.is_halal


def test_a_verified_certificate_that_expires_stops_showing(client, claim_a, jombang_staff, product_a):
    today = timezone.localdate()
    claims.claim_verify(
        actor=jombang_staff, claim=claim_a, issued_on=date(2022, 1, 1), expires_on=today + timedelta(days=3)
    )
    product_a.refresh_from_db()
    assert product_a.is_halal
    expired_badges_clear(today=today + timedelta(days=4))
    product_a.refresh_from_db()
    assert shopper_sees_halal(client, product_a) == {"chip": False, "filter": False, "page": False, "json_ld": False}


def test_staff_reject_with_a_reason_the_seller_sees(
    client, claim_a, product_a, admin_a, jombang_staff, django_capture_on_commit_callbacks
):
    client.force_login(jombang_staff)
    url = reverse("halal:claim_decide", args=[claim_a.pk, "tolak"])
    client.post(url, {"reason": ""})
    claim_a.refresh_from_db()
    assert claim_a.status == ClaimStatus.PENDING  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Nomor tidak ditemukan di SIHALAL."})
    claim_a.refresh_from_db()
    assert claim_a.status == ClaimStatus.REJECTED and claim_a.reason == "Nomor tidak ditemukan di SIHALAL."
    assert "Nomor tidak ditemukan di SIHALAL." in mail.outbox[-1].body and admin_a.email in mail.outbox[-1].to
    with pytest.raises(DomainError):  # decided once
        claims.claim_verify(actor=jombang_staff, claim=claim_a, issued_on=date(2024, 1, 1), valid_while_unchanged=True)
    client.force_login(admin_a)
    with translation.override("en"):
        editor = client.get(reverse("marketplace:seller_product_edit", args=[product_a.pk])).content.decode()
        dashboard = client.get(reverse("marketplace:seller_dashboard")).content.decode()
    assert "not verified" in editor and "Nomor tidak ditemukan di SIHALAL." in editor
    assert "Nomor tidak ditemukan di SIHALAL." in dashboard
    product_a.refresh_from_db()
    assert not product_a.is_halal


# --- who may see and decide -----------------------------------------------------------------------


def test_only_staff_of_the_region_see_and_decide_claims(
    client, claim_a, shopper, admin_a, admin_b, jombang_staff, pasuruan_staff, product_b
):
    detail = reverse("halal:claim_detail", args=[claim_a.pk])
    decide = reverse("halal:claim_decide", args=[claim_a.pk, "verifikasi"])
    evidence = reverse("halal:claim_evidence", args=[claim_a.pk])
    data = {"issued_on": "2024-05-02", "valid_while_unchanged": "on"}
    for user in (shopper, admin_a, admin_b):
        client.force_login(user)
        assert client.get(reverse("halal:claim_queue")).status_code == 403
        assert client.get(detail).status_code == 404
        assert client.post(decide, data).status_code == 404
    assert client.get(evidence).status_code == 404  # admin_b: another store
    client.force_login(admin_a)
    assert client.get(evidence).status_code == 200  # the seller's own scan
    client.force_login(pasuruan_staff)  # another region
    assert NUMBER not in client.get(reverse("halal:claim_queue")).content.decode()
    assert client.get(detail).status_code == 404
    assert client.post(decide, data).status_code == 404
    assert client.get(evidence).status_code == 404
    with pytest.raises(DomainError):
        claims.claim_verify(actor=pasuruan_staff, claim=claim_a, issued_on=date(2024, 1, 1), valid_while_unchanged=True)
    claim_a.refresh_from_db()
    assert claim_a.status == ClaimStatus.PENDING
    client.force_login(jombang_staff)
    assert client.get(detail).status_code == 200
    assert client.get(reverse("halal:claim_detail", args=[claim_a.pk + 999])).status_code == 404


def test_a_seller_cannot_claim_for_another_store(product_b, admin_a):
    with pytest.raises(DomainError):
        claims.claim_submit(actor=admin_a, product=product_b, number=NUMBER)


# --- certificate needs renewal --------------------------------------------------------------------


def test_a_composition_change_on_a_verified_product_needs_renewal_everywhere(
    client, claim_a, product_a, admin_a, jombang_staff
):
    claims.claim_verify(actor=jombang_staff, claim=claim_a, issued_on=date(2024, 5, 2), valid_while_unchanged=True)
    client.force_login(admin_a)
    edit = reverse("marketplace:seller_product_edit", args=[product_a.pk])
    client.post(
        edit,
        seller_form(product_a, halal_certificate_number=NUMBER, halal_changed="on", halal_change_note="Ganti minyak"),
    )
    case = HalalCase.objects.get(products=product_a)
    assert case.status == CaseStatus.NEEDS_RENEWAL and case.reason == "Ganti minyak"
    product_a.refresh_from_db()
    assert not product_a.is_halal and Certificate.objects.get(number=NUMBER).revoked
    with translation.override("en"):
        editor = client.get(edit).content.decode()
        case_page = client.get(case.get_absolute_url()).content.decode()
        dashboard = client.get(reverse("marketplace:seller_dashboard")).content.decode()
        listing = client.get(reverse("marketplace:seller_product_list")).content.decode()
    for html in (editor, case_page, dashboard):
        assert "Certificate needs renewal" in html
    assert "Halal certificate needs renewal" in listing
    assert case.get_absolute_url() in editor and case.get_absolute_url() in dashboard
    assert "Start the renewal" in case_page
    assert shopper_sees_halal(client, product_a) == {"chip": False, "filter": False, "page": False, "json_ld": False}
    # the renewal goes through the case workflow: back to a draft the seller completes and submits
    services.case_transition(actor=admin_a, case=case, action="renew")
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and services.may_edit(user=admin_a, case=case)


def test_a_renewed_case_records_its_new_certificate_with_the_same_number(
    product_a, pesantren_a, admin_a, jombang_staff
):
    case = HalalCase.objects.create(organisation=pesantren_a, created_by=admin_a, status=CaseStatus.FATWA)
    case.products.set([product_a])
    services.case_transition(
        actor=jombang_staff, case=case, action="issue", certificate={"number": NUMBER, "issued_on": date(2024, 1, 2)}
    )
    services.product_composition_changed(actor=admin_a, product=product_a, note="Ganti pemasok gula")
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_RENEWAL
    assert services.may_transition(user=admin_a, case=case, name="renew") and not services.may_transition(
        user=jombang_staff, case=case, name="renew"
    )
    HalalCase.objects.filter(pk=case.pk).update(status=CaseStatus.FATWA)  # renewal submitted and audited
    services.case_transition(
        actor=jombang_staff, case=case, action="issue", certificate={"number": NUMBER, "issued_on": date(2024, 6, 1)}
    )
    product_a.refresh_from_db()
    cert = Certificate.objects.get(number=NUMBER)
    assert product_a.is_halal and not cert.revoked and cert.issued_on == date(2024, 6, 1) and cert.case == case


# --- the catalogue list costs the same --------------------------------------------------------------


def test_the_halal_filter_and_chip_cost_no_extra_queries(client, pesantren_a, food, django_assert_max_num_queries):
    store = StoreFactory(organisation=pesantren_a)
    for n in range(30):
        product = ProductFactory(store=store, category=food, name=f"Keripik {n}")
        if n % 2:
            cert = CertificateFactory(organisation=pesantren_a, products=[product])
            services.product_halal_sync(product=product)
            assert cert.number == Product.objects.get(pk=product.pk).halal_certificate_number
    for params in ({}, {"halal": "on"}):
        with django_assert_max_num_queries(12):
            response = client.get(reverse("marketplace:search"), params)
        assert response.status_code == 200
    assert response.content.decode().count('class="badge badge-halal"') == 15
