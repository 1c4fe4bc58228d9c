"""OPOP Mart keeps taking orders while Redis (cache and broker) is down, refused or silent; the mails and the
rollup wait in the outbox and go out once the broker is back."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.models import CheckoutPayment, Order
from opop.models import DirtyFigureKey, OutboxMessage
from opop.outbox import outbox_flush
from opop.tests.outage import broken_redis, broker_at, cache_at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_an_order_is_taken_and_paid_with_redis_down_and_its_jobs_wait_in_the_outbox(
    client, shopper, address, product_a, product_b, kind, django_capture_on_commit_callbacks
):
    with broken_redis(kind) as url, cache_at(url), broker_at(url):
        assert client.get(reverse("marketplace:search"), {"q": "kurma"}).status_code == 200
        client.post(reverse("marketplace:cart_add", args=[product_b.slug]), {"quantity": 2})
        client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 1})
        login = client.post(reverse("account_login"), {"login": shopper.email, "password": "sandi-rahasia-123"})
        assert login.status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("marketplace:checkout"),
                {
                    "address": address.pk,
                    "payment": "gateway",
                    f"delivery_{product_a.store_id}": "shipping",
                    f"delivery_{product_b.store_id}": "shipping",
                    "place": "1",
                },
            )
        assert response.status_code == 302
        assert Order.objects.filter(buyer=shopper).count() == 2
        payment = CheckoutPayment.objects.get(buyer=shopper)  # one virtual account for both orders
        with django_capture_on_commit_callbacks(execute=True):
            paid = client.post(reverse("marketplace:sandbox_pay", args=[payment.provider_transaction_id]))
        assert paid.status_code == 302
        assert set(Order.objects.filter(buyer=shopper).values_list("status", flat=True)) == {Order.Status.PAID}
        assert client.get(reverse("marketplace:order_list")).status_code == 200

        waiting = list(OutboxMessage.objects.values_list("task_name", flat=True))
        assert waiting.count("marketplace.order_status_notify") == 4  # two orders placed, both paid
        assert waiting.count("reports.rollup_incremental") == 1
        assert len(mail.outbox) == 0 and DirtyFigureKey.objects.exists()

    # The broker is back (here: eager, so the relay runs the tasks in-process).
    assert outbox_flush() == {"sent": 5, "failed": 0, "pending": 0}
    recipients = [r for message in mail.outbox for r in message.to]
    assert recipients.count(shopper.email) == 4 and "admin.a@opop.test" in recipients
    assert not DirtyFigureKey.objects.exists()  # the rollup ran
    assert outbox_flush()["sent"] == 0
