from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wilayah/", views.regions, name="regions"),
    path("wilayah/<str:kode>/", views.region, name="region"),
    path("angkatan/", views.cohorts, name="cohorts"),
    path("transparansi/", views.public, name="public"),
]
