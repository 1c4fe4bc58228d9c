"""Production static files: hashed names, gzip and brotli copies, and a year-plus cache for hashed URLs.

collectstatic runs into a temporary folder with the production storage; whitenoise then serves it
the way a production node does (from STATIC_ROOT, no finders, no autorefresh).
"""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

from opop.tests.test_settings import load_settings

ONE_YEAR = 60 * 60 * 24 * 365


@pytest.fixture
def collected(monkeypatch, settings, tmp_path):
    prod = load_settings("opop.settings.prod", monkeypatch, SECRET_KEY="k" * 60, ALLOWED_HOSTS="opop.example")
    assert prod["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in prod["MIDDLEWARE"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": prod["STORAGES"]["staticfiles"]}
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WHITENOISE_AUTOREFRESH = prod.get("WHITENOISE_AUTOREFRESH", False)
    settings.WHITENOISE_USE_FINDERS = prod.get("WHITENOISE_USE_FINDERS", False)
    # The admin's own files (most of the bytes) are left out to keep the test quick; they take the same path.
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
    return settings.STATIC_ROOT


def _max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


@pytest.mark.django_db
def test_static_files_are_hashed_compressed_and_cached_for_at_least_a_year(collected):
    url = staticfiles_storage.url("css/mart.css")
    assert re.fullmatch(r"/static/css/mart\.[0-9a-f]{12}\.css", url)
    hashed = collected / url.removeprefix("/static/")
    assert hashed.with_name(hashed.name + ".gz").is_file()
    assert hashed.with_name(hashed.name + ".br").is_file()

    client = Client()  # a new client builds the middleware, and whitenoise, from these settings
    brotli = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert brotli.status_code == 200 and brotli["Content-Encoding"] == "br"
    assert _max_age(brotli) >= ONE_YEAR and "immutable" in brotli["Cache-Control"]
    gzipped = client.get(url, headers={"accept-encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip" and _max_age(gzipped) >= ONE_YEAR
    assert "Accept-Encoding" in gzipped["Vary"]

    # The unhashed name is still served, but briefly cached: a deploy that changes it is seen soon.
    plain = client.get("/static/css/mart.css")
    assert plain.status_code == 200 and _max_age(plain) < ONE_YEAR and "immutable" not in plain["Cache-Control"]

    # Pages link the hashed name.
    assert url in client.get("/mart/").content.decode()
