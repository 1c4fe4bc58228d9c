import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from marketplace.checkout import services as checkout_services
from marketplace.models import Order, OrderEvent, Product
from marketplace.orders import services, states
from marketplace.orders.reviews import review_create
from marketplace.payments.services import seller_confirm_payment
from marketplace.tasks import expire_unpaid_orders
from marketplace.tests.factories import image_upload
from marketplace.tests.helpers import place
from opop.models import AuditEvent
from opop.services import DomainError

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture
def order(shopper, address, product_a):
    (order,) = place(shopper, [(product_a, 2)], address=address)
    return order


def walk_to(order, status, *, seller, buyer):
    """Drive `order` along the happy path up to `status`."""
    path = [S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.COMPLETED]
    steps = {
        S.PAID: lambda: seller_confirm_payment(order=order, actor=seller),
        S.PROCESSING: lambda: services.order_start_processing(order=order, actor=seller),
        S.SHIPPED: lambda: services.order_ship(order=order, actor=seller, courier="JNE", tracking_number="JT123"),
        S.DELIVERED: lambda: services.order_mark_delivered(order=order, actor=seller),
        S.COMPLETED: lambda: services.order_confirm_receipt(order=order, buyer=buyer),
    }
    if status == S.AWAITING_PAYMENT:
        return order
    for step in path[: path.index(status) + 1]:
        steps[step]()
    order.refresh_from_db()
    return order


