"""Checkout keeps its transaction short (issue #22): one plan per placing request, no mail rendered and no cache
version moved inside it; the e-mails and the outbox publish run after the commit."""

import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from marketplace.cart.services import cart_set
from marketplace.catalogue import fragments
from marketplace.checkout import planning, services
from marketplace.models import CartItem, Order
from marketplace.orders import views as order_views
from marketplace.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(shopper, store_a, store_b):
    for store, price in ((store_a, 10000), (store_a, 20000), (store_b, 30000)):
        product = ProductFactory(store=store, price=price, stock=10)
        cart_set(user=shopper, session={}, product=product, variant=None, quantity=1)
    return [store_a, store_b]


def test_a_placing_request_plans_the_checkout_once_and_renders_no_mail_inside_its_transaction(
    client, shopper, address, cart, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.CATALOGUE_FRAGMENT_CACHE = True
    calls = []
    real = planning.checkout_plan

    def counted(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(services, "checkout_plan", counted)
    monkeypatch.setattr(order_views, "checkout_plan", counted)
    client.force_login(shopper)
    data = {"address": address.pk, "place": "1", "checkout_key": str(uuid.uuid4()), "payment": "bank_transfer"}
    data |= {f"delivery_{store.pk}": "shipping" for store in cart}
    cache.clear()
    bought = CartItem.objects.filter(user=shopper).values_list("product_id", flat=True)
    deps = [("product", pk) for pk in bought] + [("store", store.pk) for store in cart]
    before = fragments.versions(deps)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 302 and Order.objects.count() == 2
    assert len(calls) == 1  # planned once, inside order_place
    assert mail.outbox == []  # the e-mails wait for the commit
    assert callbacks  # …as callbacks after it
    assert fragments.versions(deps) == before  # no cache version moved inside the request's transaction
    for callback in callbacks:
        callback()
    assert len(mail.outbox) >= 2  # buyer and sellers told after the commit
