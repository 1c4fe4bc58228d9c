"""The shopper's way around (issue 24): "My orders" and "Cart" with its count in the header and the portal
home's menu, one query for the count, and logging in returns to the page one was on (only on this site)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from marketplace.cart.services import cart_set
from marketplace.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
PASSWORD = "opop-demo-2026"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def basket(shopper, product_a, store_a):
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=2)
    cart_set(user=shopper, session={}, product=ProductFactory(store=store_a, stock=5), variant=None, quantity=1)
    return shopper


def _header(html: str) -> str:
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def test_the_home_menu_has_my_orders_and_the_cart_with_its_count(client, basket):
    client.force_login(basket)
    header = _header(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert f'href="{reverse("marketplace:order_list")}">My orders' in header
    assert f'<a class="header-cart" href="{reverse("marketplace:cart")}" aria-label="Cart, 2 items">' in header
    assert '<span class="header-cart-count">2</span>' in header
    assert 'Cart <span class="badge">2</span>' in header


def test_the_count_costs_no_query_and_follows_every_change_of_the_cart(client, basket, store_a):
    client.force_login(basket)
    with CaptureQueriesContext(connection) as queries:
        header = _header(client.get(reverse("home")).content.decode())
    assert '<span class="header-cart-count">2</span>' in header
    assert not [q["sql"] for q in queries.captured_queries if "marketplace_cartitem" in q["sql"]]
    third = ProductFactory(store=store_a, stock=5)
    client.post(reverse("marketplace:cart_add", args=[third.slug]), {"quantity": 1})
    assert '<span class="header-cart-count">3</span>' in _header(client.get(reverse("home")).content.decode())
    client.post(reverse("marketplace:cart_add", args=[third.slug]), {"quantity": 1})  # same line: still 3 lines
    assert '<span class="header-cart-count">3</span>' in _header(client.get(reverse("home")).content.decode())


def test_the_login_leaves_the_count_and_a_session_without_it_reads_it_without_writing(client, basket):
    client.force_login(basket)  # Django's login, which allauth's goes through, leaves the count in the session
    assert client.session["mart_cart_count"] == 2
    session = client.session
    session.pop("mart_cart_count")
    session.save()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert len([q for q in queries.captured_queries if "marketplace_cartitem" in q["sql"]]) == 1
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_the_home_page_costs_a_fixed_number_of_queries(client, basket, django_assert_max_num_queries):
    client.force_login(basket)
    client.get(reverse("home"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("home")).status_code == 200


def test_a_visitor_sees_the_session_cart_count_and_no_my_orders(client, product_a):
    client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 1})
    header = _header(client.get(reverse("home")).content.decode())
    assert '<span class="header-cart-count">1</span>' in header
    assert "My orders" not in header


def test_an_empty_cart_shows_no_count(client, shopper):
    client.force_login(shopper)
    header = _header(client.get(reverse("home")).content.decode())
    assert "header-cart-count" not in header and 'aria-label="Cart, 0 items"' in header


def test_the_log_in_link_carries_the_page_and_login_returns_there(client, shopper, product_a):
    shopper.set_password(PASSWORD)
    shopper.save()
    page = product_a.get_absolute_url()
    html = client.get(page).content.decode()
    login = reverse("account_login")
    assert f'href="{login}?next={page}"' in html
    response = client.post(f"{login}?next={page}", {"login": shopper.email, "password": PASSWORD, "next": page})
    assert response.status_code == 302 and response.url == page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_login_never_follows_a_next_off_this_site(client, shopper, target):
    shopper.set_password(PASSWORD)
    shopper.save()
    response = client.post(reverse("account_login"), {"login": shopper.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_checkout_takes_the_lines_it_ordered_off_the_count_without_counting_again(basket, product_a):
    from marketplace.cart.services import COUNT_SESSION_KEY, cart_count_on_login, cart_lines, cart_remove

    session = {}
    cart_count_on_login(user=basket, session=session)
    assert session[COUNT_SESSION_KEY] == 2
    ordered = [line for line in cart_lines(user=basket, session=session) if line.product.pk == product_a.pk]
    with CaptureQueriesContext(connection) as queries:
        cart_remove(user=basket, session=session, lines=ordered)
    assert session[COUNT_SESSION_KEY] == 1
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]
    session.pop(COUNT_SESSION_KEY)  # a session from before the count: it is counted
    cart_remove(user=basket, session=session, lines=cart_lines(user=basket, session=session))
    assert session[COUNT_SESSION_KEY] == 0
