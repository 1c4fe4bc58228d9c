import pytest
from django.urls import reverse

from marketplace.cart.services import cart_add, cart_lines, cart_set
from marketplace.models import CartItem
from marketplace.tests.factories import ProductFactory, VariantFactory
from opop.services import DomainError

pytestmark = pytest.mark.django_db


def test_anonymous_cart_lives_in_the_session(client, product_a):
    response = client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 2})
    assert response.status_code == 302
    assert client.session["mart_cart"] == {f"{product_a.pk}:0": 2}
    body = client.get(reverse("marketplace:cart")).content.decode()
    assert "Sarung Tenun Darul Ulum" in body and "Rp240.000" in body


def test_quantity_is_checked_against_stock_and_minimum_order(shopper, product_b):
    with pytest.raises(DomainError, match="minimum order"):
        cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=1)
    with pytest.raises(DomainError, match="Only 10 of Kurma Sidogiri left"):
        cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=11)
    # adding one to an empty line starts at the minimum order
    assert cart_add(user=shopper, session={}, product=product_b, variant=None, quantity=1) == 2


def test_out_of_stock_and_variant_rules(shopper):
    with pytest.raises(DomainError, match="out of stock"):
        cart_set(user=shopper, session={}, product=ProductFactory(stock=0), variant=None, quantity=1)
    variant = VariantFactory(stock=3)
    with pytest.raises(DomainError, match="Choose a variant"):
        cart_set(user=shopper, session={}, product=variant.product, variant=None, quantity=1)
    cart_set(user=shopper, session={}, product=variant.product, variant=variant, quantity=3)
    (line,) = cart_lines(user=shopper, session={})
    assert line.unit_price == 30000 and line.line_total == 90000


def test_the_message_for_too_many_is_shown_in_indonesian(client, product_a):
    client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 50})
    body = client.get(product_a.get_absolute_url()).content.decode()
    assert "Hanya tersisa 10" in body


def test_session_cart_merges_into_the_account_cart_on_login(client, shopper, product_a, product_b):
    CartItem.objects.create(user=shopper, product=product_a, quantity=3)
    client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 2})
    client.post(reverse("marketplace:cart_add", args=[product_b.slug]), {"quantity": 2})
    response = client.post(reverse("account_login"), {"login": shopper.email, "password": "sandi-rahasia-123"})
    assert response.status_code == 302
    quantities = dict(CartItem.objects.filter(user=shopper).values_list("product__name", "quantity"))
    assert quantities == {"Sarung Tenun Darul Ulum": 5, "Kurma Sidogiri": 2}
    assert "mart_cart" not in client.session


def test_merge_caps_a_line_at_the_stock_left(client, shopper, product_a):
    CartItem.objects.create(user=shopper, product=product_a, quantity=8)
    client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 5})
    client.post(reverse("account_login"), {"login": shopper.email, "password": "sandi-rahasia-123"})
    assert CartItem.objects.get(user=shopper).quantity == 10


def test_update_and_remove_from_the_cart_page(client, shopper, product_a):
    client.force_login(shopper)
    client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 1})
    key = f"{product_a.pk}:0"
    client.post(reverse("marketplace:cart_update", args=[key]), {"quantity": 4})
    assert CartItem.objects.get(user=shopper).quantity == 4
    client.post(reverse("marketplace:cart_update", args=[key]), {"quantity": 4, "remove": "1"})
    assert not CartItem.objects.filter(user=shopper).exists()
