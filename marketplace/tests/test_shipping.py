"""Shipping at checkout and after (issue #20): the per-store service choice re-quoted on the server, cash only with
pickup, the ready-to-ship state, booking, the label, the signed and idempotent tracking webhook, the poll, who
may see what, and the query counts of the pages."""

import base64
import json
import re
import uuid
from datetime import timedelta

import pytest
from barcode.charsets.code128 import CODES, STOP
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, Product, Shipment, ShipmentEvent, ShipmentStatus
from marketplace.orders import services as order_services
from marketplace.orders import states
from marketplace.orders.services import orders_auto_complete
from marketplace.payments.services import seller_confirm_payment
from marketplace.shipping import sandbox
from marketplace.shipping.base import CourierRefused
from marketplace.shipping.label import code128_data_uri
from marketplace.shipping.services import shipment_book, shipment_booking_cancel, shipments_poll
from marketplace.tasks import poll_shipments
from marketplace.tests.helpers import place
from opop.models import AuditEvent
from opop.services import DomainError

pytestmark = pytest.mark.django_db
S = Order.Status
St = ShipmentStatus
B, SE, SY = states.BUYER, states.SELLER, states.SYSTEM


# ---------------------------------------------------------------- the state machine, against its own table

# Written out by hand from the issue: every allowed (from, to) and who may make it. Anything else is refused.
ALLOWED = {
    ("awaiting_payment", "paid"): {SE, SY},
    ("awaiting_payment", "cancelled"): {B, SE, SY},
    ("paid", "processing"): {SE},
    ("paid", "cancelled"): {SE},
    ("paid", "refund_requested"): {B},
    ("processing", "cancelled"): {SE},
    ("processing", "ready_to_ship"): {SE},
    ("processing", "shipped"): {SE},
    ("processing", "delivered"): {SE},
    ("processing", "refund_requested"): {B},
    ("ready_to_ship", "shipped"): {SE, SY},
    ("ready_to_ship", "cancelled"): {SE},
    ("ready_to_ship", "refund_requested"): {B},
    ("shipped", "delivered"): {SE, SY},
    ("shipped", "completed"): {B, SY},
    ("shipped", "refund_requested"): {B},
    ("delivered", "completed"): {B, SY},
    ("delivered", "refund_requested"): {B},
    ("refund_requested", "refunded"): {SE},
    ("refund_requested", "paid"): {SE},
    ("refund_requested", "processing"): {SE},
    ("refund_requested", "ready_to_ship"): {SE},
    ("refund_requested", "shipped"): {SE},
    ("refund_requested", "delivered"): {SE},
}


def test_every_move_of_the_state_machine_with_ready_to_ship_against_an_independent_table():
    for frm in S.values:
        for to in S.values:
            for party in (B, SE, SY):
                expected = party in ALLOWED.get((frm, to), set())
                assert states.allowed(frm, to, party) is expected, (frm, to, party)
    assert S.READY_TO_SHIP.label == "Ready to ship"


# ---------------------------------------------------------------- checkout


@pytest.fixture
def two_stores(shopper, product_a, product_b):
    Product.objects.filter(pk__in=[product_a.pk, product_b.pk]).update(
        weight_grams=600
    )  # a: 2 x 600 g = 1.2 kg, charged as 2 kg


def _form(address, stores: dict, **extra):
    data = {"address": address.pk, "payment": "bank_transfer", "checkout_key": str(uuid.uuid4()), "place": "1"}
    data |= {f"delivery_{store.pk}": code for store, code in stores.items()}
    return data | extra


