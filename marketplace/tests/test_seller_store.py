from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.cart.services import cart_set
from marketplace.models import Product, ShippingRate, Store, StoreInvitation
from marketplace.seller import team
from marketplace.tests.helpers import place
from opop.models import AuditEvent, Membership
from opop.services import DomainError
from opop.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(pesantren_a, store_a):
    return MembershipFactory(organisation=pesantren_a, role="staff", user__email="staf.toko@opop.test").user


def settings_data(**extra):
    data = {
        "name": "Koppontren Darul Ulum",
        "description": "Toko resmi pondok.",
        "pickup_address": "Jl. Pesantren 1, Rejoso, Peterongan, Jombang",
        "allows_pickup": "on",
        "opening_hours": "Sabtu-Kamis 08.00-16.00",
        "default_shipping_rate": 45000,
        "order_expiry_hours": 12,
        "holiday_message": "",
    }
    data.update(extra)
    return data


def test_store_settings_shipping_rates_and_expiry(client, admin_a, store_a, shopper, address, product_a):
    client.force_login(admin_a)
    client.post(reverse("marketplace:seller_settings"), settings_data())
    store_a.refresh_from_db()
    assert store_a.opening_hours == "Sabtu-Kamis 08.00-16.00" and store_a.order_expiry_hours == 12
    client.post(reverse("marketplace:seller_shipping_rate"), {"kabupaten_kota": "35.78", "price": 18000})
    client.post(reverse("marketplace:seller_shipping_rate"), {"kabupaten_kota": "35.78", "price": 19000})
    assert list(store_a.shipping_rates.values_list("kabupaten_kota_id", "price")) == [("35.78", 19000)]
    (order,) = place(shopper, [(product_a, 1)], address=address)  # address in Surabaya (35.78)
    assert order.shipping_cost == 19000
    assert timedelta(hours=11, minutes=59) < order.expires_at - timezone.now() <= timedelta(hours=12)
    rate = ShippingRate.objects.get(store=store_a)
    client.post(reverse("marketplace:seller_shipping_rate"), {"delete": rate.pk})
    assert not ShippingRate.objects.exists()
    response = client.post(reverse("marketplace:seller_settings"), settings_data(order_expiry_hours=0))
    assert response.context["form"].errors["order_expiry_hours"]


def test_holiday_mode_shows_products_but_refuses_orders(client, admin_a, store_a, product_a, shopper, address):
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    client.force_login(admin_a)
    client.post(
        reverse("marketplace:seller_settings"),
        settings_data(is_on_holiday="on", holiday_message="Libur Idul Fitri sampai 10 April."),
    )
    client.force_login(shopper)
    page = client.get(product_a.get_absolute_url())
    assert page.status_code == 200 and "Libur Idul Fitri" in page.content.decode()
    fresh = Product.objects.select_related("store").get(pk=product_a.pk)
    with translation.override("en"), pytest.raises(DomainError, match="holiday"):
        cart_set(user=shopper, session={}, product=fresh, variant=None, quantity=2)
    with translation.override("en"), pytest.raises(DomainError, match="holiday"):
        place(shopper, [], address=address)


def test_only_owners_change_the_bank_account(client, admin_a, staff, store_a):
    data = {"bank_name": "BSI", "bank_account_number": "7012345678", "bank_account_name": "Koppontren DU"}
    client.force_login(staff)
    assert client.get(reverse("marketplace:seller_bank")).status_code == 404
    assert client.post(reverse("marketplace:seller_bank"), data).status_code == 404
    # a staff member cannot sneak the bank fields through the general settings form either
    client.post(reverse("marketplace:seller_settings"), settings_data(bank_account_number="999"))
    assert Store.objects.get(pk=store_a.pk).bank_account_number == "0123456789"
    assert client.get(reverse("marketplace:seller_team")).status_code == 404
    client.force_login(admin_a)
    client.post(reverse("marketplace:seller_bank"), data)
    assert Store.objects.get(pk=store_a.pk).bank_account_number == "7012345678"
    assert AuditEvent.objects.filter(action="marketplace.bank_account_changed").exists()
    response = client.post(reverse("marketplace:seller_bank"), {**data, "bank_account_number": "70-12"})
    assert Store.objects.get(pk=store_a.pk).bank_account_number == "7012345678"
    assert response.status_code == 200


def test_the_owner_invites_a_colleague_by_signed_link(client, admin_a, store_a, django_capture_on_commit_callbacks):
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("marketplace:seller_team"), {"email": "Ustadzah.Aminah@opop.test", "role": "staff"})
    invitation = StoreInvitation.objects.get()
    assert invitation.email == "ustadzah.aminah@opop.test"
    (message,) = mail.outbox
    link = next(word for word in message.body.split() if "/undangan/" in word)
    path = link[link.index("/mart/") :]
    stranger = UserFactory(email="orang.lain@opop.test")
    client.force_login(stranger)
    client.post(path)
    assert not Membership.objects.filter(user=stranger).exists()  # the link is for another address
    aminah = UserFactory(email="ustadzah.aminah@opop.test")
    client.force_login(aminah)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=aminah, organisation=store_a.organisation).role == "staff"
    assert client.get(reverse("marketplace:seller_product_list")).status_code == 200
    assert client.get(path.replace(path.split("/")[-2], "rusak")).status_code == 400


