"""The data subject's rights on OPOP Mart's data: the own-data download and the erasure (opop.privacy).

What is erased: name, phone, e-mail (→ deleted-<id>@invalid), addresses, the cart, review photos, the
password and login, memberships. What is kept: orders with their recipient details (bookkeeping retention),
order timelines, review texts and stars under "Deleted user", audit events.
"""

import json
import zipfile
from io import BytesIO

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from marketplace.models import Address, CartItem, Order, OrderEvent
from marketplace.orders.reviews import review_create
from marketplace.tests.factories import AddressFactory, image_upload
from marketplace.tests.helpers import place
from marketplace.tests.test_orders import walk_to
from opop.models import AuditEvent, DeletionRequest, Membership, User
from opop.privacy import deletion_request_create, user_erase
from opop.services import DomainError

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture
def history(shopper, address, product_a, admin_a):
    """The shopper's completed order with a reviewed line (with a photo), a second address and a cart line."""
    (order,) = place(shopper, [(product_a, 2)], address=address)
    walk_to(order, S.COMPLETED, seller=admin_a, buyer=shopper)
    review = review_create(
        buyer=shopper, order_item=order.items.get(), rating=5, text="Sarungnya halus", photo=image_upload()
    )
    AddressFactory(user=shopper, label="Kantor", street="Jl. Kantor 1")
    from marketplace.cart.services import cart_set

    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    return {"order": order, "review": review}