def test_the_shopper_picks_a_service_per_store_and_the_order_keeps_the_servers_quote(
    client, shopper, address, product_a, product_b, store_a, store_b, two_stores
):
    store_a.courier_services = ["jne_reg", "instant", "store_courier"]
    store_a.save()
    place_cart = [(product_a, 2), (product_b, 2)]
    for product, qty in place_cart:
        client.force_login(shopper)
        client.post(reverse("marketplace:cart_add", args=[product.slug]), {"quantity": qty})
    page = client.get(reverse("marketplace:checkout")).content.decode()
    assert 'data-price="22000"' in page  # JNE REG Jombang → Surabaya, 1.2 kg as 2 kg at Rp11.000
    assert 'data-price="20000"' in page  # SiCepat REG Pasuruan → Surabaya, 1.2 kg as 2 kg at Rp10.000
    assert "instant" not in re.findall(rf'name="delivery_{store_a.pk}" value="(\w+)"', page)  # not same city
    # A tampered form: made-up prices and totals are not read; the server quotes again.
    data = _form(address, {store_a: "jne_reg", store_b: "sicepat_reg"}, shipping_cost="1", price="1")
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 302
    a, b = Order.objects.filter(buyer=shopper).order_by("store_id")
    assert (a.shipping_service, a.shipping_service_name, a.shipping_cost) == ("jne_reg", "JNE REG", 22000)
    assert (a.shipping_days_min, a.shipping_days_max, a.shipping_weight_grams) == (2, 3, 1200)
    assert (b.shipping_service, b.shipping_cost, b.total) == ("sicepat_reg", 20000, 90000 + 20000)
    assert a.shipping_postal_code == address.postal_code == "60244"
    again = client.post(reverse("marketplace:checkout"), data)  # the same form again places nothing new
    assert again.status_code == 302 and Order.objects.filter(buyer=shopper).count() == 2


def test_without_script_the_submit_recomputes_before_placing(client, shopper, address, product_a, store_a):
    client.force_login(shopper)
    client.post(reverse("marketplace:cart_add", args=[product_a.slug]), {"quantity": 1})
    data = _form(address, {store_a: "jne_reg"}, shown_total="160000")  # the page showed its own delivery's total
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 200 and not Order.objects.exists()
    assert response.context["grand_total"] == 120000 + 11000  # now showing JNE REG's total
    assert b"Update totals" not in response.content  # no separate recalculate button
    response = client.post(reverse("marketplace:checkout"), data | {"shown_total": "131000"})
    assert response.status_code == 302 and Order.objects.get().shipping_cost == 11000


def test_a_service_the_store_cannot_send_that_way_is_refused(shopper, address, product_a, store_a):
    store_a.courier_services = ["instant", "jne_reg"]
    store_a.save()
    with pytest.raises(DomainError, match="cannot send this order that way"):
        place(
            shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "bank_transfer", "instant")}
        )
    with pytest.raises(DomainError, match="cannot send"):  # a service the store does not offer
        place(
            shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "bank_transfer", "jne_yes")}
        )
    assert not Order.objects.exists()


def test_instant_in_the_same_city_and_a_free_shipping_rule_at_checkout(shopper, address, product_a, store_a):
    address.kabupaten_kota_id = "35.17"  # the shopper lives in Jombang too
    address.save()
    store_a.courier_services = ["instant", "jne_reg"]
    store_a.shipping_rules = [
        {"kind": "free", "zone": "same_city", "min_subtotal": 100000, "price": 0, "service": "jne_reg"}
    ]
    store_a.save()
    (order,) = place(
        shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "bank_transfer", "instant")}
    )
    assert (order.shipping_service, order.shipping_cost, order.shipping_days_max) == ("instant", 25000, 0)
    (free,) = place(
        shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "bank_transfer", "jne_reg")}
    )
    assert (free.shipping_cost, free.shipping_courier_price, free.total) == (0, 9000, 120000)


@pytest.mark.parametrize("service", ["jne_reg", ""])
def test_cash_is_only_possible_with_pickup(shopper, address, product_a, store_a, service):
    with pytest.raises(DomainError, match="only possible when you pick"):
        place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "cash_on_pickup", service)})
    (order,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("pickup", "cash_on_pickup")})
    assert (order.shipping_service, order.shipping_cost) == ("pickup", 0)


def test_the_checkout_page_costs_a_fixed_number_of_queries(
    client, shopper, address, store_a, store_b, django_assert_max_num_queries
):
    from marketplace.tests.factories import ProductFactory

    client.force_login(shopper)
    for store in (store_a, store_b, store_a, store_b):
        product = ProductFactory(store=store, stock=10, min_order=1)
        client.post(reverse("marketplace:cart_add", args=[product.slug]), {"quantity": 1})
    with django_assert_max_num_queries(14):
        body = client.get(reverse("marketplace:checkout")).content.decode()
    assert body.count("data-price=") >= 2 * 5


# ---------------------------------------------------------------- booking and the label


@pytest.fixture
def processing(shopper, address, product_a, store_a, admin_a):
    (order,) = place(
        shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "bank_transfer", "jne_reg")}
    )
    seller_confirm_payment(order=order, actor=admin_a)
    order_services.order_start_processing(order=order, actor=admin_a)
    return order


@pytest.fixture
def seller(client, admin_a, store_a):
    client.force_login(admin_a)
    return client


