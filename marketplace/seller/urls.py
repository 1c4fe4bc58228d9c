"""Seller-centre URLs, included under /mart/penjual/ in the marketplace namespace."""

from django.urls import path

from marketplace.seller.access import choose_store
from marketplace.seller.views import opening, orders, products, sales, stock, store

urlpatterns = [
    path("", stock.dashboard, name="seller_dashboard"),
    path("toko/<int:store_id>/pilih/", choose_store, name="seller_choose_store"),
    path("produk/", products.product_list, name="seller_product_list"),
    path("produk/baru/", products.product_create_view, name="seller_product_create"),
    path("produk/massal/", sales.bulk_update, name="seller_bulk"),
    path("produk/<int:pk>/", products.product_edit, name="seller_product_edit"),
    path("produk/<int:pk>/terbit/", products.product_publish, name="seller_product_publish"),
    path("produk/<int:pk>/salin/", products.product_duplicate, name="seller_product_duplicate"),
    path("produk/<int:pk>/foto/", products.photo_add, name="seller_photo_add"),
    path("produk/<int:pk>/foto/<int:photo_id>/<slug:action>/", products.photo_action, name="seller_photo_action"),
    path(
        "produk/<int:pk>/foto-tinjauan/<int:photo_id>/hapus/",
        products.held_photo_delete,
        name="seller_held_photo_delete",
    ),
    path("produk/<int:pk>/varian/", products.variant_add, name="seller_variant_add"),
    path(
        "produk/<int:pk>/varian/<int:variant_id>/<slug:action>/", products.variant_action, name="seller_variant_action"
    ),
    path("produk/<int:pk>/grosir/", products.tier_add, name="seller_tier_add"),
    path("produk/<int:pk>/grosir/<int:tier_id>/hapus/", products.tier_delete, name="seller_tier_delete"),
    path("stok/", stock.stock_overview, name="seller_stock"),
    path("stok/<int:pk>/", stock.stock_change, name="seller_stock_change"),
    path("pesanan/", orders.order_queue, name="seller_order_list"),
    path("pesanan/<str:number>/", orders.order_detail, name="seller_order_detail"),
    path("pesanan/<str:number>/cetak/<slug:document>/", orders.order_print, name="seller_order_print"),
    path("pesanan/<str:number>/<slug:action>/", orders.order_action, name="seller_order_action"),
    path("penjualan/", sales.sales, name="seller_sales"),
    path("pengaturan/", store.store_settings, name="seller_settings"),
    path("pengaturan/ongkir/", store.shipping_rate, name="seller_shipping_rate"),
    path("pengaturan/kurir/", store.shipping_services, name="seller_shipping_services"),
    path("pengaturan/rekening/", store.bank_settings, name="seller_bank"),
    path("pengaturan/alamat/", store.origin_settings, name="seller_origin"),
    path("tim/", store.team_list, name="seller_team"),
    path("tim/<int:pk>/<slug:action>/", store.team_member, name="seller_team_member"),
    path("tim/undangan/<int:pk>/tarik/", store.invitation_withdraw, name="seller_invitation_withdraw"),
    path("undangan/<str:token>/", store.invitation_accept, name="seller_invitation_accept"),
    path("buka/", opening.store_opening, name="seller_opening"),
    path("buka/<slug:slug>/", opening.store_open, name="seller_open"),
]
