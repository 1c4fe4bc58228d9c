from django.urls import path

from pesantren import views

app_name = "pesantren"

urlpatterns = [
    path("", views.my_pesantren, name="mine"),
    path("daftar/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/unit/baru/", views.unit_form, name="unit_create"),
    path("unit/<int:unit_pk>/ubah/", views.unit_form, name="unit_edit"),
    path("<int:pk>/mitra/", views.collaborators, name="collaborators"),
    path("<int:pk>/pemetaan/baru/", views.mapping_create, name="mapping_create"),
    path("<int:pk>/pendampingan/baru/", views.mentoring_create, name="mentoring_create"),
    path("<int:pk>/laporan/baru/", views.report_create, name="report_create"),
    path("<int:pk>/kartu/", views.card, name="card"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/koreksi/", views.report_correct, name="report_correct"),
    path("laporan/<int:pk>/tinjau/", views.report_review, name="report_review"),
    path("staf/", views.staff_list, name="staff_list"),
    path("staf/ekspor.csv", views.staff_export, name="staff_export"),
    path("staf/antrean/", views.verification_queue, name="queue"),
    path("staf/mitra/", views.partners, name="partners"),
    path("direktori/", views.directory, name="directory"),
    path("p/<slug:slug>/", views.public_profile, name="public"),
    path("kartu/<uuid:token>/", views.card_verify, name="card_verify"),
]
