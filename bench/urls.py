"""The project's URLs plus the benchmark's reference page (the static reference file is served by whitenoise)."""

from django.urls import path

from bench import views
from opop.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/fortunes/", views.fortunes, name="bench_fortunes"),
    *project_urlpatterns,
]
