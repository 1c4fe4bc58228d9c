from django.urls import path

from alumni import views

app_name = "alumni"

urlpatterns = [
    path("", views.home, name="home"),
    path("alumnus/<int:pk>/tinjau/", views.alumnus_review, name="alumnus_review"),
    path("lulus/<int:santri_pk>/", views.graduate, name="graduate"),
    path("usaha/baru/", views.business_create, name="business_create"),
    path("usaha/<int:pk>/", views.business_detail, name="business_detail"),
    path("usaha/<int:pk>/laporan/baru/", views.report_create, name="report_create"),
    path("laporan/<int:pk>/koreksi/", views.report_correct, name="report_correct"),
    path("laporan/<int:pk>/tinjau/", views.report_review, name="report_review"),
    path("kolaborasi/baru/", views.collaboration_propose, name="collaboration_propose"),
    path("kolaborasi/<int:pk>/jawab/", views.collaboration_respond, name="collaboration_respond"),
]
