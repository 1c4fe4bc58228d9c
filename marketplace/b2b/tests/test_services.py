"""Every step of a B2B trade and who may take it."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.b2b import selectors, services
from marketplace.b2b.models import RFQ, Delivery, Event, Invoice, PORevision, PurchaseOrder, Quotation
from marketplace.b2b.tests.conftest import close, offer, post_rfq, proof, quote
from opop import organisations
from opop.models import DirtyFigureKey, Organisation
from opop.organisations import Standing
from opop.services import DomainError

pytestmark = pytest.mark.django_db


# --- supplier directory ---


def test_a_verified_supplier_lists_an_offer(alumni_supplier, alumni_user, rice):
    created = offer(alumni_supplier, alumni_user, rice, regions=("35.28", "35.17"))
    assert created.is_active
    assert sorted(created.delivery_areas.values_list("kode", flat=True)) == ["35.17", "35.28"]
    assert list(selectors.directory_offers()) == [created]


def test_an_unverified_supplier_cannot_list(monkeypatch, alumni_supplier, alumni_user, rice):
    monkeypatch.setitem(organisations._checks, "alumni_business", lambda org: Standing(False, "not recognised"))
    with pytest.raises(DomainError, match="not recognised"):
        offer(alumni_supplier, alumni_user, rice)


def test_only_members_list_offers_and_diskop_does_not_supply(alumni_supplier, stranger, rice, diskop, province_staff):
    with pytest.raises(DomainError):
        offer(alumni_supplier, stranger, rice)
    with pytest.raises(DomainError, match="Only pesantren"):
        offer(diskop, province_staff, rice)


def test_an_offer_needs_a_region_and_capacity_over_the_minimum(alumni_supplier, alumni_user, rice):
    with pytest.raises(DomainError):
        offer(alumni_supplier, alumni_user, rice, regions=())
    with pytest.raises(DomainError):
        offer(alumni_supplier, alumni_user, rice, min_quantity=500, capacity_per_month=100)


def test_profile_nib_is_checked(alumni_supplier, alumni_user):
    from django.core.exceptions import ValidationError

    assert services.supplier_profile_save(actor=alumni_user, organisation=alumni_supplier, nib="9120 3000 12345").nib
    with pytest.raises(ValidationError):
        services.supplier_profile_save(actor=alumni_user, organisation=alumni_supplier, nib="123")


# --- RFQ ---


def test_an_open_rfq_invites_matching_suppliers_and_mails_them(
    buyer, buyer_user, rice, offers, alumni_supplier, pesantren_supplier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rfq = post_rfq(buyer, buyer_user, rice)
    invited = set(rfq.invitations.values_list("supplier_id", flat=True))
    assert invited == {alumni_supplier.pk, pesantren_supplier.pk}
    assert any("alumni@beras.test" in message.to for message in mail.outbox)
    assert Event.objects.filter(rfq=rfq, subject="rfq", to_status="open").count() == 1


def test_suppliers_of_other_categories_or_regions_are_not_matched(
    buyer, buyer_user, rice, salt, alumni_supplier, alumni_user, pesantren_supplier, pesantren_supplier_user
):
    offer(alumni_supplier, alumni_user, salt)  # other category
    offer(pesantren_supplier, pesantren_supplier_user, rice, regions=("35.07",))  # other region
    rfq = post_rfq(buyer, buyer_user, rice)
    assert not rfq.invitations.exists()
    assert list(selectors.inbox(alumni_supplier)) == []
    assert list(selectors.inbox(pesantren_supplier)) == []


def test_an_invited_rfq_reaches_only_the_chosen(buyer, buyer_user, rice, offers, alumni_supplier, pesantren_supplier):
    rfq = post_rfq(buyer, buyer_user, rice, audience="invited", invited=[alumni_supplier])
    assert list(rfq.invitations.values_list("supplier_id", flat=True)) == [alumni_supplier.pk]
    assert [r.pk for r in selectors.inbox(alumni_supplier)] == [rfq.pk]
    assert list(selectors.inbox(pesantren_supplier)) == []
    with pytest.raises(DomainError, match="not open to your organisation"):
        quote(rfq, pesantren_supplier, pesantren_supplier.memberships.get().user, 11000)


def test_rfq_rules(buyer, buyer_user, rice, alumni_supplier, alumni_user, diskop, province_staff):
    with pytest.raises(DomainError):
        post_rfq(buyer, alumni_user, rice)  # not a member of the buyer
    with pytest.raises(DomainError, match="Only a pesantren"):
        post_rfq(alumni_supplier, alumni_user, rice)  # an alumni business does not post RFQs
    with pytest.raises(DomainError, match="future"):
        post_rfq(buyer, buyer_user, rice, closes_in=timedelta(minutes=-1))
    with pytest.raises(DomainError, match="how many days"):
        post_rfq(buyer, buyer_user, rice, payment_days=0)
    with pytest.raises(DomainError, match="at least one item"):
        post_rfq(buyer, buyer_user, rice, items=[])
    # Diskop buys for the programme too.
    assert post_rfq(diskop, province_staff, rice).status == RFQ.Status.OPEN


def test_cancel_only_by_the_buyer_while_open(rfq, buyer_user, alumni_user):
    with pytest.raises(DomainError):
        services.rfq_cancel(actor=alumni_user, rfq=rfq, reason="x")
    with pytest.raises(DomainError, match="why"):
        services.rfq_cancel(actor=buyer_user, rfq=rfq, reason=" ")
    services.rfq_cancel(actor=buyer_user, rfq=rfq, reason="Panen sendiri cukup")
    assert rfq.status == RFQ.Status.CANCELLED
    with pytest.raises(DomainError):
        services.rfq_cancel(actor=buyer_user, rfq=rfq, reason="again")


# --- quotations ---


def test_a_quote_is_revised_in_place_until_closing(rfq, alumni_supplier, alumni_user):
    first = quote(rfq, alumni_supplier, alumni_user, 12500)
    assert (first.revision, first.total) == (1, 12500 * 500)
    revised = quote(rfq, alumni_supplier, alumni_user, 12000, quantity=400)
    assert revised.pk == first.pk
    assert (revised.revision, revised.total, revised.lines.get().quantity) == (2, 12000 * 400, 400)
    assert revised.revised_at is not None
    assert "6.250.000" in Event.objects.filter(subject="quotation").last().note
    close(rfq)
    with pytest.raises(DomainError, match="closed"):
        quote(rfq, alumni_supplier, alumni_user, 11000)


def test_no_quote_after_closing(rfq, pesantren_supplier, pesantren_supplier_user):
    close(rfq)
    with pytest.raises(DomainError, match="closed"):
        quote(rfq, pesantren_supplier, pesantren_supplier_user, 11000)
    assert not Quotation.objects.exists()


def test_quote_rules(rfq, buyer, buyer_user, alumni_supplier, alumni_user, stranger):
    with pytest.raises(DomainError):
        quote(rfq, alumni_supplier, stranger, 12000)  # not a member of the supplier
    with pytest.raises(DomainError):
        quote(rfq, buyer, buyer_user, 12000)  # the buyer does not quote on its own request
    with pytest.raises(DomainError, match="more than"):
        quote(rfq, alumni_supplier, alumni_user, 12000, quantity=501)
    with pytest.raises(DomainError, match="valid"):
        quote(rfq, alumni_supplier, alumni_user, 12000, valid_until=timezone.localdate())


def test_withdraw_before_closing_only(rfq, alumni_supplier, alumni_user, pesantren_supplier_user):
    quotation = quote(rfq, alumni_supplier, alumni_user, 12000)
    with pytest.raises(DomainError):
        services.quotation_withdraw(actor=pesantren_supplier_user, quotation=quotation)
    services.quotation_withdraw(actor=alumni_user, quotation=quotation)
    quotation.refresh_from_db()
    assert quotation.status == Quotation.Status.WITHDRAWN


# --- award and PO ---


def test_award_waits_for_closing(rfq, quotes, buyer_user):
    item = rfq.items.get()
    with pytest.raises(DomainError, match="sealed"):
        services.rfq_award(actor=buyer_user, rfq=rfq, allocation={item.pk: quotes[0].pk})


def test_award_one_quote_makes_one_po_and_marks_the_others(rfq, quotes, buyer_user, alumni_user):
    close(rfq)
    item = rfq.items.get()
    with pytest.raises(DomainError):
        services.rfq_award(actor=alumni_user, rfq=rfq, allocation={item.pk: quotes[0].pk})
    (order,) = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={item.pk: quotes[0].pk})
    assert order.number.startswith("PO-B2B-") and len(order.number) == len("PO-B2B-YYMMDD-XXXXXX")
    assert (order.status, order.total, order.supplier_id) == ("issued", 12000 * 500, quotes[0].supplier_id)
    assert rfq.status == RFQ.Status.AWARDED
    assert [q.status for q in Quotation.objects.order_by("pk")] == ["awarded", "not_awarded"]
    with pytest.raises(DomainError, match="already"):
        services.rfq_award(actor=buyer_user, rfq=rfq, allocation={item.pk: quotes[1].pk})


def test_award_split_between_suppliers(
    buyer, buyer_user, rice, offers, alumni_supplier, alumni_user, pesantren_supplier, pesantren_supplier_user
):
    rfq = post_rfq(
        buyer,
        buyer_user,
        rice,
        items=[
            {"name": "Beras medium", "category": rice, "quantity": 500, "unit": "kg"},
            {"name": "Beras premium", "category": rice, "quantity": 100, "unit": "kg"},
        ],
    )
    medium, premium = rfq.items.all()
    a = services.quotation_submit(
        actor=alumni_user, rfq=rfq, supplier=alumni_supplier, lines={medium.pk: (12000, 500), premium.pk: (15000, 100)},
        delivery_date=date.today() + timedelta(days=9), valid_until=date.today() + timedelta(days=20),
        payment_terms="cod",
    )  # fmt: skip
    b = services.quotation_submit(
        actor=pesantren_supplier_user, rfq=rfq, supplier=pesantren_supplier,
        lines={medium.pk: (11500, 500), premium.pk: (16000, 100)},
        delivery_date=date.today() + timedelta(days=9), valid_until=date.today() + timedelta(days=20),
        payment_terms="transfer", payment_days=7,
    )  # fmt: skip
    close(rfq)
    orders = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={medium.pk: b.pk, premium.pk: a.pk})
    assert sorted((o.supplier_id, o.total, o.payment_terms) for o in orders) == sorted(
        [(pesantren_supplier.pk, 11500 * 500, "transfer"), (alumni_supplier.pk, 15000 * 100, "cod")]
    )
    assert set(Quotation.objects.values_list("status", flat=True)) == {"partly_awarded"}


def test_an_expired_quote_cannot_be_awarded(rfq, alumni_supplier, alumni_user, buyer_user):
    quotation = quote(rfq, alumni_supplier, alumni_user, 12000)
    Quotation.objects.filter(pk=quotation.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    close(rfq)
    with pytest.raises(DomainError, match="expired"):
        services.rfq_award(actor=buyer_user, rfq=rfq, allocation={rfq.items.get().pk: quotation.pk})


def test_only_the_supplier_confirms_or_declines(rfq, quotes, buyer_user, alumni_user, pesantren_supplier_user):
    close(rfq)
    (order,) = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={rfq.items.get().pk: quotes[0].pk})
    for actor in (buyer_user, pesantren_supplier_user):
        with pytest.raises(DomainError):
            services.po_confirm(actor=actor, po=order)
    services.po_confirm(actor=alumni_user, po=order)
    assert order.status == PurchaseOrder.Status.CONFIRMED and order.confirmed_by == alumni_user
    with pytest.raises(DomainError):
        services.po_confirm(actor=alumni_user, po=order)
    with pytest.raises(DomainError):
        services.po_decline(actor=alumni_user, po=order, reason="stok habis")


def test_decline_an_issued_po(rfq, quotes, buyer_user, alumni_user):
    close(rfq)
    (order,) = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={rfq.items.get().pk: quotes[0].pk})
    services.po_decline(actor=alumni_user, po=order, reason="Gudang banjir")
    assert order.status == PurchaseOrder.Status.CANCELLED


def test_a_revision_changes_the_po_only_when_the_other_side_accepts(
    po, buyer, buyer_user, alumni_supplier, alumni_user
):
    line = po.lines.get()
    new_date = po.delivery_date + timedelta(days=5)
    revision = services.po_revision_propose(
        actor=buyer_user,
        po=po,
        side=buyer,
        changes={line.pk: (600, 12000)},
        delivery_date=new_date,
        reason="Santri baru",
    )
    po.refresh_from_db()
    assert (po.total, po.revision) == (12000 * 500, 0)
    with pytest.raises(DomainError, match="already waiting"):
        services.po_revision_propose(
            actor=alumni_user, po=po, side=alumni_supplier, changes={}, delivery_date=new_date, reason="x"
        )
    with pytest.raises(DomainError, match="other side"):
        services.po_revision_decide(actor=buyer_user, revision=revision, accept=True)
    services.po_revision_decide(actor=alumni_user, revision=revision, accept=True)
    po.refresh_from_db()
    assert (po.total, po.revision, po.delivery_date, po.lines.get().quantity) == (12000 * 600, 1, new_date, 600)
    with pytest.raises(DomainError, match="already answered"):
        services.po_revision_decide(actor=alumni_user, revision=revision, accept=False)


def test_a_rejected_revision_changes_nothing(po, alumni_supplier, alumni_user, buyer_user):
    line = po.lines.get()
    revision = services.po_revision_propose(
        actor=alumni_user, po=po, side=alumni_supplier, changes={line.pk: (500, 13000)},
        delivery_date=po.delivery_date, reason="Harga gabah naik",
    )  # fmt: skip
    services.po_revision_decide(actor=buyer_user, revision=revision, accept=False)
    po.refresh_from_db()
    assert (po.total, po.revision) == (12000 * 500, 0)
    assert PORevision.objects.get().status == "rejected"


def test_a_revision_cannot_cut_below_what_was_delivered(po, buyer, buyer_user, alumni_user):
    line = po.lines.get()
    services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: 300}, delivery_note="SJ-1", shipped_on=date.today()
    )
    with pytest.raises(DomainError, match="below"):
        services.po_revision_propose(
            actor=buyer_user, po=po, side=buyer, changes={line.pk: (200, 12000)}, delivery_date=date.today(), reason="x"
        )


# --- deliveries ---


def test_partial_lots_never_exceed_what_is_open(po, buyer_user, alumni_user):
    line = po.lines.get()
    with pytest.raises(DomainError):
        services.delivery_record(
            actor=buyer_user, po=po, quantities={line.pk: 10}, delivery_note="SJ", shipped_on=date.today()
        )
    lot1 = services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: 300}, delivery_note="SJ-001", shipped_on=date.today()
    )
    with pytest.raises(DomainError, match="exceed"):
        services.delivery_record(
            actor=alumni_user, po=po, quantities={line.pk: 201}, delivery_note="SJ-002", shipped_on=date.today()
        )
    services.delivery_receive(actor=buyer_user, delivery=lot1, results={lot1.lines.get().pk: (280, 20, "Karung basah")})
    assert services.line_progress(po)[line.pk] == {
        "ordered": 500, "pending": 0, "accepted": 280, "rejected": 20, "invoiced": 0, "open": 220, "invoiceable": 280,
    }  # fmt: skip
    lot2 = services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: 220}, delivery_note="SJ-002", shipped_on=date.today()
    )
    assert lot2.number == 2
    services.delivery_receive(actor=buyer_user, delivery=lot2, results={lot2.lines.get().pk: (220, 0, "")})
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.DELIVERED
    with pytest.raises(DomainError):
        services.delivery_record(
            actor=alumni_user, po=po, quantities={line.pk: 1}, delivery_note="SJ-3", shipped_on=date.today()
        )


def test_receiving_rules(po, buyer_user, alumni_user):
    line = po.lines.get()
    lot = services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: 100}, delivery_note="SJ-1", shipped_on=date.today()
    )
    dl = lot.lines.get()
    with pytest.raises(DomainError):
        services.delivery_receive(actor=alumni_user, delivery=lot, results={dl.pk: (100, 0, "")})
    with pytest.raises(DomainError, match="together"):
        services.delivery_receive(actor=buyer_user, delivery=lot, results={dl.pk: (90, 0, "")})
    with pytest.raises(DomainError, match="why"):
        services.delivery_receive(actor=buyer_user, delivery=lot, results={dl.pk: (90, 10, "")})
    services.delivery_receive(actor=buyer_user, delivery=lot, results={dl.pk: (100, 0, "")})
    assert Delivery.objects.get().status == "received"
    with pytest.raises(DomainError, match="already"):
        services.delivery_receive(actor=buyer_user, delivery=lot, results={dl.pk: (100, 0, "")})


def test_deliveries_only_on_a_confirmed_po(rfq, quotes, buyer_user, alumni_user):
    close(rfq)
    (order,) = services.rfq_award(actor=buyer_user, rfq=rfq, allocation={rfq.items.get().pk: quotes[0].pk})
    with pytest.raises(DomainError, match="confirmed"):
        services.delivery_record(
            actor=alumni_user,
            po=order,
            quantities={order.lines.get().pk: 1},
            delivery_note="SJ",
            shipped_on=date.today(),
        )


# --- invoices ---


def _received(po, buyer_user, alumni_user, sent, accepted):
    line = po.lines.get()
    lot = services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: sent}, delivery_note=f"SJ-{sent}", shipped_on=date.today()
    )
    services.delivery_receive(
        actor=buyer_user, delivery=lot, results={lot.lines.get().pk: (accepted, sent - accepted, "rusak")}
    )
    return line


def test_invoice_only_accepted_goods_not_invoiced_before(po, buyer_user, alumni_user):
    line = po.lines.get()
    with pytest.raises(DomainError, match="Nothing"):
        services.invoice_issue(actor=alumni_user, po=po)
    services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: 300}, delivery_note="SJ-1", shipped_on=date.today()
    )
    with pytest.raises(DomainError, match="Nothing"):  # sent, not yet received
        services.invoice_issue(actor=alumni_user, po=po)
    _received(po, buyer_user, alumni_user, 100, 90)
    with pytest.raises(DomainError, match="at most 90"):
        services.invoice_issue(actor=alumni_user, po=po, quantities={line.pk: 91})
    with pytest.raises(DomainError):
        services.invoice_issue(actor=buyer_user, po=po)
    first = services.invoice_issue(actor=alumni_user, po=po, quantities={line.pk: 40})
    assert (first.total, first.due_on) == (40 * 12000, timezone.localdate() + timedelta(days=14))
    assert first.number.startswith("INV-B2B-")
    rest = services.invoice_issue(actor=alumni_user, po=po)
    assert rest.total == 50 * 12000
    with pytest.raises(DomainError, match="Nothing"):
        services.invoice_issue(actor=alumni_user, po=po)


def test_payment_by_the_buyer_with_proof_marks_the_figures(po, buyer, buyer_user, alumni_user):
    _received(po, buyer_user, alumni_user, 300, 300)
    invoice = services.invoice_issue(actor=alumni_user, po=po)
    with pytest.raises(DomainError):
        services.invoice_pay(actor=alumni_user, invoice=invoice, proof=proof())
    with pytest.raises(DomainError, match="proof"):
        services.invoice_pay(actor=buyer_user, invoice=invoice, proof=None)
    DirtyFigureKey.objects.all().delete()
    services.invoice_pay(actor=buyer_user, invoice=invoice, proof=proof(), reference="TRF-889")
    assert invoice.status == Invoice.Status.PAID and invoice.proof.name.endswith(".webp")
    assert set(DirtyFigureKey.objects.values_list("kabupaten_kota_id", flat=True)) == {"35.28", "35.17"}
    with pytest.raises(DomainError, match="already paid"):  # a second POST changes nothing
        services.invoice_pay(actor=buyer_user, invoice=invoice, proof=proof())
    assert Event.objects.filter(subject="invoice", to_status="paid").count() == 1


def test_a_bad_proof_is_refused(po, buyer_user, alumni_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _received(po, buyer_user, alumni_user, 10, 10)
    invoice = services.invoice_issue(actor=alumni_user, po=po)
    with pytest.raises(DomainError):
        services.invoice_pay(actor=buyer_user, invoice=invoice, proof=SimpleUploadedFile("x.jpg", b"<svg></svg>"))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED


def test_cod_invoices_are_due_at_once_and_overdue_is_flagged_on_read(po, buyer, buyer_user, alumni_user):
    _received(po, buyer_user, alumni_user, 10, 10)
    invoice = services.invoice_issue(actor=alumni_user, po=po)
    assert not invoice.is_overdue
    Invoice.objects.filter(pk=invoice.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    invoice.refresh_from_db()
    assert invoice.is_overdue
    assert selectors.overdue_count(buyer) == 1 == selectors.overdue_count(po.supplier)


# --- ratings ---


def test_each_side_rates_once_after_payment(po, buyer, buyer_user, alumni_supplier, alumni_user):
    _received(po, buyer_user, alumni_user, 500, 500)
    invoice = services.invoice_issue(actor=alumni_user, po=po)
    with pytest.raises(DomainError, match="after payment"):
        services.rating_give(actor=buyer_user, po=po, side=buyer, stars=5)
    services.invoice_pay(actor=buyer_user, invoice=invoice, proof=proof())
    services.rating_give(actor=buyer_user, po=po, side=buyer, stars=5, comment="Beras pulen")
    services.rating_give(actor=alumni_user, po=po, side=alumni_supplier, stars=4)
    with pytest.raises(DomainError, match="already"):
        services.rating_give(actor=buyer_user, po=po, side=buyer, stars=1)
    with pytest.raises(DomainError):
        services.rating_give(actor=alumni_user, po=po, side=buyer, stars=1)
    record = selectors.trade_record(alumni_supplier)
    assert (record.trades, record.rating_average, record.rating_count) == (1, 5.0, 1)


def test_every_state_change_is_an_event_with_who(po, buyer_user, alumni_user):
    events = list(Event.objects.filter(rfq=po.rfq).values_list("subject", "to_status", "actor__email"))
    assert ("rfq", "open", "bendahara@garam.test") in events
    assert ("quotation", "submitted", "alumni@beras.test") in events
    assert ("po", "issued", "bendahara@garam.test") in events
    assert ("po", "confirmed", "alumni@beras.test") in events
    assert ("rfq", "awarded", "bendahara@garam.test") in events


def test_diskop_is_not_a_kind_that_supplies(rfq, diskop, province_staff):
    assert diskop.kind == Organisation.Kind.DISKOP
    with pytest.raises(DomainError):
        quote(rfq, diskop, province_staff, 10000)
