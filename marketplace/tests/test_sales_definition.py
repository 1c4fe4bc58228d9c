"""One definition of sales (marketplace.orders.omzet, docs/sales-definition.md): the seller dashboard, the sales
report, its CSV, the pesantren monthly report's prefill and the programme rollup give the same omzet for the same
orders: goods value of paid orders, shipping apart, cancelled and refunded ones out, unpaid ones never in."""

import csv
import io
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, Product
from marketplace.orders import omzet, services, states
from marketplace.payments.services import seller_confirm_payment
from marketplace.seller.sales import month_sales, sales_report
from marketplace.tests.helpers import place
from reports.models import FigureRollup
from reports.services import rollup_full

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture
def month_of_orders(shopper, address, product_a, store_a, admin_a):
    """Eight orders of one store this month (and one paid last month), each a different case."""
    Product.objects.filter(pk=product_a.pk).update(stock=1000)

    def order(quantity, *, choice=("shipping", "bank_transfer")):
        (placed,) = place(shopper, [(product_a, quantity)], address=address, choices={store_a.pk: choice})
        return placed

    by_transfer = order(2)  # 240,000 + 40,000 shipping: paid by a transfer the store confirmed
    seller_confirm_payment(order=by_transfer, actor=admin_a)
    by_gateway = order(1, choice=("shipping", "gateway"))  # 120,000 + 40,000: the gateway's webhook
    services.order_transition(order=by_gateway, to_status=S.PAID, party=states.SYSTEM, actor=None)
    cash = order(1, choice=("pickup", "cash_on_pickup"))  # 120,000, no shipping, completed
    seller_confirm_payment(order=cash, actor=admin_a)
    services.order_start_processing(order=cash, actor=admin_a)
    services.order_mark_delivered(order=cash, actor=admin_a)
    services.order_confirm_receipt(order=cash, buyer=shopper)
    complained = order(1)  # 120,000 + 40,000: a complaint is open, the money is still paid
    seller_confirm_payment(order=complained, actor=admin_a)
    services.order_request_refund(order=complained, buyer=shopper, reason="Jahitan lepas")
    cancelled = order(3)  # paid, then cancelled by the store
    seller_confirm_payment(order=cancelled, actor=admin_a)
    services.order_cancel_by_seller(order=cancelled, actor=admin_a, reason="Stok rusak")
    refunded = order(4)  # paid, complained, refunded
    seller_confirm_payment(order=refunded, actor=admin_a)
    services.order_request_refund(order=refunded, buyer=shopper, reason="Tidak sampai")
    services.order_refund(order=refunded, actor=admin_a)
    order(5)  # never paid
    order(1, choice=("shipping", "gateway"))  # never paid either
    last_month = order(1)
    seller_confirm_payment(order=last_month, actor=admin_a)
    first = timezone.localdate().replace(day=1)
    Order.objects.filter(pk=last_month.pk).update(paid_at=omzet.month_bounds(first)[0] - timedelta(days=3))
    return {"omzet": 240_000 + 120_000 + 120_000 + 120_000, "shipping": 3 * 40_000, "orders": 4, "month": first}


def test_every_surface_shows_the_same_omzet_with_shipping_apart(client, month_of_orders, store_a, admin_a, pesantren_a):
    expected = month_of_orders
    first, today = expected["month"], timezone.localdate()
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)

    client.force_login(admin_a)
    dashboard = client.get(reverse("marketplace:seller_dashboard")).context["figures"]
    assert (dashboard["month_omzet"], dashboard["month_shipping"], dashboard["month_orders"]) == (
        expected["omzet"],
        expected["shipping"],
        expected["orders"],
    )

    report = sales_report(store=store_a, start=first, end=last, group="day")
    assert (report["totals"]["omzet"], report["totals"]["shipping"], report["totals"]["orders"]) == (
        expected["omzet"],
        expected["shipping"],
        expected["orders"],
    )
    assert sum(row.omzet for row in report["rows"]) == expected["omzet"]

    params = {"start": first.isoformat(), "end": today.isoformat(), "group": "month", "format": "csv"}
    response = client.get(reverse("marketplace:seller_sales"), params)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][1:4] == [str(expected["omzet"]), str(expected["shipping"]), str(expected["orders"])]

    prefill = month_sales(organisation_id=pesantren_a.pk, month=today)
    assert (prefill["revenue"], prefill["shipping"], prefill["orders"]) == (
        expected["omzet"],
        expected["shipping"],
        expected["orders"],
    )

    rollup_full()
    programme = FigureRollup.objects.filter(month=first, kabupaten_kota_id="35.17").aggregate(
        omzet=Sum("mart_sales"), orders=Sum("mart_orders")
    )
    assert (programme["omzet"], programme["orders"]) == (expected["omzet"], expected["orders"])


def test_the_dashboard_and_the_report_label_omzet_and_shipping(client, month_of_orders, admin_a):
    client.force_login(admin_a)
    with_english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    client.cookies["django_language"] = "en"
    this_month = {"start": month_of_orders["month"].isoformat(), "end": timezone.localdate().isoformat()}
    pages = [(reverse("marketplace:seller_dashboard"), {}), (reverse("marketplace:seller_sales"), this_month)]
    for url, params in pages:
        body = client.get(url, {**params, "group": "month"}, **with_english).content.decode()
        assert "Rp600.000" in body and "Rp120.000" in body
        assert "without shipping" in body or "tanpa ongkir" in body


def test_a_refund_takes_the_sale_out_of_the_month_it_was_paid_in(month_of_orders, store_a, shopper, admin_a):
    complained = omzet.sold_orders(store_a.orders.all()).get(status=S.REFUND_REQUESTED)
    services.order_refund(order=complained, actor=admin_a)
    first = month_of_orders["month"]
    start, end = omzet.month_bounds(first)
    assert omzet.totals(omzet.sold_orders(store_a.orders.filter(paid_at__gte=start, paid_at__lt=end)))["omzet"] == (
        month_of_orders["omzet"] - 120_000
    )


def test_every_status_is_decided_sold_or_not():
    not_sold = {S.AWAITING_PAYMENT, S.CANCELLED, S.REFUNDED}
    assert set(omzet.SOLD_STATUSES) | not_sold == set(S.values)
    assert not set(omzet.SOLD_STATUSES) & not_sold
