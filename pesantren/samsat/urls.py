from django.urls import path

from pesantren.samsat import views

app_name = "samsat"

urlpatterns = [
    path("", views.outlet_public_list, name="outlet_public_list"),
    path("verifikasi/<str:code>/", views.payment_verify, name="verify"),
    path("loket/", views.counter_home, name="counter_home"),
    path("loket/<str:code>/", views.counter, name="counter"),
    path("loket/<str:code>/tagihan/<uuid:key>/", views.bill_detail, name="bill"),
    path("loket/<str:code>/transaksi/<int:pk>/", views.payment_detail, name="payment"),
    path("loket/<str:code>/transaksi/<int:pk>/struk/", views.receipt, name="receipt"),
    path("loket/<str:code>/transaksi/<int:pk>/struk.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("loket/<str:code>/transaksi/<int:pk>/etbpkp/", views.etbpkp, name="etbpkp"),
    path("loket/<str:code>/transaksi/<int:pk>/etbpkp.pdf", views.etbpkp_pdf, name="etbpkp_pdf"),
    path("loket/<str:code>/transaksi/<int:pk>/cetak-ulang/", views.receipt_reprint, name="reprint"),
    path("loket/<str:code>/transaksi/<int:pk>/cek-status/", views.payment_advise, name="advise"),
    path("loket/<str:code>/transaksi/<int:pk>/batal/", views.payment_reverse, name="reverse"),
    path("loket/<str:code>/tutup-hari/", views.day_close, name="day_close"),
    path("outlet/<str:code>/riwayat/", views.outlet_history, name="history"),
    path("outlet/<str:code>/harian/", views.outlet_days, name="days"),
    path("outlet/<str:code>/harian/<str:day>/", views.day_report, name="day_report"),
    path("kelola/", views.staff_outlet_list, name="staff_outlet_list"),
    path("kelola/baru/", views.staff_outlet_form, name="staff_outlet_create"),
    path("kelola/<str:code>/ubah/", views.staff_outlet_form, name="staff_outlet_edit"),
]
