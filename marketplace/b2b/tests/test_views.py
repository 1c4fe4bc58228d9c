"""The B2B pages: the whole trade walked through HTTP, scoping (a foreign id answers 404) and query budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.b2b import services
from marketplace.b2b.models import RFQ, Delivery, Invoice, PurchaseOrder, Quotation, SupplyOffer
from marketplace.b2b.tests.conftest import close, offer, post_rfq, proof, quote
from opop.models import KabupatenKota

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_directory_search_and_filters(client, offers, rice, salt, alumni_supplier, alumni_user):
    offer(alumni_supplier, alumni_user, salt, product_name="Garam Krosok", regions=("35.07",))
    url = reverse("b2b:directory")
    assert client.get(url).status_code == 200
    names = lambda response: [o.product_name for o in response.context["page"].object_list]  # noqa: E731
    assert sorted(names(client.get(url))) == ["Beras Medium", "Beras Medium", "Garam Krosok"]
    assert names(client.get(url, {"q": "garam"})) == ["Garam Krosok"]
    assert names(client.get(url, {"q": "alumni"})) == ["Beras Medium", "Garam Krosok"]
    assert sorted(names(client.get(url, {"category": "pertanian"}))) == ["Beras Medium", "Beras Medium"]
    assert names(client.get(url, {"region": "35.07"})) == ["Garam Krosok"]


def test_supplier_profile_shows_legality_and_record(client, po, alumni_supplier, alumni_user):
    services.supplier_profile_save(actor=alumni_user, organisation=alumni_supplier, nib="9120300012345")
    response = client.get(reverse("b2b:supplier_detail", args=[alumni_supplier.slug]))
    assert response.status_code == 200
    assert response.context["legality"]["nib"] == "9120300012345"
    assert not response.context["legality"]["nib_verified"]
    assert response.context["record"].trades == 0
    assert client.get(reverse("b2b:supplier_detail", args=["no-such"])).status_code == 404


def test_directory_query_budget(client, django_assert_max_num_queries, alumni_supplier, alumni_user, rice):
    offer(alumni_supplier, alumni_user, rice)
    with django_assert_max_num_queries(8) as one:
        client.get(reverse("b2b:directory"))
    for n in range(30):
        offer(alumni_supplier, alumni_user, rice, product_name=f"Beras {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("b2b:directory"))


def test_the_whole_trade_through_the_pages(
    client, buyer, buyer_user, rice, offers, alumni_supplier, alumni_user, pesantren_supplier_user
):
    # The buyer posts an RFQ for 500 kg of rice.
    _login(client, buyer_user)
    closes = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("b2b:rfq_create"),
        {
            "title": "Beras 500 kg",
            "alamat_provinsi": "35",
            "alamat_kabupaten": "35.28",
            "alamat_kecamatan": "35.28.01",
            "alamat_desa": "35.28.01.2001",
            "alamat_jalan": "Dapur pondok",
            "alamat_kodepos": "69371",
            "delivery_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "payment_terms": "transfer",
            "payment_days": "14",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "audience": "open",
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "20",
            "items-0-name": "Beras medium",
            "items-0-category": str(rice.pk),
            "items-0-quantity": "500",
            "items-0-unit": "kg",
        },
    )
    rfq = RFQ.objects.get()
    assert response.status_code == 302 and response.url == rfq.get_absolute_url()
    # The delivery address came through the address widget, with its Kemendagri codes.
    assert (rfq.delivery_region_id, rfq.delivery_kecamatan_code, rfq.delivery_kecamatan) == (
        "35.28",
        "35.28.01",
        "Tlanakan",
    )
    assert (rfq.delivery_desa_code, rfq.delivery_desa, rfq.delivery_postal_code) == ("35.28.01.2001", "Dabuan", "69371")
    item = rfq.items.get()
    # Both suppliers quote.
    for user, price in ((alumni_user, 12000), (pesantren_supplier_user, 11800)):
        _login(client, user)
        assert client.get(reverse("b2b:inbox")).context["page"].object_list[0].pk == rfq.pk
        response = client.post(
            reverse("b2b:quote", args=[rfq.pk]),
            {
                f"price_{item.pk}": str(price),
                f"qty_{item.pk}": "500",
                "delivery_date": (timezone.localdate() + timedelta(days=8)).isoformat(),
                "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
                "payment_terms": "transfer",
                "payment_days": "14",
            },
        )
        assert response.status_code == 302
    assert Quotation.objects.count() == 2
    # Sealed before closing: the buyer sees no comparison and cannot open the award page.
    _login(client, buyer_user)
    assert "comparison" not in client.get(rfq.get_absolute_url()).context
    assert client.get(reverse("b2b:rfq_award", args=[rfq.pk])).status_code == 404
    close(rfq)
    comparison = client.get(rfq.get_absolute_url()).context["comparison"]
    assert [q.total for q in comparison["quotations"]] == [11800 * 500, 12000 * 500]
    alumni_quote = Quotation.objects.get(supplier=alumni_supplier)
    response = client.post(reverse("b2b:rfq_award", args=[rfq.pk]), {f"item_{item.pk}": str(alumni_quote.pk)})
    po = PurchaseOrder.objects.get()
    assert (po.delivery_kecamatan_code, po.delivery_desa_code, po.delivery_postal_code) == (
        "35.28.01",
        "35.28.01.2001",
        "69371",
    )
    assert response.status_code == 302 and response.url == po.get_absolute_url()
    # The supplier confirms, delivers two lots; the buyer receives them.
    _login(client, alumni_user)
    assert client.post(reverse("b2b:po_confirm", args=[po.pk])).status_code == 302
    line = po.lines.get()
    for n, qty in ((1, 300), (2, 200)):
        client.post(
            reverse("b2b:delivery_create", args=[po.pk]),
            {"delivery_note": f"SJ-00{n}", "shipped_on": timezone.localdate().isoformat(), f"qty_{line.pk}": qty},
        )
        delivery = Delivery.objects.get(number=n)
        _login(client, buyer_user)
        dl = delivery.lines.get()
        client.post(
            reverse("b2b:delivery_receive", args=[delivery.pk]),
            {f"accepted_{dl.pk}": qty, f"rejected_{dl.pk}": 0, f"reason_{dl.pk}": ""},
        )
        _login(client, alumni_user)
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.DELIVERED
    client.post(reverse("b2b:invoice_create", args=[po.pk]), {f"qty_{line.pk}": 500})
    invoice = Invoice.objects.get()
    assert invoice.total == 12000 * 500
    assert client.get(reverse("b2b:po_pdf", args=[po.pk]))["Content-Type"] == "application/pdf"
    assert client.get(reverse("b2b:invoice_pdf", args=[invoice.pk])).content.startswith(b"%PDF")
    # The buyer pays with a proof, then both sides rate.
    _login(client, buyer_user)
    client.post(reverse("b2b:invoice_pay", args=[invoice.pk]), {"reference": "TRF-1", "proof": proof()})
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert client.get(reverse("b2b:invoice_proof", args=[invoice.pk])).status_code == 200
    client.post(reverse("b2b:rate", args=[po.pk]), {"stars": "5", "comment": "Pulen"})
    _login(client, alumni_user)
    client.post(reverse("b2b:rate", args=[po.pk]), {"stars": "4"})
    assert po.ratings.count() == 2
    page = client.get(reverse("b2b:supplier_detail", args=[alumni_supplier.slug]))
    assert (page.context["record"].trades, page.context["record"].rating_average) == (1, 5.0)
    for name in ("home", "po_list", "invoice_list", "inbox", "offer_list"):
        assert client.get(reverse(f"b2b:{name}")).status_code == 200
    assert client.get(po.get_absolute_url()).status_code == 200
    assert client.get(invoice.get_absolute_url()).status_code == 200


@pytest.fixture
def trade(po, buyer_user, alumni_user):
    """A PO with a lot sent and one received-and-invoiced lot; a pending revision."""
    line = po.lines.get()
    lot = services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: 100}, delivery_note="SJ-1", shipped_on=timezone.localdate()
    )
    services.delivery_receive(actor=buyer_user, delivery=lot, results={lot.lines.get().pk: (100, 0, "")})
    invoice = services.invoice_issue(actor=alumni_user, po=po)
    pending = services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: 50}, delivery_note="SJ-2", shipped_on=timezone.localdate()
    )
    revision = services.po_revision_propose(
        actor=alumni_user, po=po, side=po.supplier, changes={line.pk: (520, 12000)},
        delivery_date=po.delivery_date, reason="Tambah",
    )  # fmt: skip
    return {"po": po, "invoice": invoice, "lot": pending, "revision": revision, "offer": SupplyOffer.objects.first()}


def test_a_foreign_organisation_gets_404_everywhere(client, trade, stranger, pesantren_supplier_user):
    po, rfq = trade["po"], trade["po"].rfq
    urls = [
        ("get", reverse("b2b:rfq_detail", args=[rfq.pk])),
        ("get", reverse("b2b:rfq_award", args=[rfq.pk])),
        ("post", reverse("b2b:rfq_cancel", args=[rfq.pk])),
        ("get", reverse("b2b:quote", args=[rfq.pk])),
        ("post", reverse("b2b:quote_withdraw", args=[rfq.pk])),
        ("get", reverse("b2b:po_detail", args=[po.pk])),
        ("post", reverse("b2b:po_confirm", args=[po.pk])),
        ("post", reverse("b2b:po_decline", args=[po.pk])),
        ("get", reverse("b2b:po_pdf", args=[po.pk])),
        ("get", reverse("b2b:po_revise", args=[po.pk])),
        ("post", reverse("b2b:revision_decide", args=[trade["revision"].pk, "accept"])),
        ("get", reverse("b2b:delivery_create", args=[po.pk])),
        ("get", reverse("b2b:delivery_receive", args=[trade["lot"].pk])),
        ("get", reverse("b2b:invoice_create", args=[po.pk])),
        ("get", reverse("b2b:rate", args=[po.pk])),
        ("get", reverse("b2b:invoice_detail", args=[trade["invoice"].pk])),
        ("post", reverse("b2b:invoice_pay", args=[trade["invoice"].pk])),
        ("get", reverse("b2b:invoice_pdf", args=[trade["invoice"].pk])),
        ("get", reverse("b2b:invoice_proof", args=[trade["invoice"].pk])),
        ("get", reverse("b2b:offer_edit", args=[trade["offer"].pk])),
        ("get", reverse("b2b:choose", args=[po.buyer_id])),
    ]
    _login(client, stranger)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    # The losing supplier may still read the RFQ it quoted on, but not the winner's PO or invoice.
    _login(client, pesantren_supplier_user)
    assert client.get(reverse("b2b:rfq_detail", args=[rfq.pk])).status_code == 200
    for method, url in urls[5:10] + urls[15:19]:
        assert getattr(client, method)(url).status_code == 404, url


def test_wrong_side_gets_404_for_side_pages(client, trade, buyer_user, alumni_user):
    po = trade["po"]
    _login(client, buyer_user)
    assert client.get(reverse("b2b:delivery_create", args=[po.pk])).status_code == 404
    assert client.get(reverse("b2b:invoice_create", args=[po.pk])).status_code == 404
    _login(client, alumni_user)
    assert client.get(reverse("b2b:delivery_receive", args=[trade["lot"].pk])).status_code == 404
    assert client.post(reverse("b2b:invoice_pay", args=[trade["invoice"].pk])).status_code == 404
    assert client.get(reverse("b2b:rfq_list")).status_code == 404  # an alumni business does not post RFQs


def test_anonymous_users_are_sent_to_log_in(client, trade):
    response = client.get(reverse("b2b:po_detail", args=[trade["po"].pk]))
    assert response.status_code == 302 and "login" in response.url


def test_a_person_with_no_trading_organisation_is_told_why(client, shopper):
    _login(client, shopper)
    response = client.get(reverse("b2b:home"))
    assert response.status_code == 200 and "org" not in response.context
    assert client.get(reverse("b2b:po_list")).status_code == 404


def test_switching_the_acting_organisation(client, buyer, alumni_supplier, alumni_user, po):
    from opop.tests.factories import MembershipFactory

    MembershipFactory(organisation=buyer, user=alumni_user, role="staff")
    _login(client, alumni_user)
    first = client.get(reverse("b2b:home")).context["org"]
    other = buyer if first.pk == alumni_supplier.pk else alumni_supplier
    client.get(reverse("b2b:choose", args=[other.pk]))
    assert client.get(reverse("b2b:home")).context["org"].pk == other.pk


def _many_trades(buyer, buyer_user, rice, alumni_supplier, alumni_user, n):
    for _ in range(n):
        rfq = post_rfq(buyer, buyer_user, rice)
        q = quote(rfq, alumni_supplier, alumni_user, 12000)
        close(rfq)
        (order,) = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={rfq.items.get().pk: q.pk})
        services.po_confirm(actor=alumni_user, po=order)
        line = order.lines.get()
        lot = services.delivery_record(
            actor=alumni_user, po=order, quantities={line.pk: 10}, delivery_note="SJ", shipped_on=timezone.localdate()
        )
        services.delivery_receive(actor=buyer_user, delivery=lot, results={lot.lines.get().pk: (10, 0, "")})
        services.invoice_issue(actor=alumni_user, po=order)


@pytest.mark.parametrize("name", ["rfq_list", "po_list", "invoice_list", "home", "inbox"])
def test_list_query_budgets(client, django_assert_max_num_queries, name, buyer, buyer_user, rice, offers,
                            alumni_supplier, alumni_user):  # fmt: skip
    user = alumni_user if name == "inbox" else buyer_user
    _many_trades(buyer, buyer_user, rice, alumni_supplier, alumni_user, 1)
    _login(client, user)
    client.get(reverse(f"b2b:{name}"))  # warm the session and caches
    with django_assert_max_num_queries(20) as one:
        assert client.get(reverse(f"b2b:{name}")).status_code == 200
    _many_trades(buyer, buyer_user, rice, alumni_supplier, alumni_user, 6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse(f"b2b:{name}"))


def test_rfq_and_po_pages_query_budget(client, django_assert_max_num_queries, trade, buyer_user):
    _login(client, buyer_user)
    po = trade["po"]
    client.get(po.get_absolute_url())
    with django_assert_max_num_queries(30):
        assert client.get(po.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(po.rfq.get_absolute_url()).status_code == 200


def test_invited_suppliers_can_be_chosen_on_the_form(client, buyer_user, offers, alumni_supplier):
    _login(client, buyer_user)
    form = client.get(reverse("b2b:rfq_create")).context["form"]
    assert alumni_supplier in form.fields["invited"].queryset
    assert form.initial["alamat_kabupaten"] == KabupatenKota.objects.get(kode="35.28").pk


def test_rfq_form_round_trip_keeps_the_items_and_offers_the_next_level(client, buyer_user, rice):
    _login(client, buyer_user)
    response = client.post(
        reverse("b2b:rfq_create"),
        {
            "title": "Beras 500 kg",
            "alamat_provinsi": "35",
            "alamat_kabupaten": "35.17",
            "alamat_jalan": "Dapur pondok",
            "wilayah_pilih": "kabupaten",
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "20",
            "items-0-name": "Beras medium",
            "items-0-category": str(rice.pk),
            "items-0-quantity": "500",
            "items-0-unit": "kg",
        },
    )
    assert response.status_code == 200 and not RFQ.objects.exists()
    body = response.content.decode()
    assert 'value="Beras medium"' in body and 'value="Dapur pondok"' in body and "errorlist" not in body
    assert '<option value="35.17.10">Peterongan</option>' in body
