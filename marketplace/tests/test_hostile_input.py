"""Hostile input at every OPOP Mart form and POST endpoint: catalogue, cart, checkout, orders, reviews, payments
and the seller centre (attacked by tests/test_hostile_endpoints.py); the gateway webhook is attacked here."""

import json

import pytest
from django.urls import reverse
from hypothesis import strategies as st

from opop.tests.hostile import Endpoint, Upload, assert_rejects_cleanly, json_bodies, models_of
from opop.tests.hostile_files import image_bytes

WATCH = ("marketplace", "opop")


def _fill_cart(client, world):
    product = world.objects["product"]
    client.post(reverse("marketplace:cart_add", args=[product.slug]), {"quantity": product.min_order})


def _order_action(action: str):
    return lambda world: reverse("marketplace:order_action", args=[world.objects["order"].number, action])


def _seller_order_action(action: str):
    return lambda world: reverse("marketplace:seller_order_action", args=[world.objects["order"].number, action])


def _requested_payout(action: str):
    def url(world):
        from marketplace.models import Payout

        payout = Payout.objects.filter(store=world.objects["store"], status=Payout.Status.REQUESTED).first()
        return reverse("marketplace:finance_payout_action", args=[payout.pk, action])

    return url


def _cart_key(world) -> str:
    return reverse("marketplace:cart_update", args=[str(world.objects["product"].pk)])


PRODUCT = {
    "name": "Kopi Robusta Santri 250 g",
    "price": "45000",
    "weight_grams": "250",
    "min_order": "1",
    "low_stock_threshold": "5",
    "opening_stock": "10",
    "description": "Kopi robusta dari kebun santri.",
}

