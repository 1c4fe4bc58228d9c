import copy
import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from opop.readiness import pending_migrations
from opop.tests.test_settings import load_settings

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz")
    generated = response["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz")["X-Request-ID"] != generated


def test_the_load_balancers_request_id_is_kept_and_junk_is_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234567890")["X-Request-ID"] == "lb-1234567890"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_readyz_is_ready_when_every_migration_is_applied(client):
    assert pending_migrations() == []
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_readyz_refuses_traffic_while_a_migration_is_pending(client):
    app_label, name = MigrationLoader(connection).graph.leaf_nodes("opop")[0]
    MigrationRecorder(connection).record_unapplied(app_label, name)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["pending_migrations"] == [f"opop.{name}"]


def test_json_logs_carry_the_request_id(client):
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    config["loggers"]["opop.probe"] = {"level": "INFO", "handlers": ["console"], "propagate": False}
    logging.config.dictConfig(config)
    try:
        from opop.request_id import request_id_var

        token = request_id_var.set("req-abcdef12")
        logging.getLogger("opop.probe").info("order.placed", extra={"order": 7})
        request_id_var.reset(token)
        line = json.loads(stream.getvalue().strip().splitlines()[-1])
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert line["message"] == "order.placed"
    assert line["request_id"] == "req-abcdef12"
    assert line["level"] == "INFO" and line["logger"] == "opop.probe" and line["order"] == 7


def test_media_goes_to_object_storage_when_a_bucket_is_named(monkeypatch):
    config = load_settings(
        "opop.settings.dev",
        monkeypatch,
        AWS_STORAGE_BUCKET_NAME="opop-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    storage = config["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "opop-media"
    assert storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert load_settings("opop.settings.dev", monkeypatch)["STORAGES"]["default"]["BACKEND"].endswith(
        "FileSystemStorage"
    )


def test_production_logs_are_json_and_sessions_live_in_the_shared_database_or_cache(monkeypatch):
    config = load_settings("opop.settings.prod", monkeypatch, SECRET_KEY="k" * 60, ALLOWED_HOSTS="opop.example")
    assert config["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert config["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert config["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
