"""Every Celery task in the project is enqueued through here: in the transaction that causes it, and handed to the
broker at least once after that transaction commits.

`enqueue_on_commit(task_name, kwargs)` is a transactional outbox:

- eager mode (no broker: dev, tests): the task runs in-process after the commit, as before;
- otherwise an `OutboxMessage` row is written **inside the caller's transaction**, so it commits together with
  the order, the payment or the report that caused it (and vanishes with them on a rollback). After the commit
  the fast path publishes it with a short timeout (OUTBOX_PUBLISH_TIMEOUT), no retries, and deletes the row.
  A process that dies before the commit loses the task together with the rows that caused it; one that dies
  after it — between the commit and the publish, or between the publish and the delete — leaves the task
  published, in the table, or both, never neither. If publishing
  fails (Redis refused, silent, full...) the row stays with the error; after a failure this process skips the
  broker for OUTBOX_BREAKER_SECONDS, so a silent broker costs one timeout per process per window.

Under the web server (opop/wsgi.py, `deliver_after_response`) the fast path runs once the response has been
sent, so nobody waits for the broker: a checkout's redirect leaves before its e-mails are published. The rows are
committed by then, so a process that dies in between loses nothing.

`outbox_flush()` is the relay: it re-sends the stored tasks one by one, each row locked with
SELECT ... FOR UPDATE SKIP LOCKED (any number of relays may run at once) and deleted in the same
transaction as its successful send. Rows younger than OUTBOX_RELAY_GRACE_SECONDS that no fast path has tried
yet are left to their fast path (which is publishing them that moment), so a healthy system sends each task
once — unless the transaction that wrote it ran longer than the grace, when relay and fast path may both send
it. It runs (1) every minute from beat as the task `opop.outbox_flush`, (2) in each worker as it starts
(`worker_ready`), (3) once a web process that had failed publishes successfully again (it queues
`opop.outbox_flush` for a worker rather than draining in the request), and (4) by hand: `manage.py
outbox_flush`.

What that guarantees, with a broker: every committed task reaches the broker at least once. It may reach it
twice — a process killed between publish and delete, a publish that timed out after Redis took it, the grace
race above — so every task is idempotent. Past the broker, CELERY_TASK_ACKS_LATE with
CELERY_TASK_REJECT_ON_WORKER_LOST hands a job whose worker died to another worker; but a job waiting in Redis
is only as durable as Redis: a Redis flushed or replaced by an empty one loses the jobs it held
(docs/operations.md), and the outbox does not send them again. In eager mode nothing is stored: the task runs
in the committing process after the commit, and a process killed in between loses it (at most once; dev and
tests only).
"""

import logging
import threading
import time
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from opop.models import OutboxMessage

logger = logging.getLogger("opop.outbox")

FLUSH_TASK = "opop.outbox_flush"

# The stored rows a request's transactions committed, published once its response is sent (deliver_after_response);
# None outside such a request (tasks, commands, tests through Django's client): published right after the commit.
_after_response: ContextVar[list[OutboxMessage] | None] = ContextVar("opop_outbox_after_response", default=None)

_breaker_lock = threading.Lock()
_broker_down_until: float | None = None  # time.monotonic() until which this process skips the broker


def _app():
    """The project's Celery app. Read as Celery's current app (opop/__init__.py creates it, as current, before any
    module of the kernel is imported), so that opop.celery — which drains the outbox when a worker starts — and
    this module do not import each other."""
    return current_app._get_current_object()


def _is_eager() -> bool:
    return bool(_app().conf.task_always_eager)


def _task(name: str):
    app = _app()
    task = app.tasks.get(name)
    if task is None:  # a web process imports the apps' tasks modules only when first needed
        app.loader.import_default_modules()
        task = app.tasks.get(name)
    return task


def _producer():
    """A pooled producer on a write connection bounded by OUTBOX_PUBLISH_TIMEOUT: no retries, no waiting."""
    from kombu import pools

    app = _app()
    timeout = settings.OUTBOX_PUBLISH_TIMEOUT
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "max_retries": 0,  # kombu: do not loop on a refused connection
    }
    conn = app.connection_for_write(connect_timeout=timeout, transport_options=options)
    # kombu keeps one producer pool per (broker URL, options): connections are reused between requests.
    return pools.producers[conn].acquire(block=True, timeout=timeout)


def _send(producer, task_name: str, kwargs: dict[str, Any], task_id: str | None) -> None:
    _app().send_task(task_name, kwargs=kwargs, task_id=task_id, producer=producer, retry=False)