def test_booking_returns_a_resi_and_the_order_waits_for_the_courier(seller, processing):
    response = seller.post(reverse("marketplace:seller_order_action", args=[processing.number, "book"]))
    assert response.status_code == 302
    processing.refresh_from_db()
    shipment = processing.shipment
    assert processing.status == S.READY_TO_SHIP and shipment.status == St.BOOKED
    assert re.fullmatch(r"JN\d{14}", shipment.awb) and processing.tracking_number == shipment.awb
    assert (processing.courier, shipment.courier, shipment.service, shipment.provider) == (
        "JNE REG",
        "JNE",
        "jne_reg",
        "sandbox",
    )
    assert (shipment.weight_grams, shipment.price) == (250, 11000)
    again = shipment_book(order=processing, actor=None)  # a double click books once
    assert again.pk == shipment.pk and Shipment.objects.count() == 1
    assert processing.events.filter(to_status=S.READY_TO_SHIP).count() == 1


def test_only_a_courier_service_of_an_order_being_processed_can_be_booked(
    shopper, address, product_a, store_a, admin_a, processing
):
    (own,) = place(shopper, [(product_a, 1)], address=address)  # the store's own delivery
    with pytest.raises(DomainError, match="own delivery"):
        shipment_book(order=own, actor=admin_a)
    (waiting,) = place(
        shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "bank_transfer", "jne_reg")}
    )
    with pytest.raises(DomainError, match="Accept the order"):
        shipment_book(order=waiting, actor=admin_a)
    (pickup,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("pickup", "cash_on_pickup")})
    with pytest.raises(DomainError, match="pickup order"):
        shipment_book(order=pickup, actor=admin_a)
    assert not Shipment.objects.exists()


def _modules(svg: str) -> str:
    """The bars of a python-barcode SVG as a string of modules (1 = bar), from the rectangles' positions."""
    bars = [(float(x), float(w)) for x, w in re.findall(r'<rect x="([\d.]+)mm" y="[\d.]+mm" width="([\d.]+)mm"', svg)]
    module, start = 0.3, bars[0][0]
    length = round((bars[-1][0] + bars[-1][1] - start) / module)
    modules = ["0"] * length
    for x, w in bars:
        for i in range(round((x - start) / module), round((x + w - start) / module)):
            modules[i] = "1"
    return "".join(modules)


def _decode_code128(modules: str) -> str:
    """An independent Code 128 reader: symbols of 11 modules, start A/B/C, code switches, checksum, stop."""
    assert modules.endswith(STOP + "11")  # the stop pattern and its final bar
    values = [CODES.index(modules[i : i + 11]) for i in range(0, len(modules) - 13, 11)]
    *data, check = values
    assert check == (data[0] + sum(i * v for i, v in enumerate(data[1:], 1))) % 103
    code, out = {103: "A", 104: "B", 105: "C"}[data[0]], ""
    for value in data[1:]:
        switch = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}[code]
        if value in switch:
            code = switch[value]
        elif code == "C":
            out += f"{value:02d}"
        else:
            out += chr(value + 32)
    return out


def test_the_label_shows_recipient_postal_code_resi_as_a_code128_barcode_and_the_order_number(seller, processing):
    seller.post(reverse("marketplace:seller_order_action", args=[processing.number, "book"]))
    processing.refresh_from_db()
    for document in ("label-a6", "label-thermal"):
        response = seller.get(reverse("marketplace:seller_order_print", args=[processing.number, document]))
        body = response.content.decode()
        assert response.status_code == 200
        for text in (
            "Siti Rahmawati",
            "60244",
            processing.shipping_address,
            processing.tracking_number,
            processing.number,
            "JNE REG",
            "250 g",
            "Koppontren Darul Ulum",
        ):
            assert text in body, text
        assert code128_data_uri(processing.tracking_number) in body
    svg = base64.b64decode(code128_data_uri(processing.tracking_number).split(",", 1)[1]).decode()
    assert _decode_code128(_modules(svg)) == processing.tracking_number
    assert "style=" not in body.split("<body", 1)[1]  # nothing inline for the CSP


def test_no_label_before_the_shipment_is_booked(seller, processing):
    response = seller.get(reverse("marketplace:seller_order_print", args=[processing.number, "label-a6"]))
    assert response.status_code == 302


