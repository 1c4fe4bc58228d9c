"""Paid B2B invoices as bilateral-trade facts for the programme figures."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from marketplace.b2b import services
from marketplace.b2b.models import Invoice
from marketplace.b2b.selectors import BilateralTradeFact, bilateral_trade_facts
from marketplace.b2b.tests.conftest import proof

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _invoice(po, buyer_user, alumni_user, qty):
    line = po.lines.get()
    lot = services.delivery_record(
        actor=alumni_user, po=po, quantities={line.pk: qty}, delivery_note=f"SJ-{qty}", shipped_on=timezone.localdate()
    )
    services.delivery_receive(actor=buyer_user, delivery=lot, results={lot.lines.get().pk: (qty, 0, "")})
    return services.invoice_issue(actor=alumni_user, po=po)


def test_only_paid_invoices_count_grouped_by_month_and_regions(po, buyer_user, alumni_user):
    paid = _invoice(po, buyer_user, alumni_user, 300)
    unpaid = _invoice(po, buyer_user, alumni_user, 100)
    services.invoice_pay(actor=buyer_user, invoice=paid, proof=proof())
    today = timezone.localdate()
    facts = bilateral_trade_facts(today.replace(day=1), today + timedelta(days=1))
    assert facts == [
        BilateralTradeFact(
            month=today.replace(day=1),
            buyer_kabupaten_kota="35.28",
            supplier_kabupaten_kota="35.17",
            buyer_kind="pesantren",
            buyer_pillar="pesantrenpreneur",
            supplier_kind="alumni_business",
            supplier_pillar="sosiopreneur",
            invoices=1,
            value=300 * 12000,
        )
    ]
    services.invoice_pay(actor=buyer_user, invoice=unpaid, proof=proof())
    (fact,) = bilateral_trade_facts(today.replace(day=1), today + timedelta(days=1))
    assert (fact.invoices, fact.value) == (2, 400 * 12000)  # rises by exactly the invoice


def test_the_month_is_the_paid_day_in_wib(po, buyer_user, alumni_user):
    a = _invoice(po, buyer_user, alumni_user, 10)
    b = _invoice(po, buyer_user, alumni_user, 20)
    for invoice in (a, b):
        services.invoice_pay(actor=buyer_user, invoice=invoice, proof=proof())
    # 31 Jan 18:00 UTC is 1 Feb 01:00 WIB: February. 31 Jan 16:00 UTC is 23:00 WIB: January.
    Invoice.objects.filter(pk=a.pk).update(paid_at=datetime(2026, 1, 31, 18, 0, tzinfo=ZoneInfo("UTC")))
    Invoice.objects.filter(pk=b.pk).update(paid_at=datetime(2026, 1, 31, 16, 0, tzinfo=ZoneInfo("UTC")))
    facts = bilateral_trade_facts(date(2026, 1, 1), date(2026, 3, 1))
    assert [(f.month, f.value) for f in facts] == [(date(2026, 1, 1), 20 * 12000), (date(2026, 2, 1), 10 * 12000)]
    # The window is [start, end) in WIB days.
    assert [f.month for f in bilateral_trade_facts(date(2026, 2, 1), date(2026, 2, 2))] == [date(2026, 2, 1)]
    assert bilateral_trade_facts(date(2026, 1, 1), date(2026, 1, 31)) == []


def test_a_diskop_buyer_has_no_pillar(diskop, province_staff, rice, offers, alumni_supplier, alumni_user):
    from marketplace.b2b.tests.conftest import close, post_rfq, quote

    rfq = post_rfq(diskop, province_staff, rice)
    q = quote(rfq, alumni_supplier, alumni_user, 10000)
    close(rfq)
    (po,) = services.rfq_award(actor=province_staff, rfq=rfq, allocation={rfq.items.get().pk: q.pk})
    services.po_confirm(actor=alumni_user, po=po)
    invoice = _invoice(po, province_staff, alumni_user, 5)
    services.invoice_pay(actor=province_staff, invoice=invoice, proof=proof())
    today = timezone.localdate()
    (fact,) = bilateral_trade_facts(today.replace(day=1), today + timedelta(days=1))
    assert (fact.buyer_kind, fact.buyer_pillar, fact.buyer_kabupaten_kota, fact.value) == ("diskop", "", "35.78", 50000)


def test_a_paid_invoice_raises_the_programmes_bilateral_trade_figure_by_exactly_its_value(po, buyer_user, alumni_user):
    from django.db.models import Sum

    from reports.models import FigureRollup
    from reports.services import rollup_full, rollup_incremental

    rollup_full()

    def bilateral() -> int:
        return FigureRollup.objects.aggregate(total=Sum("mart_p2p_sales"))["total"] or 0

    before = bilateral()
    invoice = _invoice(po, buyer_user, alumni_user, 300)
    rollup_incremental()
    assert bilateral() == before  # issued, not paid: no trade yet
    services.invoice_pay(actor=buyer_user, invoice=invoice, proof=proof())
    rollup_incremental()  # the payment marked its keys dirty
    assert bilateral() == before + invoice.total
    month = timezone.localdate().replace(day=1)
    row = FigureRollup.objects.get(month=month, kabupaten_kota_id="35.17", pillar="sosiopreneur")
    assert row.mart_p2p_sales == invoice.total  # in the supplier's region, under the supplier's pillar
    rollup_full()
    assert bilateral() == before + invoice.total  # the full rebuild agrees


def test_the_dashboard_lists_the_trading_pairs_regions_scoped_to_the_staff_members_region(po, buyer_user, alumni_user):
    from reports.selectors import Filters, Scope, bilateral_trade_pairs

    invoice = _invoice(po, buyer_user, alumni_user, 300)
    assert bilateral_trade_pairs(Scope(region=None), Filters()) == []  # not paid yet
    services.invoice_pay(actor=buyer_user, invoice=invoice, proof=proof())
    (pair,) = bilateral_trade_pairs(Scope(region=None), Filters())
    assert pair == {"buyer": "Kab. Pamekasan", "supplier": "Kab. Jombang", "trades": 1, "value": invoice.total}
    # The buyer's region sees its trade; the supplier's region is not its to read: summed as other regions.
    assert bilateral_trade_pairs(Scope(region="35.28"), Filters()) == [{**pair, "supplier": "Other regencies/cities"}]
    assert bilateral_trade_pairs(Scope(region="35.01"), Filters()) == []  # Pacitan trades with neither
    assert bilateral_trade_pairs(Scope(region=None), Filters(year=timezone.localdate().year - 1)) == []