def publish(task_name: str, kwargs: dict[str, Any], *, task_id: str | None = None) -> None:
    """Hand one task to the broker now, or raise. Bounded by OUTBOX_PUBLISH_TIMEOUT: no retries, no waiting."""
    with _producer() as producer:
        _send(producer, task_name, kwargs, task_id)


def broker_breaker_open() -> bool:
    """True while this process skips the broker after a failure (publishing, or /healthz's probe)."""
    until = _broker_down_until
    return until is not None and time.monotonic() < until


def trip_breaker(exc: BaseException) -> None:
    global _broker_down_until
    with _breaker_lock:
        _broker_down_until = time.monotonic() + settings.OUTBOX_BREAKER_SECONDS


def _recovered() -> bool:
    """True once, for the first successful publish after this process saw the broker fail."""
    global _broker_down_until
    if _broker_down_until is None:  # the usual case: no lock taken
        return False
    with _breaker_lock:
        was_down = _broker_down_until is not None
        _broker_down_until = None
    return was_down


def reset_breaker() -> None:
    """Forget any broker failure this process saw (tests, and after a deliberate broker switch)."""
    global _broker_down_until
    with _breaker_lock:
        _broker_down_until = None


def enqueue(task_name: str, kwargs: dict[str, Any] | None = None) -> None:
    """Run (eager mode) or send the task now, through a stored row like every task: for callers outside any
    business transaction. Inside one, use `enqueue_on_commit`."""
    kwargs = dict(kwargs or {})
    if _is_eager():
        task = _task(task_name)
        if task is not None:  # the app that owns it is not installed: nobody would run it
            task.apply(kwargs=kwargs)
        return
    _deliver([OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs)])


def _attempts_failed(message_ids: list[int], error: str) -> None:
    OutboxMessage.objects.filter(pk__in=message_ids).update(
        attempts=models.F("attempts") + 1, last_attempt_at=timezone.now(), last_error=error[:1000]
    )
    logger.warning("opop.outbox.stored", extra={"outbox_ids": message_ids, "error": error[:300]})


def _deliver(messages: list[OutboxMessage]) -> None:
    """The fast path after the commit: publish the stored rows' tasks now, on one producer, and delete the sent
    rows with one DELETE; leave the rest with the error for the relay. A broker failure never raises (the
    request that committed carries on); a database failure does."""
    if broker_breaker_open():
        _attempts_failed([m.pk for m in messages], "broker skipped: it failed moments ago in this process")
        return
    sent: list[int] = []
    try:
        with _producer() as producer:
            for message in messages:
                _send(producer, message.task_name, message.kwargs, str(message.task_id))
                sent.append(message.pk)
    except Exception as exc:  # refused, timed out, pool exhausted...: the broker is not taking work
        trip_breaker(exc)
        _attempts_failed([m.pk for m in messages if m.pk not in sent], f"{exc.__class__.__name__}: {exc}")
    if sent:
        OutboxMessage.objects.filter(pk__in=sent).delete()
    if sent and len(sent) == len(messages) and _recovered() and all(m.task_name != FLUSH_TASK for m in messages):
        # The broker is back: let a worker drain what this and other processes stored meanwhile.
        try:
            publish(FLUSH_TASK, {})
        except Exception:  # beat's minutely flush will do it
            logger.warning("opop.outbox.flush_not_queued")


class _OnCommit:
    """The on_commit callback of one savepoint level of a transaction: every task enqueued at that level, sent
    together after the commit (one producer, one DELETE). Rolled back with its savepoint, like the rows."""

    def __init__(self):
        self.tasks: list[tuple[str, dict[str, Any], OutboxMessage | None]] = []

    def __call__(self) -> None:
        stored = [message for _name, _kwargs, message in self.tasks if message is not None]
        pending = _after_response.get()
        if stored and pending is not None:
            pending += stored
        elif stored:
            _deliver(stored)
        for task_name, kwargs, message in self.tasks:
            if message is None:  # eager mode: nothing was stored, run it here
                enqueue(task_name, kwargs)


def _scheduled() -> list[tuple[set, Any, bool]]:
    return [entry for entry in connection.run_on_commit if isinstance(entry[1], _OnCommit)]


