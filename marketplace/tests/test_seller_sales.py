import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from marketplace.catalogue.stock import ledger_sum
from marketplace.checkout import services as checkout
from marketplace.models import Order, Product, ProductVariant, StockMovement, WholesaleTier
from marketplace.orders import services
from marketplace.payments.services import seller_confirm_payment
from marketplace.seller.sales import sales_report
from marketplace.tests.factories import ProductFactory
from marketplace.tests.helpers import place
from opop.services import DomainError
from opop.tests.exports import NON_ASCII, assert_csv_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client, admin_a, store_a):
    client.force_login(admin_a)
    return client


def test_sales_report_counts_paid_orders_by_period_with_chart_and_csv(
    seller, shopper, address, product_a, admin_a, store_a
):
    Product.objects.filter(pk=product_a.pk).update(stock=100)
    kopiah = ProductFactory(store=store_a, name="Kopiah Rajut", price=35000, stock=50)
    paid = place(shopper, [(product_a, 2), (kopiah, 3)], address=address)[0]
    seller_confirm_payment(order=paid, actor=admin_a)
    earlier = place(shopper, [(kopiah, 1)], address=address)[0]
    seller_confirm_payment(order=earlier, actor=admin_a)
    Order.objects.filter(pk=earlier.pk).update(paid_at=timezone.now() - timedelta(days=3))
    cancelled = place(shopper, [(product_a, 1)], address=address)[0]
    seller_confirm_payment(order=cancelled, actor=admin_a)
    services.order_cancel_by_seller(order=cancelled, actor=admin_a, reason="Habis")
    place(shopper, [(product_a, 1)], address=address)  # unpaid: not a sale
    today = timezone.localdate()
    report = sales_report(store=store_a, start=today - timedelta(days=6), end=today, group="day")
    assert report["totals"]["omzet"] == 2 * 120000 + 3 * 35000 + 35000
    assert report["totals"]["shipping"] == 2 * 40000  # shown apart, never in the omzet
    assert report["totals"]["orders"] == 2 and report["totals"]["items"] == 6
    assert len(report["rows"]) == 7 and report["rows"][-1].omzet == 345000 and report["rows"][-4].omzet == 35000
    assert [b["product_name"] for b in report["best"]] == ["Sarung Tenun Darul Ulum", "Kopiah Rajut"]
    weekly = sales_report(store=store_a, start=today - timedelta(days=40), end=today, group="month")
    assert sum(row.omzet for row in weekly["rows"]) == 380000
    params = {"start": (today - timedelta(days=6)).isoformat(), "end": today.isoformat(), "group": "day"}
    page = seller.get(reverse("marketplace:seller_sales"), params).content.decode()
    assert "<svg" in page and page.count("<rect") == 7
    assert not re.search(r'(x|y|width|height)="\d+,\d', page)  # no Indonesian decimal commas in the SVG
    response = seller.get(reverse("marketplace:seller_sales"), {**params, "format": "csv"})
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][1:] == ["380000", "80000", "2", "6"] and len(rows) == 9
    week = seller.get(reverse("marketplace:seller_sales"), {**params, "group": "week"})
    assert week.status_code == 200
    bad = seller.get(reverse("marketplace:seller_sales"), {**params, "start": today.isoformat(), "end": "2000-01-01"})
    assert bad.context["report"] is None


def test_sales_of_another_store_never_show(seller, shopper, address, product_b, admin_b):
    order = place(shopper, [(product_b, 2)], address=address)[0]
    seller_confirm_payment(order=order, actor=admin_b)
    response = seller.get(reverse("marketplace:seller_sales"))
    assert response.context["report"]["totals"]["omzet"] == 0


def upload(name, rows):
    if name.endswith(".xlsx"):
        book = Workbook()
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return SimpleUploadedFile(name, buffer.getvalue())
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode())


