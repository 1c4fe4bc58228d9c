import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_broker(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    payload = response.json()
    assert payload["status"] == "ok" and payload["failing"] == []
    assert payload["database"] == "ok"
    assert payload["cache"] == "ok"
    assert payload["broker"] == "eager"  # the test settings always run tasks eagerly
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_degraded_when_the_broker_is_unreachable(client):
    # Degraded, not down: tasks wait in the outbox (more outage cases in test_outage.py).
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 200
    payload = response.json()
    assert payload["status"] == "degraded" and payload["failing"] == ["broker"]
    assert payload["broker"].startswith("error:")
    assert payload["database"] == "ok"


def test_healthz_is_degraded_when_the_cache_is_unreachable(client):
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=caches):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["cache"].startswith("error:")


def test_healthz_shows_when_a_worker_last_ran(client):
    from opop.tasks import worker_heartbeat

    worker_heartbeat.delay("worker-1@test")
    assert client.get("/healthz").json()["worker_last_seen"] is not None