def enqueue_on_commit(task_name: str, kwargs: dict[str, Any] | None = None, *, once_per_transaction=False) -> None:
    """Enqueue `task_name(**kwargs)` with the current transaction: stored in it, sent after it commits (at once
    outside a transaction), gone if it rolls back.

    `kwargs` must be JSON-serialisable (the broker and the outbox both store JSON). With
    `once_per_transaction`, a task already scheduled in this transaction with the same kwargs is not scheduled
    again (the rollup: one per transaction, however many facts it wrote). The tasks of one savepoint level
    share one callback, so a checkout's e-mails and rollup reach the broker in one round of publishing.
    """
    kwargs = dict(kwargs or {})
    if once_per_transaction and any(
        name == task_name and queued == kwargs
        for _sids, callback, _robust in _scheduled()
        for name, queued, _m in callback.tasks
    ):
        return
    enqueue_all_on_commit(task_name, [kwargs])


def enqueue_all_on_commit(task_name: str, kwargs_list: list[dict[str, Any]]) -> None:
    """enqueue_on_commit for several calls of one task (a checkout's e-mail per order): their rows are stored
    with one INSERT."""
    kwargs_list = [dict(kwargs) for kwargs in kwargs_list]
    if not kwargs_list:
        return
    messages: list[OutboxMessage | None] = [None] * len(kwargs_list)
    if not _is_eager():
        messages = OutboxMessage.objects.bulk_create(
            OutboxMessage(task_name=task_name, kwargs=kwargs) for kwargs in kwargs_list
        )
    tasks = [(task_name, kwargs, message) for kwargs, message in zip(kwargs_list, messages, strict=True)]
    if connection.in_atomic_block:
        here = set(connection.savepoint_ids)
        for sids, callback, _robust in _scheduled():
            if sids == here:  # same savepoint level: rolled back, or committed, together with these rows
                callback.tasks += tasks
                return
    callback = _OnCommit()
    callback.tasks += tasks
    transaction.on_commit(callback)


class _ThenDeliver:
    """The response's iterable, publishing the request's committed tasks when the server closes it: after the
    last byte went out, and before Django's own close (whose request_finished may close the database
    connection the DELETE of the sent rows needs)."""

    def __init__(self, result, pending: list[OutboxMessage]):
        self.result, self.pending = result, pending

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        try:
            _deliver(self.pending)
        except Exception:  # the database failed: the rows stay for the relay
            logger.exception("opop.outbox.after_response_failed", extra={"outbox_ids": [m.pk for m in self.pending]})
        finally:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()


def deliver_after_response(application):
    """Wrap a WSGI application so that the tasks each request commits are published after its response is sent
    (`_ThenDeliver`). A response without tasks is returned as it is (a static file keeps the server's sendfile)."""

    def wrapped(environ, start_response):
        pending: list[OutboxMessage] = []
        token = _after_response.set(pending)
        try:
            result = application(environ, start_response)
        finally:
            _after_response.reset(token)
        return _ThenDeliver(result, pending) if pending else result

    return wrapped


def outbox_pending() -> int:
    return OutboxMessage.objects.count()


def outbox_flush(*, limit: int = 1000) -> dict[str, int]:
    """Send up to `limit` stored tasks, oldest first; stop at the first failure (the broker is still down).

    Each row is locked (skip locked: concurrent relays take different rows), sent, and deleted in one
    transaction, so a row is never sent by two relays at once and a sent row does not stay behind.
    Returns {"sent": n, "failed": 0 or 1, "pending": rows left}.
    """
    sent = failed = 0
    eager = _is_eager()
    # A row no fast path has tried yet, written moments ago, is being published by the process that wrote it.
    grace = timezone.now() - timedelta(seconds=settings.OUTBOX_RELAY_GRACE_SECONDS)
    fresh_left_to_fast_path = ~Q(attempts=0, created_at__gt=grace)
    while sent < limit:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(fresh_left_to_fast_path)
                .order_by("id")
                .first()
            )
            if message is None:
                break
            try:
                if eager:
                    task = _task(message.task_name)
                    if task is not None:
                        task.apply(kwargs=message.kwargs, throw=True)
                else:
                    publish(message.task_name, message.kwargs, task_id=str(message.task_id))
            except Exception as exc:
                failed = 1
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1,
                    last_attempt_at=timezone.now(),
                    last_error=f"{exc.__class__.__name__}: {exc}"[:1000],
                )
                logger.warning("opop.outbox.flush_failed", extra={"outbox_id": message.pk, "error": str(exc)[:300]})
                break
            message.delete()
            sent += 1
    if sent and not failed:
        reset_breaker()
    if sent or failed:
        logger.info("opop.outbox.flushed", extra={"sent": sent, "failed": failed})
    return {"sent": sent, "failed": failed, "pending": outbox_pending()}