def test_bulk_update_with_a_bad_row_changes_nothing(seller, store_a, store_b):
    beras = ProductFactory(store=store_a, name="Beras", price=85000, stock=0)
    foreign = ProductFactory(store=store_b, price=1000, stock=0)
    rows = [
        ["product_id", "variant", "name", "price", "stock"],
        [beras.pk, "", "Beras", "90.000", "40"],
        [foreign.pk, "", "Punya orang", "1", "1"],
        [beras.pk, "", "Beras lagi", "abc", "-1"],
    ]
    response = seller.post(reverse("marketplace:seller_bulk"), {"file": upload("produk.csv", rows)})
    preview = response.context["rows"]
    assert response.context["has_errors"]
    assert preview[0].errors == [] and preview[0].price == 90000 and preview[0].stock == 40
    assert preview[1].errors and preview[1].label == ""  # another store's product is unknown here
    assert len(preview[2].errors) == 3  # twice in the file, bad price, negative stock
    seller.post(reverse("marketplace:seller_bulk"), {"apply": "1"})
    beras.refresh_from_db()
    foreign.refresh_from_db()
    assert (beras.price, beras.stock, foreign.price) == (85000, 0, 1000)
    assert not StockMovement.objects.exists()


def test_bulk_update_from_xlsx_applies_prices_and_stock_as_movements(seller, store_a, admin_a):
    beras = ProductFactory(store=store_a, name="Beras", price=85000, stock=0)
    sambal = ProductFactory(store=store_a, name="Sambal", price=22000, stock=0)
    pedas = ProductVariant.objects.create(product=sambal, name="Pedas", price=24000, stock=0)
    template = seller.get(reverse("marketplace:seller_bulk"), {"template": "csv"}).content.decode()
    assert "product_id,variant,name,price,stock" in template and "Pedas" in template
    rows = [
        ["product_id", "variant", "name", "price", "stock"],
        [beras.pk, None, "Beras", 87500, 25],
        [sambal.pk, "pedas", "Sambal", 25000, 12],
    ]
    response = seller.post(reverse("marketplace:seller_bulk"), {"file": upload("produk.xlsx", rows)})
    assert not response.context["has_errors"] and response.context["changes"] == 2
    seller.post(reverse("marketplace:seller_bulk"), {"apply": "1"})
    beras.refresh_from_db()
    pedas.refresh_from_db()
    assert (beras.price, beras.stock, pedas.price, pedas.stock) == (87500, 25, 25000, 12)
    assert beras.stock == ledger_sum(product=beras)
    assert StockMovement.objects.filter(kind="correction", actor=admin_a).count() == 2


def test_bulk_preview_is_kept_on_the_server_and_applied_once(seller, store_a):
    from opop.models import ImportPreview

    beras = ProductFactory(store=store_a, name="Beras", price=85000, stock=0)
    rows = [["product_id", "variant", "name", "price", "stock"], [beras.pk, "", "Beras", "90000", "5"]]
    seller.post(reverse("marketplace:seller_bulk"), {"file": upload("produk.csv", rows)})
    preview = ImportPreview.objects.get()
    assert preview.organisation == store_a.organisation and preview.status == "preview" and preview.errors == []
    # what is applied is the stored rows, whatever the session says about them
    session = seller.session
    assert session["seller_bulk_rows"] == {"store": store_a.pk, "preview": preview.pk}
    ImportPreview.objects.filter(pk=preview.pk).update(rows=[{**preview.rows[0], "price": 91000}])
    seller.post(reverse("marketplace:seller_bulk"), {"apply": "1"})
    beras.refresh_from_db()
    preview.refresh_from_db()
    assert (beras.price, beras.stock, preview.status, preview.rows) == (91000, 5, "imported", [])
    session = seller.session
    session["seller_bulk_rows"] = {"store": store_a.pk, "preview": preview.pk}
    session.save()
    Product.objects.filter(pk=beras.pk).update(price=85000)
    seller.post(reverse("marketplace:seller_bulk"), {"apply": "1"})  # a replay changes nothing
    beras.refresh_from_db()
    assert beras.price == 85000


