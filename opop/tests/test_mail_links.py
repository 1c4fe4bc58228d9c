"""Every e-mail the portal sends (issue 24): one subject brand "[OPOP Jatim] ", every link absolute on the
configured site address (settings.SITE_URL), and allauth's mails greet from the portal, not from the host."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from opop.mail import mail_brand, send_mail_on_commit

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
# A path standing alone (not inside a URL), or a URL without a host.
RELATIVE = re.compile(r"(?:^|[\s(\[\"'])/[a-z0-9]|https?:///|href=\"/", re.I | re.M)


def assert_links_absolute(body: str) -> None:
    assert not RELATIVE.search(body), f"a relative or host-less link in:\n{body}"
    assert "127.0.0.1:8017" not in body


@pytest.mark.parametrize(
    ("subject", "branded"),
    [
        ("Order OPM-1: Paid", "[OPOP Jatim] Order OPM-1: Paid"),
        ("[OPOP] Welcome", "[OPOP Jatim] Welcome"),
        ("[OPOP Jatim] [OPOP Jatim] Twice", "[OPOP Jatim] Twice"),
        ("[127.0.0.1:8017] Confirm   your\ne-mail", "[OPOP Jatim] Confirm your e-mail"),
    ],
)
def test_the_subject_carries_one_brand(subject, branded):
    assert mail_brand(subject=subject, body="")[0] == branded


def test_site_paths_become_absolute_and_the_rest_stays(settings):
    settings.SITE_URL = "https://opop.jatimprov.go.id"
    body = (
        "Open the case: /halal/kasus/12/\n(see /mart/pesanan/OPM-7/?tab=bayar)\n"
        "Already absolute: https://opop.jatimprov.go.id/mart/\nPrice Rp15.000/kg, month 11/2026, Sabtu / Minggu."
    )
    _subject, branded = mail_brand(subject="x", body=body)
    assert "Open the case: https://opop.jatimprov.go.id/halal/kasus/12/" in branded
    assert "(see https://opop.jatimprov.go.id/mart/pesanan/OPM-7/?tab=bayar)" in branded
    assert "Already absolute: https://opop.jatimprov.go.id/mart/\n" in branded
    assert "Rp15.000/kg, month 11/2026, Sabtu / Minggu." in branded
    assert_links_absolute(branded)


def test_a_queued_mail_leaves_branded_with_absolute_links(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://opop.jatimprov.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        send_mail_on_commit(subject="Report returned", body="Open it: /pesantren/laporan/3/", recipients=["a@b.test"])
    (message,) = mail.outbox
    assert message.subject == "[OPOP Jatim] Report returned"
    assert message.body == "Open it: https://opop.jatimprov.go.id/pesantren/laporan/3/"


def test_every_mail_goes_through_the_branding():
    """Only the two senders that brand (the mail task and the order mails) call Django's mail API; every other
    sender queues through opop.mail.send_mail_on_commit. A new direct sender fails here."""
    allowed = {"opop/tasks.py", "marketplace/orders/emails.py", "opop/account_adapter.py"}
    direct = re.compile(r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives|mail_admins)\(")
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "bench/")) or "/tests/" in relative or "/migrations/" in relative:
            continue
        if direct.search(path.read_text(encoding="utf-8")) and relative not in allowed:
            offenders.append(relative)
    assert not offenders, f"sends mail without opop.mail.mail_brand: {offenders}"


def test_every_mail_template_links_with_full_urls():
    """A text e-mail template never writes a bare {% url %} (a path): it goes through mail_brand or site_url."""
    offenders = []
    for path in ROOT.rglob("*.txt"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(".venv/") or "/email/" not in relative:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?:^|\s)/[a-z]", text, re.M):
            offenders.append(relative)
    assert not offenders, offenders


def test_allauth_mails_greet_from_the_portal_with_absolute_links(client, shopper, settings):
    settings.SITE_URL = "https://opop.jatimprov.go.id"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("account_reset_password"), {"email": shopper.email}, HTTP_HOST="127.0.0.1:8017")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("[OPOP Jatim] ") and message.subject.count("[OPOP Jatim]") == 1
    assert message.body.startswith("Hello from OPOP Jatim!")
    assert "https://opop.jatimprov.go.id" in message.body
    assert_links_absolute(message.body)