def test_a_manual_resi_still_ships_the_order(seller, processing):
    seller.post(reverse("marketplace:seller_order_action", args=[processing.number, "ship"]),
                {"courier": "Lion Parcel", "tracking_number": "LP123456789"})  # fmt: skip
    processing.refresh_from_db()
    assert (processing.status, processing.courier, processing.tracking_number) == (
        S.SHIPPED,
        "Lion Parcel",
        "LP123456789",
    )
    assert (
        seller.get(reverse("marketplace:seller_order_print", args=[processing.number, "label-thermal"])).status_code
        == 200
    )


# ---------------------------------------------------------------- tracking


@pytest.fixture
def booked(processing, admin_a):
    return shipment_book(order=processing, actor=admin_a)


def _post(client, body: bytes, signature: str):
    return client.post(reverse("marketplace:courier_webhook"), body, content_type="application/json",
                       headers={"X-Sandbox-Courier-Signature": signature})  # fmt: skip


def _body(shipment, status, event_id=None):
    event = sandbox.event_for(shipment, status, timezone.now())
    data = json.loads(sandbox.webhook_body(event))
    if event_id:
        data["event_id"] = event_id
    return json.dumps(data).encode()


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(client, booked):
    body = _body(booked, St.DELIVERED)
    assert _post(client, body, "0" * 64).status_code == 403
    assert _post(client, body, "").status_code == 403
    forged = body.replace(b"delivered", b"picked_up")
    assert _post(client, forged, sandbox.sign(body)).status_code == 403
    assert not ShipmentEvent.objects.exists()
    booked.order.refresh_from_db()
    assert booked.order.status == S.READY_TO_SHIP
    unknown = json.dumps(
        {"event_id": "x", "awb": "NOPE", "status": "delivered", "happened_at": timezone.now().isoformat()}
    ).encode()
    assert _post(client, unknown, sandbox.sign(unknown)).status_code == 400


def test_picked_up_ships_the_order_and_a_replayed_event_has_one_effect(client, booked):
    body = _body(booked, St.PICKED_UP)
    first = _post(client, body, sandbox.sign(body))
    replay = _post(client, body, sandbox.sign(body))
    assert (first.content, replay.content) == (b"recorded", b"duplicate")
    order = Order.objects.get(pk=booked.order_id)
    assert order.status == S.SHIPPED and order.shipped_at is not None
    assert ShipmentEvent.objects.count() == 1 and order.events.filter(to_status=S.SHIPPED).count() == 1
    booked.refresh_from_db()
    assert booked.status == St.PICKED_UP


def test_delivered_sets_delivered_at_and_the_order_completes_by_itself(client, booked):
    for status in (St.PICKED_UP, St.IN_TRANSIT, St.OUT_FOR_DELIVERY, St.DELIVERED):
        body = _body(booked, status)
        assert _post(client, body, sandbox.sign(body)).content == b"recorded"
    order = Order.objects.get(pk=booked.order_id)
    assert order.status == S.DELIVERED and order.delivered_at is not None
    assert orders_auto_complete(now=order.delivered_at + timedelta(hours=47)) == 0
    assert orders_auto_complete(now=order.delivered_at + timedelta(hours=49)) == 1
    assert Order.objects.get(pk=order.pk).status == S.COMPLETED


def test_delivered_without_a_picked_up_event_still_ships_then_delivers(client, booked):
    body = _body(booked, St.DELIVERED)
    _post(client, body, sandbox.sign(body))
    order = Order.objects.get(pk=booked.order_id)
    assert order.status == S.DELIVERED and order.shipped_at and order.delivered_at
    late = _body(booked, St.IN_TRANSIT)  # an older event arriving late never moves the parcel back
    _post(client, late, sandbox.sign(late))
    booked.refresh_from_db()
    assert booked.status == St.DELIVERED and booked.events.count() == 2


def test_the_sandbox_control_advances_the_parcel_and_both_timelines_show_it(seller, client, booked, shopper, admin_a):
    url = reverse("marketplace:seller_order_action", args=[booked.order.number, "advance"])
    seller.post(url)
    seller.post(url)
    booked.refresh_from_db()
    assert booked.status == St.IN_TRANSIT and booked.order.status == S.SHIPPED
    page = seller.get(reverse("marketplace:seller_order_detail", args=[booked.order.number])).content.decode()
    assert "Paket diberangkatkan dari gudang sortir" in page and booked.awb in page
    client.force_login(shopper)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("marketplace:order_detail", args=[booked.order.number])).content.decode()
    assert "Paket telah diambil kurir" in page and "On the way" in page


