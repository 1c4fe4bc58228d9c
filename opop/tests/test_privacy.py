"""Display names, the sign-up and profile, the privacy notice, deletion requests and their queue (#17)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from opop.models import AuditEvent, DeletionRequest, User
from opop.privacy import deletion_request_create
from opop.services import DomainError
from opop.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- how a person is named --------------------------------------------------------------------------


def test_the_public_name_is_shortened_and_the_person_name_is_full():
    user = UserFactory(full_name="  Siti   Nur Rahmawati ", email="siti.nur@example.test")
    assert user.public_name == "Siti R." and user.get_short_name() == "Siti R."
    assert user.person_name == "Siti Nur Rahmawati" == str(user) == user.get_full_name()
    assert UserFactory(full_name="Bambang").public_name == "Bambang"


def test_without_a_name_the_fallback_is_stable_and_never_part_of_the_e_mail():
    user = UserFactory(full_name="", email="uji.pembeli.072944@example.test")
    with translation.override("en"):
        name = user.public_name
        assert re.fullmatch(r"OPOP shopper [0-9A-F]{4}", name)
        assert user.person_name == name == str(user) == user.get_full_name()
    assert User.objects.get(pk=user.pk).name_suffix == user.name_suffix
    for part in ("uji", "pembeli", "072944", "example"):
        assert part not in name.lower()


def test_the_template_filters(rf):
    from django.template import Context, Template

    user = UserFactory(full_name="Siti Rahmawati")
    html = Template("{{ u|public_name }}|{{ u|person_name }}|{{ none|person_name }}|{{ d|masked_date }}").render(
        Context({"u": user, "none": None, "d": __import__("datetime").date(2008, 3, 1)})
    )
    assert html == "Siti R.|Siti Rahmawati||••/••/2008"


# --- sign-up and profile ----------------------------------------------------------------------------


def test_sign_up_asks_the_display_name_and_a_phone_normalised_to_plus_62(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="full_name"' in page and 'name="phone"' in page
    assert reverse("opop:privacy_notice") in page
    response = client.post(
        reverse("account_signup"),
        {
            "email": "siti.baru@example.test",
            "full_name": "Siti  Rahma",
            "phone": "0812-3456-7890",
            "password1": "Kopi-Bululawang-99",
            "password2": "Kopi-Bululawang-99",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="siti.baru@example.test")
    assert (user.full_name, user.phone) == ("Siti Rahma", "+6281234567890")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("name", "phone"), [("", "08123456789"), ("siti@example.test", "08123456789"), ("Siti", "12345")]
)
def test_sign_up_refuses_a_missing_name_an_e_mail_as_name_or_a_bad_phone(client, name, phone):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "x@example.test",
            "full_name": name,
            "phone": phone,
            "password1": "Kopi-Bululawang-99",
            "password2": "Kopi-Bululawang-99",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(email="x@example.test").exists()


def test_the_profile_edits_the_display_name_and_the_phone(client, shopper):
    client.force_login(shopper)
    page = client.get(reverse("opop:profile")).content.decode()
    assert reverse("opop:data_export") in page and reverse("opop:deletion_request") in page
    response = client.post(reverse("opop:profile"), {"full_name": "Siti Aminah", "phone": "+62 812 9988 7766"})
    assert response.status_code == 302
    shopper.refresh_from_db()
    assert (shopper.full_name, shopper.phone) == ("Siti Aminah", "+6281299887766")
    assert client.post(reverse("opop:profile"), {"full_name": "", "phone": ""}).status_code == 200


def test_the_privacy_notice_is_public_in_both_languages_and_linked_from_the_footer(client):
    for language in ("id", "en"):
        response = client.get(reverse("opop:privacy_notice"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
    with translation.override("en"):
        body = client.get(reverse("opop:privacy_notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Diskop" in body and "privasi@" in body
    home = client.get(reverse("home")).content.decode()
    assert reverse("opop:privacy_notice") in home


# --- deletion requests ------------------------------------------------------------------------------


def test_a_deletion_request_from_the_profile_has_a_deadline_and_is_audited(client, shopper, settings):
    settings.PRIVACY_DELETION_DEADLINE_DAYS = 30
    client.force_login(shopper)
    assert client.post(reverse("opop:deletion_request"), {"reason": "x"}).status_code == 302
    assert not DeletionRequest.objects.exists()  # the box was not ticked
    client.post(reverse("opop:deletion_request"), {"reason": "Tidak dipakai", "confirm": "on"})
    request = DeletionRequest.objects.get()
    assert request.user == shopper and request.status == DeletionRequest.Status.PENDING
    assert 29 <= (request.due_at - request.created_at).days <= 30
    assert AuditEvent.objects.filter(action="personal_data.deletion_requested", actor=shopper).count() == 1
    client.post(reverse("opop:deletion_request"), {"confirm": "on"})
    assert DeletionRequest.objects.count() == 1
    with pytest.raises(DomainError):
        deletion_request_create(user=shopper)
    client.post(reverse("opop:deletion_withdraw"))
    request.refresh_from_db()
    assert request.status == DeletionRequest.Status.WITHDRAWN
    assert client.post(reverse("opop:deletion_withdraw")).status_code == 404


def test_the_queue_is_for_province_wide_staff(client, shopper, province_staff, jombang_staff, admin_a):
    deletion_request_create(user=shopper)
    for user, status in ((shopper, 403), (jombang_staff, 403), (admin_a, 403), (province_staff, 200)):
        client.force_login(user)
        assert client.get(reverse("opop:deletion_queue")).status_code == status
    page = client.get(reverse("opop:deletion_queue")).content.decode()
    assert shopper.full_name in page and shopper.email not in page


def test_the_queue_costs_the_same_for_one_and_fifty_requests(client, province_staff, django_assert_max_num_queries):
    client.force_login(province_staff)
    deletion_request_create(user=UserFactory())
    client.get(reverse("opop:deletion_queue"))
    with django_assert_max_num_queries(8) as one:
        client.get(reverse("opop:deletion_queue"))
    for _ in range(49):
        deletion_request_create(user=UserFactory())
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("opop:deletion_queue"))
    assert len(response.context["page"].object_list) == 50


def test_processing_from_the_queue_erases_the_account(client, shopper, province_staff, jombang_staff):
    request = deletion_request_create(user=shopper)
    url = reverse("opop:deletion_process", args=[request.pk])
    client.force_login(jombang_staff)
    assert client.post(url, {"confirm": "erase"}).status_code == 403
    client.force_login(province_staff)
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.status == DeletionRequest.Status.PENDING  # not confirmed
    assert client.post(url, {"confirm": "erase"}).status_code == 302
    request.refresh_from_db()
    assert request.status == DeletionRequest.Status.COMPLETED
    assert User.objects.get(pk=shopper.pk).email == f"deleted-{shopper.pk}@invalid"
    assert client.post(reverse("opop:deletion_process", args=[999999]), {"confirm": "erase"}).status_code == 404


def test_the_nav_shows_the_queue_to_province_staff_only(client, province_staff, jombang_staff):
    client.force_login(province_staff)
    assert reverse("opop:deletion_queue") in client.get(reverse("home")).content.decode()
    client.force_login(jombang_staff)
    assert reverse("opop:deletion_queue") not in client.get(reverse("home")).content.decode()
