from datetime import date

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from marketplace.halal.models import CaseAttachment, CaseStatus, FlagshipProposal, HalalCase
from marketplace.halal.reminders import expired_badges_clear
from marketplace.halal.selectors import FOOD_DEADLINE
from marketplace.halal.services import product_halal_sync
from marketplace.halal.tests.factories import CaseFactory, CertificateFactory, pdf_upload
from marketplace.tests.factories import ProductFactory, StoreFactory
from opop.models import AuditEvent, DirtyFigureKey
from opop.tests.exports import NON_ASCII, assert_csv_export


def streamed(response):
    """A streamed download read to its end, as the plain response the export checks take."""
    assert response.streaming, "the queue CSV streams"
    read = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
    read["Content-Type"] = response["Content-Type"]
    return read


@pytest.fixture
def case_a(pesantren_a, admin_a, product_a):
    return CaseFactory(organisation=pesantren_a, products=[product_a], created_by=admin_a)


@pytest.fixture
def case_b(pesantren_b, admin_b, product_b):
    return CaseFactory(organisation=pesantren_b, products=[product_b], created_by=admin_b)


def test_anonymous_visitors_are_sent_to_log_in(client, case_a):
    for url in (reverse("halal:case_list"), case_a.get_absolute_url(), reverse("halal:product_queue")):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("who", ["admin_b", "jombang_staff_on_b", "shopper", "other_companion"])
def test_a_foreign_case_answers_404_on_every_page(request, client, who, case_a, case_b, companion, shopper):
    if who == "jombang_staff_on_b":
        user, case = request.getfixturevalue("jombang_staff"), case_b
    elif who == "other_companion":
        user, case = shopper, case_a
        case_a.assignee = companion
        case_a.save()
    else:
        user, case = request.getfixturevalue(who), case_a
    attachment = CaseAttachment.objects.create(
        case=case, kind="nib", file=pdf_upload(), original_name="nib.pdf", uploaded_by=case.created_by
    )
    client.force_login(user)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("halal:case_edit", args=[case.pk])).status_code == 404
    assert client.post(reverse("halal:case_step", args=[case.pk, "submit"])).status_code == 404
    assert client.post(reverse("halal:case_attach", args=[case.pk])).status_code == 404
    assert client.get(reverse("halal:attachment_download", args=[attachment.pk])).status_code == 404
    assert case not in client.get(reverse("halal:case_list")).context["page"].object_list


def test_each_role_sees_its_own_cases(client, case_a, case_b, admin_a, jombang_staff, province_staff, companion):
    case_b.assignee = companion
    case_b.save()
    for user, expected in [
        (admin_a, [case_a]),
        (jombang_staff, [case_a]),
        (province_staff, [case_b, case_a]),
        (companion, [case_b]),
    ]:
        client.force_login(user)
        assert list(client.get(reverse("halal:case_list")).context["page"].object_list) == expected


