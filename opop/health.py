"""What /healthz checks: the database, the cache and the Celery broker, each with a short timeout.

The database is essential: without it nothing works ("error", 503). The cache and the broker are not:
while either is down pages still render (the cache degrades to misses, opop/cache.py) and tasks wait in
the outbox (opop/outbox.py), so the portal reports "degraded" (200) and names what is failing.
"""

import uuid

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from opop.models import OutboxMessage, WorkerHeartbeat


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


ESSENTIAL = {"database"}


def check_cache() -> str:
    if hasattr(cache, "health_check"):  # the fault-tolerant Redis cache hides errors from callers, not from us
        return cache.health_check(timeout=settings.HEALTHZ_PROBE_TIMEOUT)
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
    from opop import outbox
    from opop.celery import app

    if outbox.broker_breaker_open():
        raise RuntimeError("unavailable: a publish failed moments ago (breaker open)")
    timeout = settings.HEALTHZ_PROBE_TIMEOUT
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        # One PING on a fresh connection, bounded by the probe timeout (kombu's connect path makes several
        # round trips and retries); a failure opens the outbox's breaker, as a failed publish would.
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=timeout, socket_timeout=timeout, retry=None
        )
        try:
            client.ping()
        except (redis.RedisError, OSError) as exc:
            outbox.trip_breaker(exc)
            raise
        finally:
            client.close()
        return "ok"
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
    }
    with app.connection_for_write(settings.CELERY_BROKER_URL, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, timeout=2 * timeout)
        channel = conn.default_channel
        if hasattr(channel, "client"):  # Redis: one that accepts connections but never answers fails here
            channel.client.ping()
    return "ok"


def last_worker_heartbeat() -> str | None:
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return timezone.localtime(seen).isoformat() if seen else None


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_checks() -> tuple[str, dict]:
    """("ok" | "degraded" | "error", report): "error" when an essential dependency fails, "degraded" when
    another does; the report has each check's result and `failing`, the names of the failing ones."""
    report: dict[str, object] = {}
    failing: list[str] = []
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:
            failing.append(name)
            report[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
    if report.get("database") == "ok":
        try:
            report["worker_last_seen"] = last_worker_heartbeat()
            report["outbox_pending"] = OutboxMessage.objects.count()
        except Exception as exc:
            failing.append("database")
            report["worker_last_seen"] = f"error: {exc.__class__.__name__}"
    report["failing"] = failing
    if ESSENTIAL.intersection(failing):
        return "error", report
    return ("degraded" if failing else "ok"), report