@pytest.fixture
def cancel_calls(monkeypatch):
    """Every call of the sandbox courier's cancel, by resi (the real one still runs)."""
    calls = []
    real = sandbox.SandboxCourier.cancel

    def spy(self, shipment):
        calls.append(shipment.awb)
        return real(self, shipment)

    monkeypatch.setattr(sandbox.SandboxCourier, "cancel", spy)
    return calls


def test_cancelling_an_order_ready_to_ship_cancels_its_courier_booking_once_and_both_sides_see_it(
    seller, client, booked, shopper, product_a, cancel_calls
):
    order = booked.order
    stock = Product.objects.get(pk=product_a.pk).stock
    response = seller.post(
        reverse("marketplace:seller_order_action", args=[order.number, "cancel"]), {"reason": "Stok rusak"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    booked.refresh_from_db()
    assert order.status == S.CANCELLED and booked.status == St.CANCELLED and cancel_calls == [booked.awb]
    assert list(booked.events.values_list("status", flat=True)) == [St.CANCELLED]
    assert Product.objects.get(pk=product_a.pk).stock == stock + 1
    assert AuditEvent.objects.filter(action="marketplace.shipment_cancelled", target_id=str(order.pk)).count() == 1
    seller.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = seller.get(reverse("marketplace:seller_order_detail", args=[order.number])).content.decode()
    assert "The courier booking was cancelled" in page and booked.awb in page
    client.force_login(shopper)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("marketplace:order_detail", args=[order.number])).content.decode()
    assert "The courier booking was cancelled" in page
    # Again (a double click, a retry): the order is cancelled already; the courier is not asked twice.
    with pytest.raises(DomainError):
        order_services.order_cancel_by_seller(order=order, actor=None, reason="Stok rusak")
    assert shipment_booking_cancel(order=order, actor=None) is None
    assert cancel_calls == [booked.awb] and booked.events.count() == 1


def test_a_parcel_the_courier_already_picked_up_cannot_be_cancelled(seller, booked, product_a, cancel_calls):
    # The courier picked it up three hours after booking; its tracking has not reached us yet.
    Shipment.objects.filter(pk=booked.pk).update(booked_at=timezone.now() - timedelta(hours=4))
    order = booked.order
    stock = Product.objects.get(pk=product_a.pk).stock
    seller.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = seller.post(
        reverse("marketplace:seller_order_action", args=[order.number, "cancel"]), {"reason": "Stok rusak"},
        follow=True,
    )  # fmt: skip
    assert "already picked up the parcel, so the order can no longer be cancelled" in response.content.decode()
    order.refresh_from_db()
    booked.refresh_from_db()
    assert cancel_calls == [booked.awb]
    assert order.status == S.READY_TO_SHIP and booked.status == St.BOOKED and not booked.events.exists()
    assert Product.objects.get(pk=product_a.pk).stock == stock and not order.events.filter(to_status=S.CANCELLED)


def test_a_courier_that_cannot_be_reached_leaves_the_order_and_the_booking(booked, admin_a, monkeypatch):
    def down(self, shipment):
        raise ConnectionError("timeout")

    monkeypatch.setattr(sandbox.SandboxCourier, "cancel", down)
    with pytest.raises(DomainError, match="could not be reached"):
        order_services.order_cancel_by_seller(order=booked.order, actor=admin_a, reason="Stok rusak")
    booked.refresh_from_db()
    assert booked.order.status == S.READY_TO_SHIP and booked.status == St.BOOKED


def test_refunding_a_complaint_about_an_order_ready_to_ship_cancels_its_courier_booking(
    booked, shopper, admin_a, cancel_calls
):
    order = booked.order
    order_services.order_request_refund(order=order, buyer=shopper, reason="Salah pesan")
    order_services.order_refund(order=order, actor=admin_a)
    order.refresh_from_db()
    booked.refresh_from_db()
    assert order.status == S.REFUNDED and booked.status == St.CANCELLED and cancel_calls == [booked.awb]
    assert list(booked.events.values_list("status", flat=True)) == [St.CANCELLED]
    assert AuditEvent.objects.filter(action="marketplace.shipment_cancelled", target_id=str(order.pk)).count() == 1


def test_a_refund_goes_ahead_when_the_courier_already_picked_the_parcel_up(booked, shopper, admin_a, cancel_calls):
    Shipment.objects.filter(pk=booked.pk).update(booked_at=timezone.now() - timedelta(hours=4))
    order = booked.order
    order_services.order_request_refund(order=order, buyer=shopper, reason="Salah pesan")
    order_services.order_refund(order=order, actor=admin_a)
    order.refresh_from_db()
    booked.refresh_from_db()
    assert cancel_calls == [booked.awb]  # asked, and refused: the parcel is on its way
    assert order.status == S.REFUNDED and booked.status == St.BOOKED and not booked.events.exists()


def test_a_refund_waits_when_the_courier_cannot_be_reached_to_cancel_the_pickup(booked, shopper, admin_a, monkeypatch):
    def down(self, shipment):
        raise ConnectionError("timeout")

    order = booked.order
    order_services.order_request_refund(order=order, buyer=shopper, reason="Salah pesan")
    monkeypatch.setattr(sandbox.SandboxCourier, "cancel", down)
    with pytest.raises(DomainError, match="could not be reached"):
        order_services.order_refund(order=order, actor=admin_a)
    order.refresh_from_db()
    booked.refresh_from_db()
    assert order.status == S.REFUND_REQUESTED and booked.status == St.BOOKED


def test_the_sandbox_cancel_is_idempotent_until_the_pickup(booked):
    courier = sandbox.SandboxCourier()
    courier.cancel(booked)
    courier.cancel(booked)  # a retry after our transaction rolled back: the same answer
    booked.booked_at = timezone.now() - timedelta(hours=4)
    with pytest.raises(CourierRefused):
        courier.cancel(booked)


def test_the_poll_asks_about_silent_shipments_once_a_day_and_records_each_event_once(booked):
    later = timezone.now() + timedelta(days=3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: later)
        assert shipments_poll(now=later) == 4  # picked up … delivered, all due on the schedule by now
        assert shipments_poll(now=later + timedelta(hours=25)) == 0  # delivered: nothing to ask
    order = Order.objects.get(pk=booked.order_id)
    assert order.status == S.DELIVERED and ShipmentEvent.objects.count() == 4


def test_a_shipment_with_news_today_is_not_polled(booked):
    assert shipments_poll(now=timezone.now() + timedelta(hours=23)) == 0
    assert poll_shipments.delay().get() == 0
    assert not ShipmentEvent.objects.exists()


# ---------------------------------------------------------------- permissions and the seller's pages


def test_another_stores_seller_gets_404_for_every_shipping_view(client, admin_b, store_b, booked):
    client.force_login(admin_b)
    number = booked.order.number
    assert client.get(reverse("marketplace:seller_order_print", args=[number, "label-a6"])).status_code == 404
    for action in ("book", "advance"):
        assert client.post(reverse("marketplace:seller_order_action", args=[number, action])).status_code == 404
    assert not ShipmentEvent.objects.exists()


def test_the_seller_order_page_with_tracking_costs_a_fixed_number_of_queries(
    seller, booked, django_assert_max_num_queries
):
    url = reverse("marketplace:seller_order_action", args=[booked.order.number, "advance"])
    for _ in range(3):
        seller.post(url)
    with django_assert_max_num_queries(16):
        page = seller.get(reverse("marketplace:seller_order_detail", args=[booked.order.number])).content.decode()
    assert page.count('class="timeline tracking"') == 1 and "Sedang diantar kurir" in page


def test_the_seller_chooses_services_and_rules(seller, store_a):
    url = reverse("marketplace:seller_shipping_services")
    seller.post(url, {"form": "services", "services": ["jne_reg", "instant"]})
    store_a.refresh_from_db()
    assert store_a.courier_services == ["jne_reg", "instant"]
    seller.post(url, {"kind": "free", "zone": "same_city", "min_subtotal": "100000", "price": "", "service": ""})
    seller.post(
        url, {"kind": "flat", "zone": "jatim_near", "min_subtotal": "0", "price": "0", "service": ""}
    )  # refused
    store_a.refresh_from_db()
    assert store_a.shipping_rules == [
        {"kind": "free", "zone": "same_city", "min_subtotal": 100000, "price": 0, "service": ""}
    ]
    page = seller.get(reverse("marketplace:seller_settings")).content.decode()
    assert "Gratis ongkir" in page and "Rp100.000" in page
    seller.post(url, {"remove_rule": "0"})
    store_a.refresh_from_db()
    assert store_a.shipping_rules == []
    response = seller.post(url, {"form": "services", "services": ["teleport"]}, follow=True)
    assert "Layanan pengiriman tidak dikenal." in response.content.decode()