def test_the_business_creates_a_case_attaches_documents_and_submits(
    client, pesantren_a, admin_a, product_a, jombang_staff, django_capture_on_commit_callbacks
):
    client.force_login(admin_a)
    response = client.post(
        reverse("halal:case_create"),
        {
            "organisation": pesantren_a.pk,
            "scheme": "self_declare",
            "products": [product_a.pk],
            "annual_turnover": 150_000_000,
            "production_sites": 1,
            "sells_goods": "on",
        },
    )
    case = HalalCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    for kind in ("ingredients", "process_flow"):
        client.post(reverse("halal:case_attach", args=[case.pk]), {"kind": kind, "file": pdf_upload(f"{kind}.pdf")})
    page = client.get(case.get_absolute_url())
    assert [name for name, _label, _form in page.context["steps"]] == ["submit"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("halal:case_step", args=[case.pk, "submit"]), {"submit-note": "Mohon diproses"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.attachments.count() == 2


def test_a_shopper_cannot_open_the_case_form(client, shopper):
    client.force_login(shopper)
    assert client.get(reverse("halal:case_create")).status_code == 403


def test_staff_assign_by_email_and_the_companion_records_verification(
    client, case_a, jombang_staff, companion, documents
):
    case_a.status = CaseStatus.SUBMITTED
    case_a.save()
    client.force_login(jombang_staff)
    response = client.post(
        reverse("halal:case_step", args=[case_a.pk, "assign"]),
        {"assign-assignee": companion.email, "assign-inspection_body": "LP3H UINSA"},
    )
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.ASSIGNED and case_a.assignee == companion
    client.force_login(companion)
    assert client.get(case_a.get_absolute_url()).status_code == 200
    assert client.post(reverse("halal:case_step", args=[case_a.pk, "reject"]), {"reject-note": "x"}).status_code == 403
    client.post(
        reverse("halal:case_step", args=[case_a.pk, "start_verification"]),
        {"start_verification-attachment_kind": "report", "start_verification-attachment": pdf_upload("bap.pdf")},
    )
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.VERIFICATION
    assert case_a.events.get(action="start_verification").attachments.get().original_name == "bap.pdf"


def test_the_business_cannot_take_staff_steps(client, case_a, admin_a):
    case_a.status = CaseStatus.SUBMITTED
    case_a.save()
    client.force_login(admin_a)
    for action in ("assign", "reject", "return", "issue"):
        assert client.post(reverse("halal:case_step", args=[case_a.pk, action])).status_code == 403
    assert client.post(reverse("halal:case_step", args=[case_a.pk, "nonsense"])).status_code == 404


def test_the_case_list_costs_the_same_queries_for_many_rows(
    client, pesantren_a, product_a, province_staff, companion, django_assert_max_num_queries
):
    for _ in range(30):
        CaseFactory(organisation=pesantren_a, products=[product_a], assignee=companion)
    client.force_login(province_staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("halal:case_list"))
    assert response.context["page"].paginator.count == 30
    assert [row["open"] for row in response.context["workload"]] == [0]


# --- staff queue ----------------------------------------------------------------------------------


def test_the_product_queue_is_for_staff_and_scoped_by_region(client, product_a, product_b, admin_a, jombang_staff):
    client.force_login(admin_a)
    assert client.get(reverse("halal:product_queue")).status_code == 403
    assert client.get(reverse("halal:product_queue_csv")).status_code == 403
    client.force_login(jombang_staff)
    rows = client.get(reverse("halal:product_queue")).context["rows"]
    assert [row[0] for row in rows] == [product_a]
    days_late = (timezone.localdate() - FOOD_DEADLINE).days
    assert rows[0][1] == "critical" and str(days_late) in rows[0][2]


def test_queue_filters_by_status_scheme_and_region_and_exports_csv(
    client, pesantren_a, product_a, product_b, province_staff, food
):
    certified = ProductFactory(store=product_a.store, category=food, name="Sambal Bawang")
    CertificateFactory(organisation=pesantren_a, products=[certified])
    CaseFactory(organisation=pesantren_a, products=[product_a], scheme="reguler", status=CaseStatus.FATWA)
    client.force_login(province_staff)
    url = reverse("halal:product_queue")

    def names(query):
        return {row[0].name for row in client.get(url, query).context["rows"]}

    assert names({}) == {"Keripik Tempe", "Kurma Sidogiri", "Sambal Bawang"}
    assert names({"status": "certified"}) == {"Sambal Bawang"}
    assert names({"status": "none"}) == {"Kurma Sidogiri"}
    assert names({"status": "fatwa", "scheme": "reguler"}) == {"Keripik Tempe"}
    assert names({"kabupaten_kota": "35.14"}) == {"Kurma Sidogiri"}
    figures = client.get(url).context["figures"]
    assert figures == {"total": 3, "certified": 1, "in_process": 1, "not_started": 1}
    response = streamed(client.get(reverse("halal:product_queue_csv"), {"kabupaten_kota": "35.17"}))
    lines = response.content.decode().strip().splitlines()
    assert response["Content-Type"].startswith("text/csv") and len(lines) == 3
    assert any("Keripik Tempe" in line and "reguler" in line for line in lines)


def test_the_queue_costs_the_same_queries_for_many_products(
    client, pesantren_a, food, province_staff, django_assert_max_num_queries
):
    store = StoreFactory(organisation=pesantren_a)
    for _ in range(40):
        ProductFactory(store=store, category=food)
    client.force_login(province_staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("halal:product_queue"))
    assert len(response.context["rows"]) == 40


# --- certificates: public verification and the product badge ------------------------------------------


def test_the_public_verification_page(client, pesantren_a, product_a):
    cert = CertificateFactory(organisation=pesantren_a, products=[product_a], number="ID35170000555550922")
    response = client.get(reverse("halal:certificate_verify", args=[cert.number]))
    assert response.status_code == 200 and response.context["certificate"] == cert
    assert "Keripik Tempe" in response.content.decode()
    assert client.get(reverse("halal:certificate_verify", args=["ID0000000000"])).status_code == 404
    search = client.get(reverse("halal:certificate_search"), {"number": " id35170000555550922 "})
    assert search["Location"] == reverse("halal:certificate_verify", args=["ID35170000555550922"])


def test_the_product_page_shows_the_badge_only_while_a_certificate_is_valid(client, pesantren_a, product_a):
    url = product_a.get_absolute_url()
    assert "ID35170000777770922" not in client.get(url).content.decode()
    cert = CertificateFactory(
        organisation=pesantren_a, products=[product_a], number="ID35170000777770922", expires_on=date(2027, 1, 1)
    )
    product_halal_sync(product=product_a)  # what every certificate write calls
    html = client.get(url).content.decode()
    assert "ID35170000777770922" in html and reverse("halal:certificate_verify", args=[cert.number]) in html
    cert.expires_on = date(2026, 11, 1)
    cert.save()
    expired_badges_clear()  # the hourly job takes the badge of a lapsed certificate away
    assert "ID35170000777770922" not in client.get(url).content.decode()


# --- flagship curation ----------------------------------------------------------------------------


def test_a_seller_proposes_and_regional_staff_approve_the_flagship(client, product_a, admin_a, jombang_staff):
    client.force_login(admin_a)
    client.post(reverse("halal:flagship_propose"), {"product": product_a.pk, "motivation": "Laris"})
    proposal = FlagshipProposal.objects.get()
    assert client.get(reverse("halal:flagship_decide", args=[proposal.pk])).status_code == 403
    client.force_login(jombang_staff)
    scores = dict.fromkeys(("score_legality", "score_halal", "score_packaging", "score_quality", "score_capacity"), 4)
    response = client.post(reverse("halal:flagship_decide", args=[proposal.pk]), {"decision": "approve", **scores})
    assert response.status_code == 200  # the price score is missing
    client.post(
        reverse("halal:flagship_decide", args=[proposal.pk]), {"decision": "approve", **scores, "score_price": 5}
    )
    proposal.refresh_from_db()
    product_a.refresh_from_db()
    assert proposal.status == "approved" and proposal.total_score == 25 and product_a.is_flagship
    assert AuditEvent.objects.filter(action="halal.product.flagship_set", target_id=str(product_a.pk)).exists()
    assert DirtyFigureKey.objects.filter(kabupaten_kota_id="35.17").exists()


def test_rejection_needs_a_reason_and_leaves_the_product_alone(client, product_a, admin_a, jombang_staff):
    proposal = FlagshipProposal.objects.create(product=product_a, proposed_by=admin_a)
    client.force_login(jombang_staff)
    url = reverse("halal:flagship_decide", args=[proposal.pk])
    assert client.post(url, {"decision": "reject"}).status_code == 200
    client.post(url, {"decision": "reject", "reason": "Kemasan belum berlabel"})
    proposal.refresh_from_db()
    product_a.refresh_from_db()
    assert proposal.status == "rejected" and not product_a.is_flagship


def test_flagship_pages_are_scoped(client, product_a, product_b, admin_a, admin_b, jombang_staff):
    proposal_b = FlagshipProposal.objects.create(product=product_b, proposed_by=admin_b)
    client.force_login(admin_a)
    assert client.post(reverse("halal:flagship_propose"), {"product": product_b.pk}).status_code == 404
    assert list(client.get(reverse("halal:flagship_list")).context["page"].object_list) == []
    client.force_login(jombang_staff)
    assert client.get(reverse("halal:flagship_decide", args=[proposal_b.pk])).status_code == 404


def test_the_navigation_shows_the_halal_entries_by_role(client, admin_a, province_staff, shopper):
    client.force_login(shopper)
    labels = {item.url for item in client.get(reverse("halal:certificate_search")).context["nav_items"]}
    assert reverse("halal:case_list") in labels and reverse("halal:product_queue") not in labels
    client.force_login(province_staff)
    labels = {item.url for item in client.get(reverse("halal:certificate_search")).context["nav_items"]}
    assert {reverse("halal:product_queue"), reverse("halal:flagship_list")} <= labels


@pytest.mark.parametrize("status", CaseStatus.values)
def test_every_case_page_renders_for_every_role_in_every_state(
    client, status, case_a, admin_a, jombang_staff, companion, superuser
):
    case_a.status, case_a.assignee = status, companion
    case_a.save()
    for user in (admin_a, jombang_staff, companion, superuser):
        client.force_login(user)
        assert client.get(case_a.get_absolute_url()).status_code == 200
        assert client.get(reverse("halal:case_list")).status_code == 200
        assert client.get(reverse("halal:flagship_list")).status_code == 200


def test_the_business_edits_its_draft_but_not_after_submission(client, case_a, admin_a, product_a):
    client.force_login(admin_a)
    url = reverse("halal:case_edit", args=[case_a.pk])
    data = {"scheme": "reguler", "products": [product_a.pk], "annual_turnover": 700_000_000, "production_sites": 2}
    assert client.post(url, data).status_code == 302
    case_a.refresh_from_db()
    assert (case_a.scheme, case_a.annual_turnover, case_a.production_sites) == ("reguler", 700_000_000, 2)
    case_a.status = CaseStatus.SUBMITTED
    case_a.save()
    assert client.get(url).status_code == 403


def test_the_halal_queue_csv_has_the_bom_a_non_ascii_name_and_one_audit_event(client, product_a, province_staff):
    type(product_a).objects.filter(pk=product_a.pk).update(name=f"Keripik {NON_ASCII}")
    client.force_login(province_staff)
    rows = assert_csv_export(
        streamed(client.get(reverse("halal:product_queue_csv"))),
        action="halal.product_queue.exported",
        actor=province_staff,
    )
    assert [row[0] for row in rows[1:]] == [f"Keripik {NON_ASCII}"]
