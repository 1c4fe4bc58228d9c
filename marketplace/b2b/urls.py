from django.urls import path

from marketplace.b2b import access, views

app_name = "b2b"

urlpatterns = [
    path("", views.home, name="home"),
    path("pilih/<int:pk>/", access.choose_organisation, name="choose"),
    path("pemasok/", views.directory, name="directory"),
    path("pemasok/<slug:slug>/", views.supplier_detail, name="supplier_detail"),
    path("pasokan/", views.offer_list, name="offer_list"),
    path("pasokan/baru/", views.offer_form, name="offer_create"),
    path("pasokan/<int:pk>/ubah/", views.offer_form, name="offer_edit"),
    path("profil/", views.profile_form, name="profile"),
    path("permintaan/", views.rfq_list, name="rfq_list"),
    path("permintaan/baru/", views.rfq_create, name="rfq_create"),
    path("permintaan/<int:pk>/", views.rfq_detail, name="rfq_detail"),
    path("permintaan/<int:pk>/batal/", views.rfq_cancel, name="rfq_cancel"),
    path("permintaan/<int:pk>/pilih-pemenang/", views.rfq_award, name="rfq_award"),
    path("permintaan/<int:pk>/penawaran/", views.quote, name="quote"),
    path("permintaan/<int:pk>/penawaran/tarik/", views.quote_withdraw, name="quote_withdraw"),
    path("masuk/", views.inbox, name="inbox"),
    path("po/", views.po_list, name="po_list"),
    path("po/<int:pk>/", views.po_detail, name="po_detail"),
    path("po/<int:pk>/konfirmasi/", views.po_confirm, name="po_confirm"),
    path("po/<int:pk>/tolak/", views.po_decline, name="po_decline"),
    path("po/<int:pk>/pdf/", views.po_pdf, name="po_pdf"),
    path("po/<int:pk>/revisi/", views.po_revise, name="po_revise"),
    path("po/revisi/<int:pk>/<slug:decision>/", views.revision_decide, name="revision_decide"),
    path("po/<int:pk>/kirim/", views.delivery_create, name="delivery_create"),
    path("kiriman/<int:pk>/terima/", views.delivery_receive, name="delivery_receive"),
    path("po/<int:pk>/tagihan/", views.invoice_create, name="invoice_create"),
    path("po/<int:pk>/nilai/", views.rate, name="rate"),
    path("tagihan/", views.invoice_list, name="invoice_list"),
    path("tagihan/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("tagihan/<int:pk>/bayar/", views.invoice_pay, name="invoice_pay"),
    path("tagihan/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("tagihan/<int:pk>/bukti/", views.invoice_proof, name="invoice_proof"),
]
