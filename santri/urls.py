from django.urls import path

from santri.views import activities, api, competitions, registry

app_name = "santri"

urlpatterns = [
    path("", registry.home, name="home"),
    path("p/<int:pesantren_pk>/", registry.santri_list, name="list"),
    path("p/<int:pesantren_pk>/baru/", registry.santri_form, name="create"),
    path("p/<int:pesantren_pk>/impor/", registry.import_upload, name="import"),
    path("p/<int:pesantren_pk>/ekspor.csv", registry.export_csv, name="export"),
    path("p/<int:pesantren_pk>/token/", registry.api_tokens, name="api_tokens"),
    path("p/<int:pesantren_pk>/usaha/", registry.business_list, name="business_list"),
    path("p/<int:pesantren_pk>/usaha/baru/", registry.business_form, name="business_create"),
    path("usaha/<int:pk>/ubah/", registry.business_form, name="business_edit"),
    path("usaha/<int:pk>/toko/", registry.business_store_open, name="business_store_open"),
    path("impor/<int:pk>/", registry.import_preview, name="import_preview"),
    path("impor/<int:pk>/konfirmasi/", registry.import_confirm, name="import_confirm"),
    path("token/<int:pk>/cabut/", registry.api_token_revoke, name="api_token_revoke"),
    path("s/<int:pk>/", registry.santri_detail, name="detail"),
    path("s/<int:pk>/nik/", registry.santri_reveal, name="reveal"),
    path("s/<int:pk>/ubah/", registry.santri_form, name="edit"),
    path("s/<int:pk>/hapus/", registry.santri_delete, name="delete"),
    path("s/<int:pk>/kartu/", registry.card, name="card"),
    path("s/<int:pk>/kartu.png", registry.card_download, name="card_png"),
    path("s/<int:pk>/jalur-wirausaha/", registry.track_complete, name="track_complete"),
    path("kartu/<uuid:token>/", registry.card_verify, name="card_verify"),
    path("api/v1/santri/upsert", api.upsert, name="api_upsert"),
    path("kegiatan/", activities.event_list, name="event_list"),
    path("kegiatan/baru/", activities.event_create, name="event_create"),
    path("kegiatan/<int:pk>/", activities.event_detail, name="event_detail"),
    path("pendaftaran/<int:pk>/hadir/", activities.attendance, name="attendance"),
    path("pendaftaran/<int:pk>/batal/", activities.registration_cancel, name="registration_cancel"),
    path("pendaftaran/<int:pk>/sertifikat/", activities.certificate, name="certificate"),
    path("lomba/", competitions.competition_list, name="competition_list"),
    path("lomba/baru/", competitions.competition_create, name="competition_create"),
    path("lomba/<int:pk>/", competitions.competition_detail, name="competition_detail"),
    path("lomba/<int:pk>/terbitkan/", competitions.competition_publish, name="competition_publish"),
    path("lomba/<int:pk>/ajukan/<int:pesantren_pk>/", competitions.proposal_submit, name="proposal_submit"),
    path("proposal/<int:pk>/nilai/", competitions.proposal_score, name="proposal_score"),
]
