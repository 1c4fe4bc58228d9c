"""seed_demo's B2B part: suppliers with offers, an open request with two quotations, a confirmed PO with a
partial delivery and a paid invoice; a second run changes nothing."""

import pytest
from django.core import mail
from django.core.management import call_command

from marketplace.b2b.models import RFQ, Delivery, Event, Invoice, PurchaseOrder, Quotation, Rating, SupplyOffer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _everyone_verified():
    """The demo uses the real standing of the demo organisations (the pillar apps' demos verify them)."""
    yield


def _counts():
    models = (SupplyOffer, RFQ, Quotation, PurchaseOrder, Delivery, Invoice, Rating, Event)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_trade_is_whole_and_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    first = _counts()
    assert first["SupplyOffer"] == 4
    open_rfq = RFQ.objects.get(status="open")
    assert open_rfq.quotations.count() == 2 and not open_rfq.is_closed
    po = PurchaseOrder.objects.get()
    assert po.status == "confirmed"
    assert Delivery.objects.filter(purchase_order=po).count() == 1
    invoice = Invoice.objects.get()
    assert invoice.status == "paid" and invoice.total == 115 * 27500
    assert first["Rating"] == 2
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
