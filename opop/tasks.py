"""Kernel tasks. Thin wrappers around services, named explicitly so renames never orphan queued jobs."""

import socket

from celery import shared_task

from opop.services import worker_heartbeat_record


@shared_task(name="opop.worker_heartbeat")
def worker_heartbeat(worker: str | None = None) -> str:
    """Record that a worker is alive; beat runs it every minute and /healthz reports its age."""
    name = worker or socket.gethostname()
    worker_heartbeat_record(worker=name)
    return name
