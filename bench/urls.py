"""The project's URLs plus the benchmark's reference page (the static reference file is served by whitenoise).

With `BENCH_SERVE_MEDIA` (bench/lighthouse.py) Django also serves the uploads, as object storage or the web
server in front does in production: DEBUG is off here, so opop/urls.py does not.
"""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from bench import views
from opop.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/fortunes/", views.fortunes, name="bench_fortunes"),
    *project_urlpatterns,
]
if getattr(settings, "BENCH_SERVE_MEDIA", False):
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
