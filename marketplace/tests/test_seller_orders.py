import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from marketplace.models import Order, Payment, Product
from marketplace.payments.bank_transfer import transfer_proof_upload
from marketplace.tests.factories import ProductFactory, image_upload
from marketplace.tests.helpers import place

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture
def seller(client, admin_a, store_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def order(shopper, address, product_a):
    (order,) = place(shopper, [(product_a, 2)], address=address)
    return order


def act(client, order, action, **data):
    return client.post(reverse("marketplace:seller_order_action", args=[order.number, action]), data)


def test_the_queue_has_tabs_with_counts_and_filters(seller, shopper, address, product_a, admin_a):
    Product.objects.filter(pk=product_a.pk).update(stock=100)
    orders = [place(shopper, [(product_a, 1)], address=address)[0] for _ in range(3)]
    (gateway,) = place(
        shopper, [(product_a, 1)], address=address, choices={product_a.store_id: ("shipping", "gateway")}
    )
    act(seller, orders[0], "confirm_payment")
    act(seller, orders[1], "cancel", reason="Stok rusak")
    response = seller.get(reverse("marketplace:seller_order_list"))
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs["new"] == 2 and tabs["paid"] == 1 and tabs["cancelled"] == 1 and response.context["total"] == 4
    response = seller.get(reverse("marketplace:seller_order_list"), {"tab": "new"})
    assert {o.number for o in response.context["page_obj"]} == {orders[2].number, gateway.number}
    response = seller.get(reverse("marketplace:seller_order_list"), {"tab": "new", "payment_method": "gateway"})
    assert [o.number for o in response.context["page_obj"]] == [gateway.number]
    assert {t["key"]: t["count"] for t in response.context["tabs"]}["new"] == 1
    response = seller.get(
        reverse("marketplace:seller_order_list"), {"created_from": "2000-01-01", "created_to": "2000-01-02"}
    )
    assert response.context["total"] == 0


def test_the_order_queue_costs_a_fixed_number_of_queries(
    seller, shopper, address, product_a, django_assert_max_num_queries
):
    Product.objects.filter(pk=product_a.pk).update(stock=100)
    for _ in range(30):
        place(shopper, [(product_a, 1)], address=address)
    # The user, their memberships, the store, its counters, the page's orders (as values) and their lines.
    with django_assert_max_num_queries(6):
        body = seller.get(reverse("marketplace:seller_order_list")).content.decode()
    assert body.count("Sarung Tenun Darul Ulum") == 30


def test_the_queue_reads_only_the_lines_of_orders_it_has_not_shown(
    seller, shopper, address, product_a, django_assert_num_queries
):
    """An order's lines never change once placed: a process keeps them (selectors.order_lines), so the queue's
    second read costs one query fewer, and a new order's lines are read with it."""
    Product.objects.filter(pk=product_a.pk).update(stock=100)
    for _ in range(3):
        place(shopper, [(product_a, 1)], address=address)
    url = reverse("marketplace:seller_order_list")
    with django_assert_num_queries(6):  # as the budget above, lines included
        seller.get(url)
    with django_assert_num_queries(5):  # every line kept
        body = seller.get(url).content.decode()
    assert body.count("Sarung Tenun Darul Ulum \N{MULTIPLICATION SIGN} 1") == 3
    (new,) = place(shopper, [(product_a, 4)], address=address)
    with django_assert_num_queries(6):  # the new order's lines only
        body = seller.get(url).content.decode()
    assert "Sarung Tenun Darul Ulum \N{MULTIPLICATION SIGN} 4" in _row(body, new.number)
    assert body.count("Sarung Tenun Darul Ulum \N{MULTIPLICATION SIGN} 1") == 3


def _row(body, number):
    return next(row for row in body.split("<tr>") if number in row)


def test_each_queue_row_links_the_order_and_shows_its_state_buyer_trade_and_lines(
    seller, shopper, address, product_a, store_a, pesantren_b
):
    kopiah = ProductFactory(store=store_a, name="Kopiah <Rajut>", price=30000)
    (mixed,) = place(shopper, [(product_a, 2), (kopiah, 1)], address=address)
    (trade,) = place(shopper, [(product_a, 1)], address=address, choices={store_a.pk: ("shipping", "gateway")})
    Order.objects.filter(pk=trade.pk).update(buyer_organisation=pesantren_b)
    body = seller.get(reverse("marketplace:seller_order_list")).content.decode()
    row = _row(body, mixed.number)
    assert f'<a href="{reverse("marketplace:seller_order_detail", args=[mixed.number])}">{mixed.number}</a>' in row
    assert '<span class="badge status-awaiting_payment">Menunggu pembayaran</span>' in row
    assert "Transfer bank" in row and escape(shopper.person_name) in row and "Rp" in row
    times = "\N{MULTIPLICATION SIGN}"
    assert f"Sarung Tenun Darul Ulum {times} 2, Kopiah &lt;Rajut&gt; {times} 1</small>" in row
    assert "badge-trade" not in row
    trade_row = _row(body, trade.number)
    trade_badge = f"Transaksi antarpesantren</span> {escape(pesantren_b.name)}"
    assert f"{trade_badge}<br><small>Sarung Tenun Darul Ulum {times} 1</small>" in trade_row
    seller.cookies["django_language"] = "en"
    english = seller.get(reverse("marketplace:seller_order_list")).content.decode()
    assert '<span class="badge status-awaiting_payment">Awaiting payment</span>' in _row(english, mixed.number)
    assert "Pesantren trade" in _row(english, trade.number) and "Virtual account / QRIS" in _row(english, trade.number)


def test_from_transfer_proof_to_completed(seller, order, shopper, admin_a, django_capture_on_commit_callbacks):
    transfer_proof_upload(order=order, buyer=shopper, upload=image_upload())
    body = seller.get(reverse("marketplace:seller_order_detail", args=[order.number])).content.decode()
    assert order.payments.get().proof.url in body
    with django_capture_on_commit_callbacks(execute=True):
        act(seller, order, "reject_proof", reason="Dana belum masuk ke rekening")
    order.refresh_from_db()
    assert order.status == S.AWAITING_PAYMENT and order.payments.get().status == Payment.Status.PENDING
    assert any("Dana belum masuk" in m.body and m.to == [shopper.email] for m in mail.outbox)
    assert "Dana belum masuk" in order.events.last().note
    act(seller, order, "reject_proof", reason="")  # nothing waiting any more
    transfer_proof_upload(order=order, buyer=shopper, upload=image_upload())
    act(seller, order, "confirm_payment")
    act(seller, order, "process")
    act(seller, order, "ship", courier="JNE", tracking_number="JNE0012345")
    act(seller, order, "deliver")
    order.refresh_from_db()
    assert order.status == S.DELIVERED and order.tracking_number == "JNE0012345"
    for document in ("packing-slip", "invoice"):
        page = seller.get(reverse("marketplace:seller_order_print", args=[order.number, document])).content.decode()
        assert "Sarung Tenun Darul Ulum" in page and order.number in page


def test_a_pickup_order_is_marked_picked_up(seller, shopper, address, product_a):
    (order,) = place(
        shopper, [(product_a, 1)], address=address, choices={product_a.store_id: ("pickup", "cash_on_pickup")}
    )
    for action in ("confirm_payment", "process", "deliver"):
        act(seller, order, action)
    order.refresh_from_db()
    assert order.status == S.DELIVERED


def test_cancel_needs_a_reason_and_returns_the_stock(seller, order, product_a):
    product_a.refresh_from_db()
    assert product_a.stock == 8
    act(seller, order, "cancel", reason="")
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_PAYMENT
    act(seller, order, "confirm_payment")
    act(seller, order, "cancel", reason="Kain sobek saat dikemas")
    order.refresh_from_db()
    product_a.refresh_from_db()
    assert order.status == S.CANCELLED and order.cancel_reason == "Kain sobek saat dikemas"
    assert product_a.stock == 10
    assert order.stock_movements.filter(kind="cancellation").get().quantity == 2


def test_foreign_orders_answer_404_on_every_seller_order_view(client, order, admin_b, store_b):
    client.force_login(admin_b)
    for url in [
        reverse("marketplace:seller_order_detail", args=[order.number]),
        reverse("marketplace:seller_order_print", args=[order.number, "invoice"]),
        reverse("marketplace:seller_order_print", args=[order.number, "packing-slip"]),
    ]:
        assert client.get(url).status_code == 404
    for action in ("confirm_payment", "reject_proof", "process", "cancel", "ship", "deliver", "refund"):
        assert act(client, order, action, reason="x").status_code == 404
    order.refresh_from_db()
    assert order.status == S.AWAITING_PAYMENT
    assert client.get(reverse("marketplace:seller_order_list")).context["total"] == 0


def test_the_packing_slip_shows_courier_and_resi_and_the_regency_once(seller, order, store_a):
    region = store_a.organisation.kabupaten_kota.label
    store_a.pickup_address = f"PP Darul Ulum, Jl. Merdeka 1, {region}"  # as the store-opening form writes it
    store_a.save(update_fields=["pickup_address"])
    act(seller, order, "confirm_payment")
    act(seller, order, "process")
    act(seller, order, "ship", courier="J&T Express", tracking_number="JT0099887766")
    url = reverse("marketplace:seller_order_print", args=[order.number, "packing-slip"])
    with translation.override("en"):
        page = seller.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "J&amp;T Express" in page and "JT0099887766" in page
    header = page.split("<header>", 1)[1].split("</header>", 1)[0]
    assert header.count(region) == 1, header


def test_the_packing_slip_before_shipping_says_where_the_resi_goes(seller, order):
    url = reverse("marketplace:seller_order_print", args=[order.number, "packing-slip"])
    page = seller.get(url).content.decode()
    assert "slip-resi" in page and "—" in page


def test_a_kept_queue_row_shows_the_orders_change_at_once(seller, shopper, address, order):
    """Rows are kept per process under their values (opop.web.rendered_rows): a move or an erased buyer is a new
    row, never the kept one."""
    from opop.models import User

    url = reverse("marketplace:seller_order_list")

    def row_now():
        return _row(seller.get(url).content.decode(), order.number).split("</tr>")[0]

    row = row_now()
    assert "Menunggu pembayaran" in row and escape(shopper.person_name) in row
    assert row_now() == row  # the kept row, as rendered
    act(seller, order, "confirm_payment")
    row = row_now()
    assert '<span class="badge status-paid">Lunas</span>' in row and "Menunggu pembayaran" not in row
    User.objects.filter(pk=shopper.pk).update(erased_at=timezone.now())
    row = row_now()
    assert escape(shopper.person_name) not in row
