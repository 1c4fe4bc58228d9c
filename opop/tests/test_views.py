import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from opop.models import User

pytestmark = pytest.mark.django_db


def test_home_is_indonesian_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    body = response.content.decode()
    assert '<html lang="id">' in body
    assert "Tiga pilar" in body


def test_language_switcher_turns_the_portal_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body and "Three pillars" in body
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Tiga pilar" in client.get("/").content.decode()


def test_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Content-Language"] == "id"


def test_every_indonesian_translation_is_filled_in():
    """English is the msgid; every string must also exist in Bahasa Indonesia, none fuzzy."""
    base = Path(settings.BASE_DIR)
    files = [
        base / "locale/id/LC_MESSAGES/django.po",
        *base.glob("*/locale/id/LC_MESSAGES/django.po"),
        *base.glob("*/*/locale/id/LC_MESSAGES/django.po"),
    ]
    assert files[0].exists()
    for path in files:
        catalogue = polib.pofile(str(path))
        untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
        assert not untranslated, f"{path}: untranslated {untranslated[:5]}"
        assert not fuzzy, f"{path}: fuzzy {fuzzy[:5]}"


def test_the_demo_logins_work_with_email_and_password(client, shopper):
    response = client.post(reverse("account_login"), {"login": "PEMBELI@opop.test", "password": "sandi-rahasia-123"})
    assert response.status_code == 302
    assert client.get("/").context["user"] == shopper


def test_wrong_password_is_explained_in_indonesian(client, shopper):
    response = client.post(reverse("account_login"), {"login": shopper.email, "password": "salah"})
    assert response.status_code == 200
    assert "kata sandi yang anda masukkan tidak benar" in response.content.decode().lower()


def test_repeated_failed_logins_are_rate_limited_even_with_the_right_password(client, shopper):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": shopper.email, "password": "salah"})
    response = client.post(reverse("account_login"), {"login": shopper.email, "password": "sandi-rahasia-123"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "terlalu banyak" in response.content.decode().lower()


def test_signup_requires_email_verification_before_login(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "santri.baru@opop.test",
            "full_name": "Santri Baru",
            "password1": "Kopi-Bululawang-99",
            "password2": "Kopi-Bululawang-99",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="santri.baru@opop.test").exists()
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert "santri.baru@opop.test" in mail.outbox[0].to
    link = re.search(r"(/akun/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    client.post(link)
    assert client.session.get("_auth_user_id")


def test_password_reset_sends_a_link(client, shopper):
    client.post(reverse("account_reset_password"), {"email": shopper.email})
    assert len(mail.outbox) == 1
    assert "/akun/password/reset/key/" in mail.outbox[0].body


def test_login_page_uses_the_portal_layout(client):
    body = client.get(reverse("account_login")).content.decode()
    assert 'class="auth"' in body and "site-header" in body and "opop.css" in body


def test_navigation_depends_on_the_role(client, admin_a, shopper):
    client.force_login(shopper)
    labels = [item.url for item in client.get("/").context["nav_items"]]
    assert reverse("opop:organisation_list") not in labels
    client.force_login(admin_a)
    labels = [item.url for item in client.get("/").context["nav_items"]]
    assert reverse("opop:organisation_list") in labels


def test_the_menu_shows_the_roles_entries_in_the_pages_language_with_the_current_one_marked(client, admin_a):
    client.force_login(admin_a)
    organisations = reverse("opop:organisation_list")
    page = client.get(organisations)
    items = page.context["nav_items"]
    menu = page.content.decode().split('class="menu-panel"', 1)[1].split("</ul>", 1)[0]
    assert [item.url for item in items] == re.findall(r'<li><a href="([^"]+)"', menu)[: len(items)]
    assert re.findall(r'href="([^"]+)" aria-current="page"', menu) == [organisations]
    assert all(f">{item.label}</a>" in menu for item in items)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("home"))
    assert english.context["nav_items"] and not any(item.active for item in english.context["nav_items"][1:])
    english_menu = english.content.decode().split('class="menu-panel"', 1)[1].split("</ul>", 1)[0]
    assert all(f">{item.label}</a>" in english_menu for item in english.context["nav_items"])
    assert {item.label for item in english.context["nav_items"]} != {item.label for item in items}  # translated


def test_the_menu_marks_one_current_section_the_longest_matching_link(client, superuser):
    client.force_login(superuser)
    staff_list, mine = reverse("pesantren:staff_list"), reverse("pesantren:mine")
    assert staff_list.startswith(mine)  # /pesantren/staf/ under /pesantren/
    items = client.get(staff_list).context["nav_items"]
    assert [item.url for item in items if item.active] == [staff_list]
    assert [item.url for item in client.get(mine).context["nav_items"] if item.active] == [mine]
