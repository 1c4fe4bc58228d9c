"""What /healthz checks: the database, the cache and the Celery broker, each with a short timeout."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from opop.models import WorkerHeartbeat


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not return what was written")
    return "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "eager"
    from opop.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def last_worker_heartbeat() -> str | None:
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return timezone.localtime(seen).isoformat() if seen else None


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_checks() -> tuple[bool, dict]:
    report: dict[str, str | None] = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:
            healthy = False
            report[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
    if report.get("database") == "ok":
        try:
            report["worker_last_seen"] = last_worker_heartbeat()
        except Exception as exc:
            healthy = False
            report["worker_last_seen"] = f"error: {exc.__class__.__name__}"
    return healthy, report
