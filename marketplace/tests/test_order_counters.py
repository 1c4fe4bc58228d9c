"""The seller queue's per-store, per-status counters (orders/counters.py) equal COUNT(*) after every way an order is
made or moves, roll back with a failed change, and let the queue cost the same queries for 1 order as for 50."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, Product, StoreOrderCount
from marketplace.orders import selectors, services
from marketplace.orders.counters import order_counts_mismatches, order_counts_rebuild, store_order_counts
from marketplace.payments.services import seller_confirm_payment
from marketplace.tests.helpers import place
from opop.services import DomainError

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture
def stocked(product_a, product_b):
    Product.objects.filter(pk__in=[product_a.pk, product_b.pk]).update(stock=500)
    return product_a, product_b


def true_counts():
    assert order_counts_mismatches() == []


def new_order(shopper, address, product):
    (order,) = place(shopper, [(product, 1)], address=address)
    return order


def test_a_checkout_of_two_stores_counts_one_new_order_in_each(shopper, address, stocked, store_a, store_b):
    product_a, product_b = stocked
    place(shopper, [(product_a, 1), (product_b, 2)], address=address)
    assert store_order_counts(store_a) == {S.AWAITING_PAYMENT: 1}
    assert store_order_counts(store_b) == {S.AWAITING_PAYMENT: 1}
    true_counts()


def test_the_seller_path_to_completed_keeps_the_counts_true(shopper, address, stocked, admin_a, store_a):
    order = new_order(shopper, address, stocked[0])
    seller_confirm_payment(order=order, actor=admin_a)
    true_counts()
    services.order_start_processing(order=order, actor=admin_a)
    true_counts()
    services.order_ship(order=order, actor=admin_a, courier="JNE", tracking_number="JNE001")
    true_counts()
    services.order_mark_delivered(order=order, actor=admin_a)
    true_counts()
    services.order_confirm_receipt(order=order, buyer=shopper)
    true_counts()
    assert store_order_counts(store_a) == {S.COMPLETED: 1}


def test_cancellations_and_expiry_keep_the_counts_true(shopper, address, stocked, admin_a, store_a):
    by_buyer, by_seller, expired, paid_cancelled = (new_order(shopper, address, stocked[0]) for _ in range(4))
    services.order_cancel_by_buyer(order=by_buyer, buyer=shopper)
    true_counts()
    services.order_cancel_by_seller(order=by_seller, actor=admin_a, reason="Stok rusak")
    true_counts()
    seller_confirm_payment(order=paid_cancelled, actor=admin_a)
    services.order_cancel_by_seller(order=paid_cancelled, actor=admin_a, reason="Kurir tidak ada")
    true_counts()
    Order.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.orders_expire_unpaid() == 1
    true_counts()
    assert store_order_counts(store_a) == {S.CANCELLED: 4}


def test_complaints_refunds_and_auto_complete_keep_the_counts_true(shopper, address, stocked, admin_a, store_a):
    refunded, rejected, automatic = (new_order(shopper, address, stocked[0]) for _ in range(3))
    for order in (refunded, rejected, automatic):
        seller_confirm_payment(order=order, actor=admin_a)
        services.order_start_processing(order=order, actor=admin_a)
        services.order_ship(order=order, actor=admin_a, courier="JNE", tracking_number=f"JNE{order.pk}")
    services.order_request_refund(order=refunded, buyer=shopper, reason="Barang rusak")
    true_counts()
    services.order_refund(order=refunded, actor=admin_a)
    true_counts()
    services.order_request_refund(order=rejected, buyer=shopper, reason="Belum sampai")
    services.order_complaint_reject(order=rejected, actor=admin_a, reason="Sudah diterima, lihat resi")
    true_counts()
    assert services.orders_auto_complete(now=timezone.now() + timedelta(days=30)) == 2
    true_counts()
    assert store_order_counts(store_a) == {S.REFUNDED: 1, S.COMPLETED: 2}


def test_a_refused_move_or_checkout_changes_no_count(shopper, address, stocked, admin_a, store_a):
    order = new_order(shopper, address, stocked[0])
    before = store_order_counts(store_a)
    with pytest.raises(DomainError):
        services.order_confirm_receipt(order=order, buyer=shopper)  # not delivered: refused, rolled back
    Product.objects.filter(pk=stocked[0].pk).update(stock=0)
    with pytest.raises(DomainError):
        place(shopper, [(stocked[0], 1)], address=address)  # sold out: no order, no count
    assert store_order_counts(store_a) == before
    true_counts()


def test_the_check_command_finds_a_wrong_counter_and_fix_rebuilds_it(shopper, address, stocked, store_a):
    new_order(shopper, address, stocked[0])
    call_command("order_counts_check")
    StoreOrderCount.objects.filter(store=store_a).update(count=7)
    with pytest.raises(CommandError):
        call_command("order_counts_check")
    assert order_counts_mismatches() == [(store_a.pk, S.AWAITING_PAYMENT, 1, 7)]
    call_command("order_counts_check", "--fix")
    true_counts()
    assert order_counts_rebuild() == 1


def _queue_queries(client):
    """The queries of one read of the queue by a process that has shown none of its orders (their lines not kept:
    selectors.order_lines; test_seller_orders pins the read that finds them kept)."""
    selectors._kept_lines.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("marketplace:seller_order_list"))
    assert response.status_code == 200
    return context


def test_the_queue_costs_the_same_queries_for_one_order_and_for_fifty_and_never_counts_orders(
    client, shopper, address, stocked, admin_a
):
    client.force_login(admin_a)
    new_order(shopper, address, stocked[0])
    client.get(reverse("marketplace:seller_order_list"))  # the seller's session and store chosen
    one = _queue_queries(client)
    for _ in range(49):
        new_order(shopper, address, stocked[0])
    fifty = _queue_queries(client)
    assert len(one) == len(fifty), [q["sql"][:120] for q in fifty.captured_queries]
    counted = [q["sql"] for q in fifty.captured_queries if "COUNT(" in q["sql"] and '"marketplace_order"' in q["sql"]]
    assert counted == []  # tab counts and page count come from the counters
    response = client.get(reverse("marketplace:seller_order_list"), {"tab": "new", "page": 2})
    assert response.context["page_obj"].paginator.num_pages == 2 and len(response.context["page_obj"]) == 20
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs["new"] == 50 and response.context["total"] == 50
