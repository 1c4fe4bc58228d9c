"""The issue's definition of done, through the pages a shopper and two sellers click."""

import pytest
from django.urls import reverse

from marketplace.models import CheckoutPayment, Order, Product

pytestmark = pytest.mark.django_db


def test_find_buy_from_two_stores_pay_once_by_one_virtual_account_follow_to_completion_and_review(
    client, shopper, admin_a, admin_b, address, product_a, product_b, django_capture_on_commit_callbacks
):
    results = client.get(reverse("marketplace:search"), {"q": "kurma", "pillar": "pesantrenpreneur", "in_stock": "on"})
    assert [p.name for p in results.context["page_obj"].object_list] == ["Kurma Sidogiri"]
    client.post(reverse("marketplace:cart_add", args=[product_b.slug]), {"quantity": 2})
    client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 1})
    client.post(reverse("account_login"), {"login": shopper.email, "password": "sandi-rahasia-123"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("marketplace:checkout"),
            {
                "address": address.pk,
                "payment": "gateway",
                f"delivery_{product_a.store_id}": "shipping",
                f"delivery_{product_b.store_id}": "shipping",
                "place": "1",
            },
        )
    gateway = Order.objects.get(store=product_a.store)
    other = Order.objects.get(store=product_b.store)
    # one virtual account for both stores' orders: the sandbox gateway's page pays both through one webhook
    payment = CheckoutPayment.objects.get(buyer=shopper)
    assert payment.amount == gateway.total + other.total
    page = client.get(reverse("marketplace:sandbox_page", args=[payment.provider_transaction_id])).content.decode()
    assert payment.virtual_account in page and gateway.number in page and other.number in page
    client.post(reverse("marketplace:sandbox_pay", args=[payment.provider_transaction_id]))
    sellers = {gateway.pk: admin_a, other.pk: admin_b}
    for order in (gateway, other):
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        client.force_login(sellers[order.pk])
        actions = [("process", {}), ("ship", {"courier": "JNE", "tracking_number": f"JNE{order.pk}"}), ("deliver", {})]
        for action, data in actions:
            client.post(reverse("marketplace:seller_order_action", args=[order.number, action]), data)
    client.force_login(shopper)
    for order in (gateway, other):
        client.post(reverse("marketplace:order_action", args=[order.number, "confirm"]))
        item = order.items.get()
        client.post(reverse("marketplace:review_add", args=[order.number, item.pk]), {"rating": 5, "text": "Berkah"})
        order.refresh_from_db()
        assert order.status == Order.Status.COMPLETED
        timeline = client.get(reverse("marketplace:order_detail", args=[order.number])).content.decode()
        assert timeline.count("<li>") >= 6
    assert [p.rating_count for p in Product.objects.filter(pk__in=[product_a.pk, product_b.pk])] == [1, 1]