def test_an_expired_or_withdrawn_invitation_is_refused(admin_a, store_a):
    invitation = team.invitation_send(store=store_a, email="a@opop.test", role="staff", actor=admin_a)
    token = team.invitation_token(invitation)
    user = UserFactory(email="a@opop.test")
    with pytest.raises(DomainError, match="expired"):
        from unittest import mock

        with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 8 * 86400):
            team.invitation_accept(token=token, user=user)
    StoreInvitation.objects.filter(pk=invitation.pk).update(revoked=True)
    with pytest.raises(DomainError, match="withdrawn"):
        team.invitation_accept(token=token, user=user)


def test_roles_and_removal_keep_one_owner(client, admin_a, staff, store_a):
    client.force_login(admin_a)
    owner = Membership.objects.get(user=admin_a)
    helper = Membership.objects.get(user=staff)
    client.post(reverse("marketplace:seller_team_member", args=[owner.pk, "role"]), {"role": "staff"})
    assert Membership.objects.get(pk=owner.pk).role == "owner"  # the last owner stays
    client.post(reverse("marketplace:seller_team_member", args=[helper.pk, "role"]), {"role": "owner"})
    assert Membership.objects.get(pk=helper.pk).role == "owner"
    client.post(reverse("marketplace:seller_team_member", args=[helper.pk, "remove"]))
    assert not Membership.objects.filter(pk=helper.pk).exists()


def test_foreign_team_rows_answer_404(client, admin_a, store_a, admin_b, store_b):
    other = Membership.objects.get(user=admin_b)
    invitation = team.invitation_send(store=store_b, email="x@opop.test", role="staff", actor=admin_b)
    client.force_login(admin_a)
    assert client.post(reverse("marketplace:seller_team_member", args=[other.pk, "remove"])).status_code == 404
    assert client.post(reverse("marketplace:seller_invitation_withdraw", args=[invitation.pk])).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
    assert not StoreInvitation.objects.get(pk=invitation.pk).revoked


def test_checkout_with_a_holiday_store_in_the_cart_goes_back_to_the_cart(client, shopper, address, product_a, store_a):
    cart_set(user=shopper, session={}, product=product_a, variant=None, quantity=1)
    Store.objects.filter(pk=store_a.pk).update(is_on_holiday=True, holiday_message="Libur pondok.")
    client.force_login(shopper)
    response = client.get(reverse("marketplace:checkout"))
    assert response.status_code == 302 and response["Location"] == reverse("marketplace:cart")


def test_the_seller_centre_is_in_the_navigation_of_sellers_only(client, shopper, admin_a, store_a, jombang_staff):
    url = reverse("marketplace:seller_dashboard")
    for user, shown in ((admin_a, True), (shopper, False), (jombang_staff, False)):
        client.force_login(user)
        links = [item.url for item in client.get(reverse("marketplace:cart")).context["nav_items"]]
        assert (url in links) is shown, user


def test_the_logo_is_validated_and_resized(client, admin_a, store_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from marketplace.tests.factories import image_upload

    client.force_login(admin_a)
    response = client.post(
        reverse("marketplace:seller_settings"),
        {**settings_data(), "logo_upload": SimpleUploadedFile("logo.jpg", b"bukan gambar", content_type="image/jpeg")},
    )
    assert response.context["form"].errors["logo_upload"]
    client.post(reverse("marketplace:seller_settings"), {**settings_data(), "logo_upload": image_upload(800, 800)})
    store_a.refresh_from_db()
    assert store_a.logo.name.endswith(".webp") and store_a.logo.width == 160


def test_a_seller_of_two_stores_switches_between_them(client, admin_a, store_a, pesantren_b, store_b):
    from opop.services import membership_add

    membership_add(organisation=pesantren_b, user=admin_a, role="staff")
    client.force_login(admin_a)
    assert client.get(reverse("marketplace:seller_dashboard")).context["store"] in (store_a, store_b)
    client.get(reverse("marketplace:seller_choose_store", args=[store_b.pk]))
    assert client.get(reverse("marketplace:seller_dashboard")).context["store"] == store_b
    assert client.get(reverse("marketplace:seller_bank")).status_code == 404  # staff there, not owner
    client.get(reverse("marketplace:seller_choose_store", args=[store_a.pk]))
    assert client.get(reverse("marketplace:seller_bank")).status_code == 200