def test_bulk_refuses_other_files(seller):
    response = seller.post(reverse("marketplace:seller_bulk"), {"file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert response.context["form"].errors["file"]
    response = seller.post(reverse("marketplace:seller_bulk"), {"file": SimpleUploadedFile("x.xlsx", b"bukan xlsx")})
    assert response.context["rows"] is None


def test_wholesale_prices_apply_from_their_minimum_quantity(shopper, address, product_a):
    Product.objects.filter(pk=product_a.pk).update(stock=100)
    WholesaleTier.objects.create(product=product_a, min_quantity=10, unit_price=100000)
    WholesaleTier.objects.create(product=product_a, min_quantity=50, unit_price=90000)
    product_a.refresh_from_db()
    (small,) = place(shopper, [(product_a, 9)], address=address)
    assert small.items.get().unit_price == 120000
    services.order_cancel_by_buyer(order=small, buyer=shopper)
    (bulk,) = place(shopper, [(product_a, 12)], address=address)
    assert bulk.items.get().unit_price == 100000 and bulk.subtotal == 1200000


def test_a_pesantren_admin_buys_for_the_pesantren_and_the_order_is_pesantren_trade(
    client, admin_a, pesantren_a, product_b, store_a, address, product_a
):
    address.user = admin_a
    address.save()
    client.force_login(admin_a)
    client.post(reverse("marketplace:cart_add", args=[product_b.slug]), {"quantity": 4})
    page = client.get(reverse("marketplace:checkout"))
    assert "on_behalf_of" in page.context["form"].fields
    client.post(
        reverse("marketplace:checkout"),
        {
            "address": address.pk,
            "on_behalf_of": pesantren_a.pk,
            "place": "1",
            "payment": "bank_transfer",
            f"delivery_{product_b.store_id}": "shipping",
        },
    )
    order = Order.objects.get(buyer=admin_a)
    assert order.buyer_organisation == pesantren_a and order.is_pesantren_trade
    with translation.override("en"), pytest.raises(DomainError, match="own store"):
        from marketplace.cart.services import cart_set

        cart_set(user=admin_a, session={}, product=product_a, variant=None, quantity=1)
        checkout.order_place(buyer=admin_a, session={}, address=address, choices={}, on_behalf_of=pesantren_a)


def test_only_an_admin_of_the_pesantren_may_buy_for_it(shopper, address, product_b, pesantren_a):
    from marketplace.cart.services import cart_set

    cart_set(user=shopper, session={}, product=product_b, variant=None, quantity=2)
    with pytest.raises(DomainError, match="administer"):
        checkout.order_place(buyer=shopper, session={}, address=address, choices={}, on_behalf_of=pesantren_a)
    (order,) = checkout.order_place(buyer=shopper, session={}, address=address, choices={})
    assert not order.is_pesantren_trade and order.buyer_organisation is None


def test_month_sales_feed_the_programme_omzet(shopper, address, product_a, admin_a, pesantren_a, pesantren_b):
    from marketplace.seller.sales import month_sales

    order = place(shopper, [(product_a, 2)], address=address)[0]
    seller_confirm_payment(order=order, actor=admin_a)
    today = timezone.localdate()
    assert month_sales(organisation_id=pesantren_a.pk, month=today) == {
        "revenue": 240000,
        "shipping": 40000,
        "orders": 1,
        "pesantren_trade_revenue": 0,
    }
    assert month_sales(organisation_id=pesantren_a.pk, month=today.replace(day=1) - timedelta(days=1))["revenue"] == 0
    assert month_sales(organisation_id=pesantren_b.pk, month=today)["revenue"] == 0
    services.order_start_processing(order=order, actor=admin_a)
    services.order_ship(order=order, actor=admin_a, courier="JNE", tracking_number="X1")
    services.order_request_refund(order=order, buyer=shopper, reason="Rusak")
    from opop.models import DirtyFigureKey

    DirtyFigureKey.objects.all().delete()
    services.order_refund(order=order, actor=admin_a)
    assert DirtyFigureKey.objects.filter(kabupaten_kota_id="35.17").exists()
    assert month_sales(organisation_id=pesantren_a.pk, month=today)["revenue"] == 0


def test_the_sales_and_product_csvs_have_the_bom_a_non_ascii_name_and_one_audit_event(client, admin_a, store_a):
    ProductFactory(store=store_a, name=f"Kopi {NON_ASCII}", price=25000, stock=3)
    client.force_login(admin_a)
    rows = assert_csv_export(
        client.get(reverse("marketplace:seller_bulk"), {"template": "csv"}),
        action="marketplace.products.exported",
        actor=admin_a,
    )
    assert [row[2] for row in rows[1:]] == [f"Kopi {NON_ASCII}"]
    today = timezone.localdate().isoformat()
    response = client.get(
        reverse("marketplace:seller_sales"), {"start": today, "end": today, "group": "day", "format": "csv"}
    )
    rows = assert_csv_export(response, action="marketplace.sales.exported", actor=admin_a, contains="Total")
    assert rows[-1][0] == "Total"