ENDPOINTS = [
    # Shopping
    Endpoint("marketplace:cart_add", "shopper", page="marketplace:product", fields=("quantity", "variant")),
    Endpoint(
        "marketplace:cart_update",
        "shopper",
        url=_cart_key,
        fields=("quantity", "remove"),
        prepare=_fill_cart,
        valid={"quantity": "2"},
    ),
    Endpoint(
        "marketplace:checkout",
        "shopper",
        prepare=_fill_cart,
        fields=("address", "on_behalf_of", "place"),
        valid={"place": "1"},
    ),
    Endpoint(
        "marketplace:address_create",
        "shopper",
        valid={
            "label": "Rumah",
            "recipient_name": "Siti",
            "phone": "081234567890",
            "alamat_provinsi": "35",
            "alamat_kabupaten": "35.17",
            "alamat_kecamatan": "35.17.09",
            "alamat_desa": "35.17.09.1006",
            "alamat_jalan": "Jl. Merdeka 1",
            "alamat_kodepos": "61411",
        },
    ),
    Endpoint(
        "marketplace:address_update",
        "shopper",
        valid={
            "alamat_provinsi": "35",
            "alamat_kabupaten": "35.17",
            "alamat_kecamatan": "35.17.10",
            "alamat_desa": "35.17.10.2002",
            "alamat_kodepos": "61481",
        },
        fields=("wilayah_pilih",),
    ),
    Endpoint("marketplace:order_action", "shopper", url=_order_action("cancel"), fields=("x",)),
    Endpoint("marketplace:order_action[refund]", "shopper", url=_order_action("refund"), fields=("reason",)),
    Endpoint(
        "marketplace:order_action[proof]",
        "shopper",
        url=_order_action("proof"),
        valid={"proof": Upload("bukti.jpg", image_bytes(600, 800), "image/jpeg")},
        uploads=("proof",),
    ),
    Endpoint(
        "marketplace:review_add",
        "shopper",
        fields=("rating", "text"),
        valid={"rating": "5", "text": "Mantap"},
        uploads=("photo",),
    ),
    Endpoint("marketplace:sandbox_pay", "shopper", fields=("x",)),
    # Seller centre
    Endpoint(
        "marketplace:seller_product_create",
        "seller_a_owner",
        valid=lambda world: {**PRODUCT, "category": str(world.objects["product"].category_id)},
    ),
    Endpoint("marketplace:seller_product_edit", "seller_a_owner", fields=("halal_changed", "halal_change_note")),
    Endpoint("marketplace:seller_product_publish", "seller_a_owner", fields=("publish", "next")),
    Endpoint("marketplace:seller_product_duplicate", "seller_a_owner", fields=("x",)),
    Endpoint(
        "marketplace:seller_photo_add",
        "seller_a_owner",
        valid={"photo": Upload("foto.jpg", image_bytes(800, 600), "image/jpeg")},
        uploads=("photo",),
    ),
    Endpoint("marketplace:seller_photo_action", "seller_a_owner", fields=("x",)),
    Endpoint(
        "marketplace:seller_variant_add",
        "seller_a_owner",
        page="marketplace:seller_product_edit",
        fields=("name", "price", "stock"),
        valid={"name": "500 g", "price": "80000", "stock": "3"},
        url=lambda world: reverse("marketplace:seller_variant_add", args=[world.objects["product"].pk]),
    ),
    Endpoint(
        "marketplace:seller_variant_action",
        "seller_a_owner",
        fields=("name", "price", "stock"),
        valid={"name": "1 kg", "price": "150000"},
        url=lambda world: reverse(
            "marketplace:seller_variant_action",
            args=[world.objects["variant"].product_id, world.objects["variant"].pk, "save"],
        ),
    ),
    Endpoint(
        "marketplace:seller_tier_add",
        "seller_a_owner",
        fields=("min_quantity", "unit_price"),
        valid={"min_quantity": "10", "unit_price": "40000"},
    ),
    Endpoint("marketplace:seller_tier_delete", "seller_a_owner", fields=("x",)),
    Endpoint(
        "marketplace:seller_stock_change",
        "seller_a_owner",
        fields=("action", "quantity", "reason", "variant", "next"),
        valid=lambda world: {"action": "restock", "quantity": "5", "variant": str(world.objects["variant"].pk)},
    ),
    Endpoint("marketplace:seller_order_action", "seller_a_owner", fields=("reason", "courier", "tracking_number")),
    Endpoint(
        "marketplace:seller_order_action[ship]",
        "seller_a_owner",
        url=_seller_order_action("ship"),
        fields=("courier", "tracking_number"),
        valid={"courier": "JNE", "tracking_number": "JNE123"},
    ),
    Endpoint("marketplace:seller_settings", "seller_a_owner", uploads=("logo_upload",)),
    Endpoint(
        "marketplace:seller_shipping_rate",
        "seller_a_owner",
        page="marketplace:seller_settings",
        fields=("kabupaten_kota", "price", "delete"),
        valid={"kabupaten_kota": "35.17", "price": "15000"},
    ),
    Endpoint(
        "marketplace:seller_shipping_services",
        "seller_a_owner",
        page="marketplace:seller_settings",
        fields=("kind", "zone", "min_subtotal", "price", "service", "remove_rule", "services"),
        valid={"kind": "free", "zone": "same_city", "min_subtotal": "100000"},
    ),
    Endpoint("marketplace:seller_bank", "seller_a_owner"),
    Endpoint("marketplace:seller_origin", "seller_a_owner"),
    Endpoint("marketplace:seller_team", "seller_a_owner", valid={"email": "staf.baru@opop.test", "role": "staff"}),
    Endpoint(
        "marketplace:seller_team_member",
        "seller_a_owner",
        fields=("role",),
        valid={"role": "staff"},
        url=lambda world: reverse("marketplace:seller_team_member", args=[world.objects["team_member"].pk, "role"]),
    ),
    Endpoint("marketplace:seller_invitation_withdraw", "seller_a_owner", fields=("x",)),
    Endpoint("marketplace:seller_bulk", "seller_a_owner", fields=("apply", "rows"), uploads=("file",)),
    # Listing curation
    Endpoint("marketplace:seller_held_photo_delete", "seller_a_owner", fields=("x",)),
    Endpoint("marketplace:curation_approve", "staff_province", fields=("x",)),
    Endpoint(
        "marketplace:curation_reject",
        "staff_province",
        page="marketplace:curation_queue",
        fields=("reason",),
        valid={"reason": "Foto produk buram."},
    ),
    Endpoint(
        "marketplace:curation_rules",
        "staff_province",
        fields=("category_slug", "requires_curation", "effective_from", "effective_until", "note"),
        valid={"category_slug": "kerajinan", "requires_curation": "on", "effective_from": "2026-12-01"},
    ),
    Endpoint(
        "marketplace:curation_rule_edit",
        "staff_province",
        fields=("category_slug", "requires_curation", "effective_from", "effective_until", "note"),
    ),
    # Browsing: the search and filter forms are GET forms
    Endpoint(
        "marketplace:search",
        "shopper",
        method="get",
        fields=("q", "category", "min_price", "max_price", "kabupaten_kota", "halal", "sort", "page"),
    ),
    Endpoint(
        "marketplace:seller_order_list",
        "seller_a_owner",
        method="get",
        fields=("created_from", "created_to", "payment_method", "q", "status", "page"),
    ),
    Endpoint("marketplace:seller_sales", "seller_a_owner", method="get", fields=("start", "end", "group", "export")),
    # Store balance: the owner's withdrawal form, and finance decisions (the superuser stands in for finance staff)
    Endpoint(
        "marketplace:seller_payout_request",
        "seller_a_owner",
        page="marketplace:seller_balance",
        valid={"password": "opop-demo-2026", "amount": "50000"},
        fields=("amount", "password", "request_key"),
    ),
    Endpoint("marketplace:finance_payout_action", "superuser", fields=("reason", "bank_reference")),
    Endpoint(
        "marketplace:finance_payout_action[reject]",
        "superuser",
        url=_requested_payout("reject"),
        valid={"reason": "Nama rekening tidak cocok"},
        fields=("reason",),
    ),
]

