"""Hostile input at every B2B form (attacked by tests/test_hostile_endpoints.py).

The world is the demo's: Darul Ulum (side A) buys, Sidogiri (side B) supplies; an open request with two
quotations, an awarded one whose PO has a received lot, a lot on its way, a proposed change and a paid invoice.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from opop.tests.hostile import Endpoint, Upload

WATCH = ("b2b", "opop")


def _open_rfq(world):
    return world.objects["b2b_open_rfq"]


def _rfq_form(world):
    today = timezone.localdate()
    return {
        "title": "Garam 300 kg",
        "alamat_provinsi": "35",
        "alamat_kabupaten": "35.17",
        "alamat_kecamatan": "35.17.10",
        "alamat_desa": "35.17.10.2002",
        "alamat_jalan": "Dapur pondok",
        "alamat_kodepos": "61481",
        "delivery_date": (today + timedelta(days=20)).isoformat(),
        "payment_terms": "transfer",
        "payment_days": "14",
        "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "audience": "open",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "20",
        "items-0-name": "Garam krosok",
        "items-0-category": str(world.objects["product"].category_id),
        "items-0-quantity": "300",
        "items-0-unit": "kg",
    }


def _offer_form(world):
    return {
        "category": str(world.objects["product"].category_id),
        "product_name": "Kurma curah",
        "unit": "kg",
        "min_quantity": "10",
        "price_per_unit": "60000",
        "capacity_per_month": "500",
        "delivery_areas": ["35.14", "35.17"],
        "is_active": "on",
    }


def _po(world):
    return world.objects["b2b_po"]


ENDPOINTS = [
    Endpoint("b2b:offer_create", "seller_b_owner", valid=_offer_form, fields=("delivery_areas",)),
    Endpoint("b2b:offer_edit", "seller_b_owner", fields=("delivery_areas", "price_per_unit")),
    Endpoint("b2b:profile", "seller_b_owner", valid={"nib": "9120300012345"}, fields=("nib", "contact_phone")),
    Endpoint(
        "b2b:rfq_create",
        "seller_a_owner",
        valid=_rfq_form,
        fields=("items-0-quantity", "items-0-category", "items-TOTAL_FORMS", "invited", "closes_at"),
    ),
    Endpoint(
        "b2b:rfq_cancel",
        "seller_a_owner",
        url=lambda world: reverse("b2b:rfq_cancel", args=[_open_rfq(world).pk]),
        valid={"reason": "Sudah panen sendiri"},
        fields=("reason",),
    ),
    Endpoint("b2b:rfq_award", "seller_a_owner", fields=("item_1",)),
    Endpoint(
        "b2b:quote",
        "seller_b_owner",
        fields=("delivery_date", "valid_until", "payment_days"),
    ),
    Endpoint(
        "b2b:quote_withdraw",
        "seller_b_owner",
        url=lambda world: reverse("b2b:quote_withdraw", args=[_open_rfq(world).pk]),
    ),
    Endpoint("b2b:po_confirm", "seller_b_owner", page="b2b:po_detail"),
    Endpoint("b2b:po_decline", "seller_b_owner", page="b2b:po_detail", valid={"reason": "Stok habis"}),
    Endpoint("b2b:po_revise", "seller_a_owner", valid={"reason": "Santri bertambah"}),
    Endpoint("b2b:revision_decide", "seller_a_owner", page="b2b:po_detail"),
    Endpoint(
        "b2b:delivery_create",
        "seller_b_owner",
        valid={"delivery_note": "SJ-9"},
        fields=("shipped_on",),
    ),
    Endpoint("b2b:delivery_receive", "seller_a_owner"),
    Endpoint("b2b:invoice_create", "seller_b_owner"),
    Endpoint(
        "b2b:invoice_pay",
        "seller_a_owner",
        page="b2b:invoice_detail",
        valid={"reference": "TRF-1", "proof": Upload("bukti.jpg", b"not an image", "image/jpeg")},
        uploads=("proof",),
    ),
    Endpoint("b2b:rate", "seller_a_owner", valid={"stars": "5"}, fields=("stars", "comment")),
]