def test_the_own_data_download_holds_profile_addresses_orders_with_lines_and_reviews(client, shopper, history):
    client.force_login(shopper)
    response = client.get(reverse("opop:data_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == shopper.email and data["profile"]["display_name"] == shopper.full_name
    assert {a["label"] for a in data["addresses"]} == {"Rumah", "Kantor"}
    (order,) = data["orders"]
    assert order["number"] == history["order"].number and order["total"] == history["order"].total
    assert order["lines"] == [
        {
            "product": "Sarung Tenun Darul Ulum",
            "variant": "",
            "unit_price": 120000,
            "quantity": 2,
            "line_total": 240000,
        }
    ]
    assert data["reviews"][0]["text"] == "Sarungnya halus" and data["reviews"][0]["has_photo"] is True
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == shopper and event.data["format"] == "json" and event.data["rows"] >= 4


def test_the_csv_zip_has_one_file_per_section(client, shopper, history):
    client.force_login(shopper)
    response = client.get(reverse("opop:data_export"), {"format": "zip"})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(BytesIO(response.content))
    assert {"profile.csv", "addresses.csv", "orders.csv", "reviews.csv", "memberships.csv"} <= set(archive.namelist())
    assert all(archive.read(name).startswith("\ufeff".encode()) for name in archive.namelist())  # Excel reads UTF-8
    orders = archive.read("orders.csv").decode("utf-8-sig")
    assert history["order"].number in orders and "Sarung Tenun Darul Ulum" in orders
    assert AuditEvent.objects.filter(action="personal_data.exported", actor=shopper, data__format="zip").exists()


def test_erasure_removes_the_person_and_keeps_the_records_the_law_requires(
    shopper, history, province_staff, store_a, django_capture_on_commit_callbacks
):
    order, review = history["order"], history["review"]
    photo_name = review.photo.name
    storage = review.photo.storage
    assert storage.exists(photo_name)
    recipient = (order.recipient_name, order.recipient_phone, order.shipping_address)
    events_before = OrderEvent.objects.filter(order=order).count()
    request = deletion_request_create(user=shopper, reason="Tidak dipakai lagi")

    with django_capture_on_commit_callbacks(execute=True):
        erased = user_erase(actor=province_staff, request=request)

    user = User.objects.get(pk=shopper.pk)
    # erased
    assert (user.full_name, user.phone, user.email) == ("", "", f"deleted-{user.pk}@invalid")
    assert not user.is_active and not user.has_usable_password() and user.erased_at is not None
    assert not Address.objects.filter(user=user).exists() and not CartItem.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    review.refresh_from_db()
    assert review.photo.name == "" and not storage.exists(photo_name)
    # kept, pointing to the anonymised person
    order.refresh_from_db()
    assert order.buyer_id == user.pk and (order.recipient_name, order.recipient_phone, order.shipping_address) == (
        recipient
    )
    assert OrderEvent.objects.filter(order=order).count() == events_before
    assert review.text == "Sarungnya halus" and review.rating == 5 and review.buyer_id == user.pk
    assert user.public_name == user.person_name == str(user) == "Deleted user"
    request.refresh_from_db()
    assert request.status == DeletionRequest.Status.COMPLETED and request.processed_by == province_staff
    event = AuditEvent.objects.get(action="personal_data.erased")
    assert event.actor == province_staff and event.target_id == str(user.pk)
    assert event.data["erased"]["marketplace.addresses"] == 2 and event.data["erased"]["marketplace.review_photos"] == 1
    assert erased.pk == user.pk


def test_after_erasure_login_is_impossible_and_the_open_session_ends(shopper, history, province_staff):
    browser = Client()
    browser.force_login(shopper)
    assert browser.get(reverse("opop:profile")).status_code == 200
    user_erase(actor=province_staff, request=deletion_request_create(user=shopper))
    assert browser.get(reverse("opop:profile")).status_code == 302  # the session no longer logs anyone in
    fresh = Client()
    for login in (shopper.email, f"deleted-{shopper.pk}@invalid"):
        fresh.post(reverse("account_login"), {"login": login, "password": "sandi-rahasia-123"})
        assert "_auth_user_id" not in fresh.session


def test_the_old_order_and_review_show_the_anonymised_person(client, shopper, history, province_staff, admin_a):
    order, review = history["order"], history["review"]
    user_erase(actor=province_staff, request=deletion_request_create(user=shopper))
    client.force_login(admin_a)
    page = client.get(reverse("marketplace:seller_order_detail", args=[order.number])).content.decode()
    assert "Pengguna dihapus" in page or "Deleted user" in page
    assert "pembeli@opop.test" not in page and shopper.full_name not in page.replace(order.recipient_name, "")
    client.logout()
    product_page = client.get(review.product.get_absolute_url()).content.decode()
    assert "Sarungnya halus" in product_page
    assert "Pengguna dihapus" in product_page or "Deleted user" in product_page


def test_only_province_wide_staff_erase_and_only_a_waiting_request(
    shopper, history, jombang_staff, admin_a, province_staff
):
    request = deletion_request_create(user=shopper)
    for actor in (jombang_staff, admin_a, shopper):
        with pytest.raises(DomainError, match="province-wide"):
            user_erase(actor=actor, request=request)
    assert User.objects.get(pk=shopper.pk).is_active
    user_erase(actor=province_staff, request=request)
    with pytest.raises(DomainError, match="already processed"):
        user_erase(actor=province_staff, request=request)


def test_the_only_owner_of_an_organisation_hands_it_over_first(admin_a, store_a, province_staff):
    request = deletion_request_create(user=admin_a)
    with pytest.raises(DomainError, match="only owner"):
        user_erase(actor=province_staff, request=request)
    assert Membership.objects.filter(user=admin_a).exists() and User.objects.get(pk=admin_a.pk).is_active


def test_an_e_mail_to_another_party_names_the_sender_never_by_their_address(
    admin_a, store_a, django_capture_on_commit_callbacks
):
    from django.core import mail

    from marketplace.seller.team import invitation_send

    User.objects.filter(pk=admin_a.pk).update(full_name="")
    admin_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(store=store_a, email="calon.staf@example.test", role="staff", actor=admin_a)
    (message,) = mail.outbox
    assert message.to == ["calon.staf@example.test"]
    assert admin_a.email not in message.body and admin_a.email.split("@")[0] not in message.body
    assert admin_a.name_suffix in message.body
