import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from opop.settings.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def load_settings(module: str, monkeypatch, **environ) -> dict:
    for name in (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "EMAIL_BACKEND",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    # Re-execute the shared base module too, so it reads this environment.
    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_CUSTOM_DOMAIN", "LOG_FORMAT"):
        if name not in environ:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.delitem(sys.modules, "opop.settings.base", raising=False)
    return runpy.run_module(module)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("OPOP_FLAG", raw)
    assert env_bool("OPOP_FLAG") is expected


def test_env_bool_refuses_nonsense_with_a_message(monkeypatch):
    monkeypatch.setenv("OPOP_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="OPOP_FLAG must be a boolean"):
        env_bool("OPOP_FLAG")


def test_env_int_list_and_required_str(monkeypatch):
    monkeypatch.setenv("OPOP_N", "42")
    monkeypatch.setenv("OPOP_HOSTS", " a.example, b.example ,,")
    monkeypatch.delenv("OPOP_MISSING", raising=False)
    assert env_int("OPOP_N", 1) == 42
    assert env_list("OPOP_HOSTS") == ["a.example", "b.example"]
    assert env_str("OPOP_MISSING", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="OPOP_MISSING"):
        env_str("OPOP_MISSING", required=True)
    monkeypatch.setenv("OPOP_N", "many")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("OPOP_N", 1)


def test_embedded_default_is_sqlite_eager_locmem_console(monkeypatch):
    config = load_settings("opop.settings.dev", monkeypatch)
    assert config["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert config["CELERY_TASK_ALWAYS_EAGER"] is True
    assert config["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert config["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")
    assert config["DEBUG"] is True
    assert config["LANGUAGE_CODE"] == "id"
    assert config["TIME_ZONE"] == "Asia/Jakarta"


def test_environment_switches_to_postgres_redis_and_a_broker(monkeypatch):
    config = load_settings(
        "opop.settings.dev",
        monkeypatch,
        DATABASE_URL="postgres://opop:rahasia@db.internal:5433/opop",
        CELERY_BROKER_URL="redis://broker:6379/0",
        REDIS_URL="redis://cache:6379/1",
        DEBUG="false",
    )
    database = config["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"], database["USER"]) == (
        "db.internal",
        5433,
        "opop",
        "opop",
    )
    assert config["CELERY_TASK_ALWAYS_EAGER"] is False
    assert config["CELERY_BROKER_URL"] == "redis://broker:6379/0"
    assert config["CACHES"]["default"]["LOCATION"] == "redis://cache:6379/1"
    assert config["DEBUG"] is False


def test_production_demands_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings("opop.settings.prod", monkeypatch, ALLOWED_HOSTS="opop.example")


def test_production_demands_allowed_hosts(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        load_settings("opop.settings.prod", monkeypatch, SECRET_KEY="x" * 60)


def test_production_check_deploy_reports_nothing():
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opop.settings.prod",
        "SECRET_KEY": "k9#Lq2vT8zR1wX5mN7bC3dF6gH0jK4pS-long-enough-random-production-key",
        "ALLOWED_HOSTS": "opop.jatimprov.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_csp_allows_images_from_object_storage_when_media_lives_there(monkeypatch):
    plain = load_settings("opop.settings.dev", monkeypatch)
    assert plain["SECURE_CSP"]["img-src"] == ["'self'", "data:"]
    minio = load_settings(
        "opop.settings.dev", monkeypatch, AWS_STORAGE_BUCKET_NAME="media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000"
    )
    assert minio["SECURE_CSP"]["img-src"] == ["'self'", "data:", "http://127.0.0.1:9000", "http://media.127.0.0.1:9000"]
    cdn = load_settings(
        "opop.settings.dev", monkeypatch, AWS_STORAGE_BUCKET_NAME="media", AWS_S3_CUSTOM_DOMAIN="media.opop.example"
    )
    assert cdn["SECURE_CSP"]["img-src"] == ["'self'", "data:", "https://media.opop.example"]


@pytest.mark.django_db  # importing the task modules lets Celery's Django fixup touch the database
def test_a_killed_workers_job_comes_back_in_minutes_and_no_healthy_job_outlives_the_visibility_timeout():
    from opop.celery import app

    app.loader.import_default_modules()
    options = app.conf.broker_transport_options
    assert options["visibility_timeout"] == 300  # kombu's default would be 3,600 s
    assert options["unacked_restore_interval"] == 10 and options["unacked_restore_throttle"] == 1
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert {"reports.rollup_full", "opop.send_mail", "marketplace.expire_unpaid_orders"} <= set(ours)
    for name, task in ours.items():
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert soft < hard < options["visibility_timeout"], name
    assert app.tasks["reports.rollup_full"].time_limit == 240
    assert app.tasks["opop.send_mail"].time_limit == 90 and app.tasks["opop.send_mail"].soft_time_limit == 60
