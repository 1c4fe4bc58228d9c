"""Under the production settings every response carries the security headers a browser needs."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.csp import CSP

from opop.tests.test_settings import load_settings

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
]


@pytest.fixture
def prod_security(monkeypatch):
    prod = load_settings("opop.settings.prod", monkeypatch, SECRET_KEY="x" * 60, ALLOWED_HOSTS="opop.example")
    with override_settings(**{name: prod.get(name) for name in SECURITY_SETTINGS}):
        yield prod


def test_production_sends_hsts_csp_and_friends_over_https(client, prod_security):
    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response[CSP.HEADER_ENFORCE]
    assert CSP.HEADER_REPORT_ONLY not in response


def test_production_cookies_are_secure_and_session_cookies_http_only(client, prod_security, shopper):
    response = client.post(
        reverse("account_login"), {"login": shopper.email, "password": "wrong-password"}, secure=True
    )
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"]
    shopper.set_password("correct-horse-battery")
    shopper.save(update_fields=["password"])
    response = client.post(
        reverse("account_login"), {"login": shopper.email, "password": "correct-horse-battery"}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    response = client.post(reverse("set_language"), {"language": "en"}, secure=True)
    assert response.cookies["django_language"]["secure"]


def test_production_redirects_plain_http_to_https_except_the_probes(client, prod_security):
    response = client.get(reverse("home"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code in {200, 503}
