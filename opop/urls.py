from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from opop import pwa, views

app_urls = (
    [
        path("organisasi/", views.organisation_list, name="organisation_list"),
        path("organisasi/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
        path("akun/profil/", views.profile, name="profile"),
        path("akun/profil/data/", views.data_export, name="data_export"),
        path("akun/profil/hapus/", views.deletion_request, name="deletion_request"),
        path("akun/profil/hapus/batal/", views.deletion_withdraw, name="deletion_withdraw"),
        path("privasi/", views.privacy_notice, name="privacy_notice"),
        path("offline/", pwa.offline, name="offline"),
        re_path(
            r"^wilayah/(?P<kode>[0-9]{2}(?:\.[0-9]{2}){0,2}(?:\.[0-9]{4})?)/anak\.json$",
            views.wilayah_children,
            name="wilayah_children",
        ),
        path("staf/privasi/", views.deletion_queue, name="deletion_queue"),
        path("staf/privasi/<int:pk>/proses/", views.deletion_process, name="deletion_process"),
    ],
    "opop",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("robots.txt", pwa.robots_txt, name="robots_txt"),
    path("sitemap.xml", pwa.sitemap_index, name="sitemap_index"),
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(app_urls)),
    path("pesantren/", include("pesantren.urls")),
    path("samsat/", include("pesantren.samsat.urls")),
    path("santri/", include("santri.urls")),
    path("alumni/", include("alumni.urls")),
    path("mart/", include("marketplace.urls")),
    path("halal/", include("marketplace.halal.urls")),
    path("b2b/", include("marketplace.b2b.urls")),
    path("laporan/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # The embedded default serves uploads itself; production puts them on object storage.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
