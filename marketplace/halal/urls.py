from django.urls import path

from marketplace.halal import claim_views, curation_views, views

app_name = "halal"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("baru/", views.case_create, name="case_create"),
    path("kasus/<int:pk>/", views.case_detail, name="case_detail"),
    path("kasus/<int:pk>/ubah/", views.case_edit, name="case_edit"),
    path("kasus/<int:pk>/langkah/<slug:action>/", views.case_step, name="case_step"),
    path("kasus/<int:pk>/lampiran/", views.case_attach, name="case_attach"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("produk/", views.product_queue, name="product_queue"),
    path("produk/csv/", views.product_queue_csv, name="product_queue_csv"),
    path("sertifikat/", views.certificate_search, name="certificate_search"),
    path("sertifikat/<str:number>/", views.certificate_verify, name="certificate_verify"),
    path("unggulan/", curation_views.flagship_list, name="flagship_list"),
    path("unggulan/usul/", curation_views.flagship_propose, name="flagship_propose"),
    path("unggulan/<int:pk>/putuskan/", curation_views.flagship_decide, name="flagship_decide"),
    path("klaim/", claim_views.claim_queue, name="claim_queue"),
    path("klaim/<int:pk>/", claim_views.claim_detail, name="claim_detail"),
    path("klaim/<int:pk>/bukti/", claim_views.claim_evidence, name="claim_evidence"),
    path("klaim/<int:pk>/<slug:decision>/", claim_views.claim_decide, name="claim_decide"),
    path("legalitas/", curation_views.legality_list, name="legality_list"),
    path("legalitas/catat/", curation_views.legality_submit, name="legality_submit"),
    path("legalitas/<int:pk>/verifikasi/", curation_views.legality_verify, name="legality_verify"),
]
