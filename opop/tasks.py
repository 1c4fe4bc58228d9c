"""Kernel tasks. Thin wrappers around services, named explicitly so renames never orphan queued jobs."""

import socket

from celery import shared_task
from django.core.mail import send_mail

from opop.services import worker_heartbeat_record


@shared_task(name="opop.worker_heartbeat")
def worker_heartbeat(worker: str | None = None) -> str:
    """Record that a worker is alive; beat runs it every minute and /healthz reports its age."""
    name = worker or socket.gethostname()
    worker_heartbeat_record(worker=name)
    return name


@shared_task(name="opop.send_mail")
def send_mail_task(*, subject: str, body: str, recipients: list[str]) -> int:
    """One e-mail, already rendered in the recipient's language (opop.mail.send_mail_on_commit queues it)."""
    from opop.mail import mail_brand

    subject, body = mail_brand(subject=subject, body=body)
    return send_mail(subject, body, None, recipients, fail_silently=False)


@shared_task(name="opop.outbox_flush")
def outbox_flush_task(limit: int = 1000) -> dict[str, int]:
    """Re-send the tasks the web could not enqueue while the broker was down (opop/outbox.py). Idempotent."""
    from opop.outbox import outbox_flush

    return outbox_flush(limit=limit)
