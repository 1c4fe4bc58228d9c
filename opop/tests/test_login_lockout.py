"""Password guessing is cut off: allauth's login_failed limits (5 per account per 5 minutes, 10 per IP per
minute) apply to every way in, the Django admin's login included, and the lock lifts after the window."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from opop.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts. Try again later."
PASSWORD = "sandi-rahasia-123"  # UserFactory's


def english_client(ip: str = "10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.cookies["django_language"] = "en"
    return client


def try_login(client: Client, email: str, password: str, next_url: str = ""):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password})


def is_locked(response) -> bool:
    return response.status_code == 200 and LOCKED in response.content.decode()


@pytest.fixture
def travel(monkeypatch):
    """Move the clock allauth's rate limits (and the local-memory cache) read, instead of sleeping."""
    offset = {"seconds": 0.0}
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + offset["seconds"])

    def forward(seconds: float) -> None:
        offset["seconds"] += seconds

    return forward


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(superuser, travel):
    client = english_client()
    for _ in range(5):
        response = try_login(client, superuser.email, "salah-sandi")
        assert response.status_code == 200 and not is_locked(response)
    assert is_locked(try_login(client, superuser.email, "salah-sandi"))
    # The right password is refused too while the lock lasts, from another address as well.
    assert is_locked(try_login(english_client("10.0.0.2"), superuser.email, PASSWORD))
    assert SESSION_KEY not in client.session

    travel(4 * 60)
    assert is_locked(try_login(client, superuser.email, PASSWORD))

    travel(61 + 5)  # the first failures are now more than 5 minutes old
    response = try_login(client, superuser.email, PASSWORD, next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert str(client.session[SESSION_KEY]) == str(superuser.pk)


def test_a_lock_on_one_account_leaves_the_others_alone(superuser, shopper):
    client = english_client()
    for _ in range(6):
        try_login(client, superuser.email, "salah-sandi")
    response = try_login(english_client("10.0.0.3"), shopper.email, PASSWORD)
    assert response.status_code == 302
    assert not is_locked(response)


def test_ten_failures_from_one_address_lock_that_address_for_every_account(travel):
    users = [UserFactory() for _ in range(11)]
    client = english_client("10.9.9.9")
    for user in users[:10]:
        assert not is_locked(try_login(client, user.email, "salah-sandi"))
    assert is_locked(try_login(client, users[10].email, PASSWORD))
    # Another address is unaffected; the locked one is let in again after the minute.
    assert try_login(english_client("10.9.9.10"), users[10].email, PASSWORD).status_code == 302
    travel(61)
    assert try_login(english_client("10.9.9.9"), users[10].email, PASSWORD).status_code == 302


def test_the_admin_login_sends_people_to_the_rate_limited_login_with_next(client):
    response = client.get(reverse("admin:login") + "?next=/admin/opop/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fopop%2Fuser%2F"
    # An admin page asked for while signed out ends on the same login page.
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login") + "?next=")
    assert response.status_code == 200
    # A next pointing elsewhere is dropped.
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_the_admin_login_form_cannot_be_used_to_guess_passwords(superuser):
    client = english_client()
    for _ in range(20):
        response = client.post(reverse("admin:login"), {"username": superuser.email, "password": "salah-sandi"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("admin:login"), {"username": superuser.email, "password": PASSWORD})
    assert response.status_code == 302 and SESSION_KEY not in client.session


def test_a_locked_admin_account_cannot_reach_the_admin_through_its_login_route(superuser, travel):
    client = english_client()
    for _ in range(5):
        try_login(client, superuser.email, "salah-sandi", next_url="/admin/")
    response = client.get(reverse("admin:index"), follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login"))
    response = client.post(login_url, {"login": superuser.email, "password": PASSWORD})
    assert is_locked(response)
    travel(5 * 60 + 5)
    response = client.post(login_url, {"login": superuser.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200


def test_the_admin_stays_for_staff_only(shopper, superuser):
    client = english_client()
    response = try_login(client, shopper.email, PASSWORD, next_url="/admin/")
    response = client.get(response["Location"], follow=True)
    # A signed-in shopper is sent home with a message, not round a login loop, and never sees the admin.
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account may not open the administration site." in response.content.decode()
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse("admin:login") + "?next=/admin/opop/user/")["Location"] == "/admin/opop/user/"


def test_behind_the_load_balancer_the_per_ip_limit_counts_clients_not_the_balancer(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    users = [UserFactory() for _ in range(11)]

    def via_balancer(client_ip: str) -> Client:
        client = Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=client_ip)
        client.cookies["django_language"] = "en"
        return client

    for user in users[:10]:
        try_login(via_balancer("36.80.1.1"), user.email, "salah-sandi")
    assert is_locked(try_login(via_balancer("36.80.1.1"), users[10].email, PASSWORD))
    assert try_login(via_balancer("36.80.2.2"), users[10].email, PASSWORD).status_code == 302