# JSON endpoints, attacked by the test below with bodies instead of forms.
# Opening a store: the owner's application (a verified demo pesantren without a store, by its owner) and the
# deciders' approve / return (the demo's request, decided by province-wide Diskop staff).
STORELESS_PESANTREN = "Pondok Pesantren Miftahul Huda Sananwetan"


def _storeless_owner(world):
    from opop.models import Membership

    return Membership.objects.get(organisation__name=STORELESS_PESANTREN, role="owner").user


def _storeless_form(world) -> str:
    from opop.models import Organisation

    return reverse("marketplace:seller_open", args=[Organisation.objects.get(name=STORELESS_PESANTREN).slug])


def _store_request(action: str):
    from marketplace.models import StoreApplication

    return lambda world: reverse(
        "marketplace:store_request_decide", args=[StoreApplication.objects.order_by("pk").first().pk, action]
    )


ENDPOINTS += [
    Endpoint(
        "marketplace:seller_open",
        "seller_a_owner",
        as_user=_storeless_owner,
        url=_storeless_form,
        valid={
            "name": "Toko Hostile",
            "slug": "toko-hostile",
            "alamat_provinsi": "35",
            "alamat_kabupaten": "35.17",
            "alamat_kecamatan": "35.17.10",
            "alamat_desa": "35.17.10.2002",
            "alamat_jalan": "Jl. Pesantren 1",
            "alamat_kodepos": "61481",
            "bank_name": "Bank Jatim Syariah",
            "bank_account_number": "0123456789",
            "bank_account_name": "Koppontren",
            "action": "submit",
        },
        fields=("action",),
        uploads=("logo_upload",),
    ),
    Endpoint(
        "marketplace:store_request_decide",
        "staff_province",
        page="marketplace:store_request_detail",
        url=_store_request("return"),
        fields=("reason",),
    ),
    Endpoint(
        "marketplace:store_request_decide[approve]",
        "staff_province",
        page="marketplace:store_request_detail",
        url=_store_request("approve"),
        fields=("x",),
    ),
]

JSON_ENDPOINTS = ["marketplace:gateway_webhook", "marketplace:courier_webhook"]