def test_the_happy_path_records_every_transition_and_mails_both_sides(
    order, shopper, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(order, S.COMPLETED, seller=admin_a, buyer=shopper)
    assert order.status == S.COMPLETED and order.paid_at and order.completed_at
    assert order.courier == "JNE" and order.tracking_number == "JT123"
    events = list(order.events.values_list("from_status", "to_status"))
    assert events == [
        ("", S.AWAITING_PAYMENT),
        (S.AWAITING_PAYMENT, S.PAID),
        (S.PAID, S.PROCESSING),
        (S.PROCESSING, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
        (S.DELIVERED, S.COMPLETED),
    ]
    assert len(mail.outbox) == 10  # buyer and seller for each of the five moves
    assert AuditEvent.objects.filter(action="marketplace.payment_confirmed").count() == 1


# The order life cycle as the programme agreed it, written out here independently of states.TRANSITIONS:
# (from, to) -> who may make the move. B = buyer, S = seller, Y = system (gateway webhook, scheduled jobs).
EXPECTED_MOVES = {
    ("awaiting_payment", "paid"): "SY",
    ("awaiting_payment", "cancelled"): "BSY",
    ("paid", "processing"): "S",
    ("paid", "cancelled"): "S",
    ("processing", "cancelled"): "S",
    ("processing", "shipped"): "S",
    ("processing", "delivered"): "S",  # pickup at the pesantren
    ("processing", "ready_to_ship"): "S",  # booked with the courier (#20)
    ("ready_to_ship", "shipped"): "SY",  # handed over, or the courier's "picked up"
    ("ready_to_ship", "cancelled"): "S",
    ("ready_to_ship", "refund_requested"): "B",
    ("refund_requested", "ready_to_ship"): "S",
    ("shipped", "delivered"): "SY",  # the seller, or the courier's "delivered" tracking event
    ("shipped", "completed"): "BY",
    ("delivered", "completed"): "BY",
    ("paid", "refund_requested"): "B",
    ("processing", "refund_requested"): "B",
    ("shipped", "refund_requested"): "B",
    ("delivered", "refund_requested"): "B",
    ("refund_requested", "refunded"): "S",
    ("refund_requested", "paid"): "S",  # a rejected complaint returns the order where it was
    ("refund_requested", "processing"): "S",
    ("refund_requested", "shipped"): "S",
    ("refund_requested", "delivered"): "S",
}
PARTY_LETTERS = {states.BUYER: "B", states.SELLER: "S", states.SYSTEM: "Y"}


def test_every_allowed_transition_is_in_the_table_and_everything_else_is_refused():
    all_states = S.values
    assert {value for pair in EXPECTED_MOVES for value in pair} <= set(all_states)
    for frm in all_states:
        for to in all_states:
            for party, letter in PARTY_LETTERS.items():
                expected = letter in EXPECTED_MOVES.get((frm, to), "")
                assert states.allowed(frm, to, party) == expected, (frm, to, party)
    assert not states.next_moves(S.COMPLETED, states.SELLER)
    assert not states.next_moves(S.CANCELLED, states.BUYER)
    assert not states.next_moves(S.REFUNDED, states.SELLER)


@pytest.mark.parametrize(
    ("start", "to", "party"),
    [
        (S.AWAITING_PAYMENT, S.SHIPPED, states.SELLER),
        (S.AWAITING_PAYMENT, S.COMPLETED, states.BUYER),
        (S.AWAITING_PAYMENT, S.PAID, states.BUYER),
        (S.PAID, S.CANCELLED, states.BUYER),
        (S.PAID, S.SHIPPED, states.SELLER),
        (S.PROCESSING, S.COMPLETED, states.BUYER),
        (S.SHIPPED, S.CANCELLED, states.SELLER),
        (S.SHIPPED, S.PROCESSING, states.SELLER),
        (S.DELIVERED, S.COMPLETED, states.SELLER),
        (S.COMPLETED, S.REFUND_REQUESTED, states.BUYER),
        (S.COMPLETED, S.CANCELLED, states.SYSTEM),
    ],
)
def test_illegal_transitions_are_refused(order, shopper, admin_a, start, to, party):
    walk_to(order, start, seller=admin_a, buyer=shopper)
    with pytest.raises(DomainError, match="cannot become"):
        services.order_transition(order=order, to_status=to, party=party, actor=None)
    order.refresh_from_db()
    assert order.status == start


def test_buyer_cancels_before_payment_and_the_stock_comes_back(order, shopper, product_a):
    assert Product.objects.get(pk=product_a.pk).stock == 8
    services.order_cancel_by_buyer(order=order, buyer=shopper)
    assert Product.objects.get(pk=product_a.pk).stock == 10
    with pytest.raises(DomainError):
        services.order_cancel_by_buyer(order=order, buyer=shopper)
    assert Product.objects.get(pk=product_a.pk).stock == 10  # released once


def test_seller_cancels_only_with_a_reason_and_a_paid_order_leaves_a_refund_due(order, shopper, admin_a):
    walk_to(order, S.PAID, seller=admin_a, buyer=shopper)
    with pytest.raises(DomainError, match="why"):
        services.order_cancel_by_seller(order=order, actor=admin_a, reason=" ")
    services.order_cancel_by_seller(order=order, actor=admin_a, reason="Stok rusak terkena banjir")
    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.cancel_reason == "Stok rusak terkena banjir"
    assert AuditEvent.objects.filter(action="marketplace.refund_due").exists()


def test_refund_requested_then_refunded(order, shopper, admin_a):
    walk_to(order, S.SHIPPED, seller=admin_a, buyer=shopper)
    with pytest.raises(DomainError, match="why"):
        services.order_request_refund(order=order, buyer=shopper, reason="")
    services.order_request_refund(order=order, buyer=shopper, reason="Barang tidak sesuai")
    services.order_refund(order=order, actor=admin_a)
    order.refresh_from_db()
    assert order.status == S.REFUNDED
    assert AuditEvent.objects.filter(action="marketplace.refunded", target_id=str(order.pk)).exists()


def test_shipping_needs_courier_and_tracking_and_pickup_is_handed_over(shopper, address, admin_a, product_a, store_a):
    (pickup,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("pickup", "cash_on_pickup")})
    seller_confirm_payment(order=pickup, actor=admin_a)
    services.order_start_processing(order=pickup, actor=admin_a)
    with pytest.raises(DomainError, match="handed over"):
        services.order_ship(order=pickup, actor=admin_a, courier="JNE", tracking_number="1")
    services.order_mark_delivered(order=pickup, actor=admin_a)
    assert Order.objects.get(pk=pickup.pk).status == S.DELIVERED
    (shipped,) = place(shopper, [(product_a, 1)], address=address)
    walk_to(shipped, S.PROCESSING, seller=admin_a, buyer=shopper)
    with pytest.raises(DomainError, match="courier"):
        services.order_ship(order=shipped, actor=admin_a, courier="JNE", tracking_number="")
    with pytest.raises(DomainError, match="Ship the order"):
        services.order_mark_delivered(order=shipped, actor=admin_a)


def test_unpaid_orders_expire_and_release_their_stock(order, shopper, address, product_a, admin_a):
    (paid,) = place(shopper, [(product_a, 1)], address=address)
    seller_confirm_payment(order=paid, actor=admin_a)
    assert Product.objects.get(pk=product_a.pk).stock == 7
    Order.objects.filter(pk__in=[order.pk, paid.pk]).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_unpaid_orders.delay().get() == 1
    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.events.last().actor is None
    assert Product.objects.get(pk=product_a.pk).stock == 9
    assert expire_unpaid_orders() == 0  # a second run changes nothing
    assert Order.objects.get(pk=paid.pk).status == S.PAID


def test_an_order_not_yet_due_does_not_expire(order):
    assert expire_unpaid_orders() == 0
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_PAYMENT


def test_the_expiry_job_is_on_the_beat_schedule(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["marketplace-expire-unpaid-orders"]["task"] == "marketplace.expire_unpaid_orders"
    )


def test_one_review_per_product_after_completion_updates_ratings(order, shopper, admin_a, product_a, store_a):
    item = order.items.get()
    with pytest.raises(DomainError, match="completed"):
        review_create(buyer=shopper, order_item=item, rating=5)
    walk_to(order, S.COMPLETED, seller=admin_a, buyer=shopper)
    review_create(buyer=shopper, order_item=item, rating=4, text="Kainnya halus", photo=image_upload())
    with pytest.raises(DomainError, match="already"):
        review_create(buyer=shopper, order_item=item, rating=5)
    with pytest.raises(DomainError, match="not your order"):
        review_create(buyer=admin_a, order_item=item, rating=1)
    product_a.refresh_from_db()
    store_a.refresh_from_db()
    assert product_a.rating_average == 4 and product_a.rating_count == 1 and store_a.rating_count == 1


def test_buyer_pages_show_the_timeline_and_filter_by_status(client, order, shopper, admin_a, address, product_a):
    (other,) = place(shopper, [(product_a, 1)], address=address)
    services.order_cancel_by_buyer(order=other, buyer=shopper)
    client.force_login(shopper)
    listing = client.get(reverse("marketplace:order_list"), {"status": "cancelled"})
    assert [o.number for o in listing.context["page_obj"].object_list] == [other.number]
    body = client.get(reverse("marketplace:order_detail", args=[order.number])).content.decode()
    assert "Menunggu pembayaran" in body and "Bank Jatim Syariah" in body


def test_buyer_actions_through_the_pages(client, order, shopper, admin_a):
    walk_to(order, S.SHIPPED, seller=admin_a, buyer=shopper)
    client.force_login(shopper)
    client.post(reverse("marketplace:order_action", args=[order.number, "confirm"]))
    assert Order.objects.get(pk=order.pk).status == S.COMPLETED
    item = order.items.get()
    client.post(reverse("marketplace:review_add", args=[order.number, item.pk]), {"rating": 5, "text": "Mantap"})
    assert item.product.reviews.get().rating == 5


def test_seller_moves_the_order_through_the_seller_page(client, order, admin_a):
    client.force_login(admin_a)
    assert order.number in client.get(reverse("marketplace:seller_order_list")).content.decode()
    for action, data in [
        ("confirm_payment", {}),
        ("process", {}),
        ("ship", {"courier": "J&T", "tracking_number": "JX1"}),
    ]:
        client.post(reverse("marketplace:seller_order_action", args=[order.number, action]), data)
    assert Order.objects.get(pk=order.pk).status == S.SHIPPED
    body = client.get(reverse("marketplace:seller_order_detail", args=[order.number])).content.decode()
    assert "J&amp;T" in body


def test_foreign_orders_answer_404_everywhere(client, order, admin_b, store_b, shopper):
    client.force_login(admin_b)  # another pesantren's admin, and not the buyer
    for name, args in [
        ("marketplace:order_detail", [order.number]),
        ("marketplace:seller_order_detail", [order.number]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    for name, args in [
        ("marketplace:order_action", [order.number, "cancel"]),
        ("marketplace:seller_order_action", [order.number, "confirm_payment"]),
        ("marketplace:review_add", [order.number, order.items.get().pk]),
    ]:
        assert client.post(reverse(name, args=args)).status_code == 404
    payment = order.payments.get()
    assert client.get(reverse("marketplace:seller_order_list")).context["page_obj"].paginator.count == 0
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_PAYMENT and payment.status == "pending"
    assert OrderEvent.objects.filter(order=order).count() == 1


def test_an_order_with_an_uploaded_transfer_proof_waits_for_the_seller_not_the_clock(order, shopper):
    from marketplace.payments.bank_transfer import transfer_proof_upload

    transfer_proof_upload(order=order, buyer=shopper, upload=image_upload())
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    assert expire_unpaid_orders() == 0
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_PAYMENT


def test_my_orders_and_store_orders_cost_a_fixed_number_of_queries(
    client, shopper, admin_a, address, product_a, django_assert_max_num_queries
):
    Product.objects.filter(pk=product_a.pk).update(stock=100)
    for _ in range(15):
        place(shopper, [(product_a, 1)], address=address)
    for user, url in [(shopper, "marketplace:order_list"), (admin_a, "marketplace:seller_order_list")]:
        client.force_login(user)
        with django_assert_max_num_queries(10):
            body = client.get(reverse(url)).content.decode()
        assert body.count("Sarung Tenun Darul Ulum") >= (15 if user == shopper else 0)


def test_sellers_see_a_store_orders_link_and_shoppers_do_not(client, shopper, admin_a, store_a):
    link = reverse("marketplace:seller_dashboard")
    client.force_login(shopper)
    assert link not in client.get(reverse("marketplace:home")).content.decode()
    client.force_login(admin_a)
    assert link in client.get(reverse("marketplace:home")).content.decode()


def test_an_order_number_that_clashes_with_an_existing_one_is_drawn_again(
    order, shopper, address, product_a, monkeypatch
):
    drawn = iter([order.number, order.number, "OPM-261130-00000000AB"])
    monkeypatch.setattr(checkout_services, "_new_number", lambda: next(drawn))
    (second,) = place(shopper, [(product_a, 1)], address=address)
    assert second.number == "OPM-261130-00000000AB"
    assert Order.objects.filter(buyer=shopper).count() == 2
    assert second.items.get().quantity == 1 and second.events.count() == 1


def test_a_number_that_keeps_clashing_fails_the_checkout_whole(order, shopper, address, product_a, monkeypatch):
    monkeypatch.setattr(checkout_services, "_new_number", lambda: order.number)
    stock = Product.objects.get(pk=product_a.pk).stock
    with pytest.raises(IntegrityError):
        place(shopper, [(product_a, 1)], address=address)
    assert Order.objects.filter(buyer=shopper).count() == 1
    assert Product.objects.get(pk=product_a.pk).stock == stock


def test_order_numbers_carry_the_day_and_ten_random_hex_digits():
    number = checkout_services._new_number()
    assert re.fullmatch(rf"OPM-{timezone.localdate():%y%m%d}-[0-9A-F]{{10}}", number)
