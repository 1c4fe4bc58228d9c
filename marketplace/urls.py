from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from marketplace.balance import urls as balance_urls
from marketplace.cart import views as cart
from marketplace.catalogue import curation_urls
from marketplace.catalogue import views as catalogue
from marketplace.orders import views as orders
from marketplace.payments import views as payments
from marketplace.seller import urls as seller_urls
from marketplace.seller.views import opening as store_opening
from marketplace.shipping import views as shipping
from marketplace.sitemaps import SITEMAPS, sitemap_moved

app_name = "marketplace"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("cari/", catalogue.search, name="search"),
    path("kategori/<slug:slug>/", catalogue.category_detail, name="category"),
    path("produk/<slug:slug>/", catalogue.product_detail, name="product"),
    path("toko/<slug:slug>/", catalogue.store_detail, name="store"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("sitemap.xml", sitemap_moved, name="sitemap"),
    path("keranjang/", cart.cart_detail, name="cart"),
    path("keranjang/tambah/<slug:slug>/", cart.cart_add, name="cart_add"),
    path("keranjang/ubah/<str:key>/", cart.cart_update, name="cart_update"),
    path("checkout/", orders.checkout, name="checkout"),
    path("alamat/", orders.address_list, name="address_list"),
    path("alamat/baru/", orders.address_create, name="address_create"),
    path("alamat/<int:pk>/ubah/", orders.address_update, name="address_update"),
    path("pesanan/", orders.order_list, name="order_list"),
    path("pesanan/<str:number>/", orders.order_detail, name="order_detail"),
    path("pesanan/<str:number>/ulasan/<int:item_id>/", orders.review_add, name="review_add"),
    path("pesanan/<str:number>/<slug:action>/", orders.order_action, name="order_action"),
    path("bayar/<str:transaction_id>/", payments.sandbox_page, name="sandbox_page"),
    path("bayar/<str:transaction_id>/sandbox/", payments.sandbox_pay, name="sandbox_pay"),
    path("pembayaran/webhook/sandbox/", payments.gateway_webhook, name="gateway_webhook"),
    path("kurir/webhook/sandbox/", shipping.courier_webhook, name="courier_webhook"),
    path("penjual/saldo/", include(balance_urls.seller)),
    path("penjual/", include(seller_urls)),
    path("staf/kurasi/", include(curation_urls)),
    path("staf/toko/", store_opening.store_request_list, name="store_request_list"),
    path("staf/toko/<int:pk>/", store_opening.store_request_detail, name="store_request_detail"),
    path("staf/toko/<int:pk>/<slug:action>/", store_opening.store_request_decide, name="store_request_decide"),
    path("keuangan/", include(balance_urls.finance_staff)),
]
