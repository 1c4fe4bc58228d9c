import pytest
from django.core import mail
from django.utils import translation

from marketplace.orders.emails import order_status_notify
from marketplace.tests.helpers import place

pytestmark = pytest.mark.django_db


def test_order_mail_goes_to_buyer_and_seller_in_either_language(shopper, address, product_a, admin_a):
    (order,) = place(shopper, [(product_a, 1)], address=address)
    event = order.events.get()
    mail.outbox.clear()
    order_status_notify(order_id=order.pk, event_id=event.pk, language="id")
    order_status_notify(order_id=order.pk, event_id=event.pk, language="en")
    buyer_id, seller_id, buyer_en, _seller_en = mail.outbox
    assert buyer_id.to == [shopper.email] and seller_id.to == ["admin.a@opop.test"]
    assert f"Pesanan {order.number}: Menunggu pembayaran" == buyer_id.subject.removeprefix("[OPOP Jatim] ")
    assert "Rp160.000" in buyer_id.body and "Pesanan dibuat." in buyer_id.body and "Pesanan saya" in buyer_id.body
    assert "Pesanan toko" in seller_id.body
    assert "Awaiting payment" in buyer_en.subject and "Follow your order" in buyer_en.body


def test_a_rolled_back_order_mails_nobody(shopper, address, product_a, django_capture_on_commit_callbacks):
    from marketplace.orders.services import order_cancel_by_buyer

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        (order,) = place(shopper, [(product_a, 1)], address=address)
    sent = len(mail.outbox)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            order_cancel_by_buyer(order=order, buyer=shopper)
            raise RuntimeError
    assert len(mail.outbox) == sent