@pytest.mark.django_db
def test_the_gateway_webhook_answers_a_clear_4xx_to_any_malformed_body(client):
    """Signed garbage (the signature is right, the body is not a callback) and unsigned garbage alike."""
    from marketplace.payments.sandbox import SIGNATURE_HEADER, sign

    url = reverse("marketplace:gateway_webhook")
    watched = models_of("marketplace")
    callbacks = st.fixed_dictionaries(
        {},
        optional={
            "transaction_id": st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.integers())),
            "amount": st.one_of(st.integers(-(10**30), 10**30), st.text(max_size=20), st.floats(), st.none()),
            "status": st.one_of(st.sampled_from(["paid", "failed", ""]), st.text(max_size=10)),
        },
    ).map(lambda d: json.dumps(d).encode())

    for signing in (True, False):
        assert_rejects_cleanly(
            client,
            url,
            st.one_of(json_bodies(), callbacks),
            watched,
            content_type="application/json",
            headers=None,
            label="marketplace:gateway_webhook",
            rejects_on_200=False,
            expect_json=True,
            sign=sign if signing else None,
            signature_header=SIGNATURE_HEADER,
        )


@pytest.mark.django_db
def test_the_courier_webhook_answers_a_clear_4xx_to_any_malformed_body(client):
    """Signed garbage and unsigned garbage at the tracking webhook: a 400 or 403 with JSON, never a 500."""
    from marketplace.shipping.sandbox import SIGNATURE_HEADER, sign

    events = st.fixed_dictionaries(
        {},
        optional={
            "event_id": st.one_of(st.text(max_size=120), st.integers(), st.none(), st.lists(st.integers())),
            "awb": st.one_of(st.text(max_size=20), st.integers(), st.none()),
            "status": st.one_of(st.sampled_from(["picked_up", "delivered", ""]), st.text(max_size=10)),
            "happened_at": st.one_of(st.text(max_size=30), st.integers(), st.sampled_from(["2026-13-45T99:00"])),
        },
    ).map(lambda d: json.dumps(d).encode())
    for signing in (True, False):
        assert_rejects_cleanly(
            client,
            reverse("marketplace:courier_webhook"),
            st.one_of(json_bodies(), events),
            models_of("marketplace"),
            content_type="application/json",
            headers=None,
            label="marketplace:courier_webhook",
            rejects_on_200=False,
            expect_json=True,
            sign=sign if signing else None,
            signature_header=SIGNATURE_HEADER,
        )


# --- The 500s the hostile tests found, pinned one by one ----------------------------------------------------


@pytest.mark.django_db
def test_a_shipping_rate_id_that_is_not_a_number_is_refused_with_a_message(client, store_a, admin_a):
    from marketplace.models import ShippingRate

    client.force_login(admin_a)
    before = ShippingRate.objects.count()
    response = client.post(reverse("marketplace:seller_shipping_rate"), {"delete": "' OR '1'='1"}, follow=True)
    assert response.status_code == 200 and "Tarif ongkir itu tidak ada." in response.content.decode()
    assert ShippingRate.objects.count() == before


@pytest.mark.django_db
def test_next_may_only_lead_to_a_path_on_this_site(client, store_a, admin_a, product_a):
    client.force_login(admin_a)
    url = reverse("marketplace:seller_product_publish", args=[product_a.pk])
    for hostile in ["' OR '1'='1", "https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = client.post(url, {"publish": "1", "next": hostile})
        assert response.status_code == 302 and response["Location"] == reverse("marketplace:seller_product_list")
    response = client.post(url, {"publish": "1", "next": "/mart/penjual/stok/"})
    assert response["Location"] == "/mart/penjual/stok/"


@pytest.mark.django_db
def test_the_webhook_refuses_a_signed_but_malformed_body_with_json(client):
    from marketplace.payments.sandbox import SIGNATURE_HEADER, sign

    for body in [b"", b"[]", b'{"transaction_id": [1], "amount": "1e999", "status": "paid"}', b"\xff\xfe"]:
        response = client.post(
            reverse("marketplace:gateway_webhook"),
            body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: sign(body)},
        )
        assert response.status_code == 400 and response.json()["error"] == "rejected"
    response = client.post(reverse("marketplace:gateway_webhook"), b"{}", content_type="application/json")
    assert response.status_code == 403 and response.json()["error"] == "invalid_signature"
