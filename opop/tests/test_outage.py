"""Redis down, refused or silent: the cache degrades, logins work, /healthz says "degraded", tasks wait in the
outbox and are sent once the broker is back. (The order journey through a dead broker is in marketplace's
test_outage.py; a worker killed mid-rollup is in tests/test_multinode.py.)"""

import contextlib
import json
import os
import threading
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from opop import cache as fault_tolerant_cache
from opop import health, outbox
from opop.models import OutboxMessage
from opop.tests.outage import SilentServer, broken_redis, broker_at, cache_at, private_redis

pytestmark = pytest.mark.django_db

KINDS = ["refused", "silent"]
REAL_BROKER = os.environ.get("CELERY_BROKER_URL")
needs_broker = pytest.mark.skipif(
    not (REAL_BROKER or "").startswith("redis://"),
    reason="needs a real Redis broker in CELERY_BROKER_URL (CI's PostgreSQL + Redis pass)",
)


# --- The cache ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_dead_cache_is_a_miss_and_writes_are_no_ops(kind):
    with broken_redis(kind) as url, cache_at(url):
        cache.set("k", "v")
        assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
        assert cache.add("k", "v") is True  # fail open: a lock taken with add() must not block every login
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        cache.delete("k")
        cache.set_many({"a": 1})
        with pytest.raises(ValueError):  # like a missing key, which callers of incr() already handle
            cache.incr("k")
        with pytest.raises(Exception):  # noqa: B017 - /healthz still sees the real error
            cache.health_check()


def test_the_cache_has_short_socket_timeouts_and_no_retries(monkeypatch):
    from opop.tests.test_settings import load_settings

    config = load_settings("opop.settings.dev", monkeypatch, REDIS_URL="redis://cache:6379/1")
    cache_settings = config["CACHES"]["default"]
    assert cache_settings["BACKEND"] == "opop.cache.FaultTolerantRedisCache"
    options = cache_settings["OPTIONS"]
    assert 0 < options["socket_connect_timeout"] <= 1 and 0 < options["socket_timeout"] <= 1
    assert options["retry"] is None
    broker = config["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert 0 < broker["socket_connect_timeout"] <= 5 and 0 < broker["socket_timeout"] <= 10
    assert 0 < config["CELERY_BROKER_CONNECTION_TIMEOUT"] <= 5
    assert 0 < config["OUTBOX_PUBLISH_TIMEOUT"] <= 2


def test_a_silent_cache_costs_one_timeout_per_breaker_window_not_one_per_call():
    with SilentServer() as server, cache_at(server.url):
        assert cache.get("a") is None
        assert len(server.accepted) == 1
        for _ in range(5):
            assert cache.get("a") is None  # the breaker is open: Redis is not even tried
        assert len(server.accepted) == 1
        fault_tolerant_cache._down_until.clear()  # the window has passed
        assert cache.get("a") is None
        assert len(server.accepted) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_pages_render_and_a_login_works_with_redis_down(client, shopper, kind):
    with broken_redis(kind) as url, cache_at(url):
        assert client.get("/").status_code == 200
        response = client.post(reverse("account_login"), {"login": shopper.email, "password": "sandi-rahasia-123"})
        assert response.status_code == 302
        page = client.get(reverse("opop:organisation_list"))  # login required: the session came back from PostgreSQL
        assert page.status_code == 200 and page.wsgi_request.user == shopper
        assert client.post(reverse("account_logout")).status_code == 302
        assert client.get(reverse("opop:organisation_list")).status_code == 302


@pytest.mark.parametrize("kind", KINDS)
def test_failed_logins_are_still_rate_limited_while_redis_is_down(client, shopper, kind):
    """The limiter falls back to this process's memory, not to no limit at all."""
    fault_tolerant_cache._local_limits.clear()
    with broken_redis(kind) as url, cache_at(url):
        for _ in range(5):
            client.post(reverse("account_login"), {"login": shopper.email, "password": "salah"})
        response = client.post(reverse("account_login"), {"login": shopper.email, "password": "sandi-rahasia-123"})
        assert "_auth_user_id" not in client.session
        assert "terlalu banyak" in response.content.decode().lower()
        assert cache.get("unrelated-key") is None  # everything else is still a miss, not a local copy
        cache.set("unrelated-key", "x")
        assert cache.get("unrelated-key") is None
    fault_tolerant_cache._local_limits.clear()


def test_healthz_answers_at_once_while_a_breaker_is_open(client):
    with broken_redis("silent") as url, cache_at(url), broker_at(url):
        first = client.get("/healthz").json()
        assert {"cache", "broker"} <= set(first["failing"])
        second = client.get("/healthz").json()  # the probes' own failure opened both breakers: nobody waits again
        assert "breaker open" in second["cache"] and "breaker open" in second["broker"], second


# --- /healthz and /readyz -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_healthz_is_degraded_and_names_the_cache_when_it_is_down(client, kind):
    with broken_redis(kind) as url, cache_at(url):
        response = client.get("/healthz")
        ready = client.get("/readyz")
    assert response.status_code == 200
    payload = response.json()
    assert payload["status"] == "degraded" and payload["failing"] == ["cache"]
    assert payload["cache"].startswith("error:") and payload["database"] == "ok"
    assert ready.status_code == 200 and ready.json()["health"] == "degraded"  # the node stays in rotation


@pytest.mark.parametrize("kind", KINDS)
def test_healthz_is_degraded_and_names_the_broker_when_it_is_down(client, kind):
    with broken_redis(kind) as url, broker_at(url):
        payload = client.get("/healthz").json()
    assert payload["status"] == "degraded" and payload["failing"] == ["broker"]
    assert payload["broker"].startswith("error:")


def test_healthz_is_an_error_when_the_database_is_down(client, monkeypatch):
    def down():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error" and response.json()["failing"] == ["database"]
    assert client.get("/readyz").status_code == 503


def test_healthz_counts_the_tasks_waiting_in_the_outbox(client):
    OutboxMessage.objects.create(task_name="opop.send_mail", kwargs={})
    assert client.get("/healthz").json()["outbox_pending"] == 1


# --- The outbox -----------------------------------------------------------------------------------------------

MAIL = {"subject": "Pesanan", "body": "Terima kasih.", "recipients": ["a@opop.test"]}


@pytest.mark.parametrize("kind", KINDS)
def test_a_task_the_broker_does_not_take_waits_in_the_outbox(kind, django_capture_on_commit_callbacks):
    with (
        broken_redis(kind) as url,
        broker_at(url),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        outbox.enqueue_on_commit("opop.send_mail", MAIL)
        outbox.enqueue_on_commit("reports.rollup_incremental", once_per_transaction=True)
        outbox.enqueue_on_commit("reports.rollup_incremental", once_per_transaction=True)
        # Stored in the transaction itself, not yet tried: it commits with the business rows or not at all.
        assert list(OutboxMessage.objects.values_list("task_name", "attempts")) == [
            ("opop.send_mail", 0),
            ("reports.rollup_incremental", 0),
        ]
    first, second = OutboxMessage.objects.order_by("id")
    assert (first.task_name, first.kwargs, first.attempts) == ("opop.send_mail", MAIL, 1)
    assert first.last_error.startswith("OperationalError")
    assert second.task_name == "reports.rollup_incremental" and second.kwargs == {}  # once per transaction
    # Sent together after the commit: one attempt at the broker for the transaction, not one timeout per task.
    assert (second.attempts, second.last_error) == (1, first.last_error)
    assert first.task_id != second.task_id
    assert len(mail.outbox) == 0


@pytest.fixture
def recorded_broker(monkeypatch):
    """The broker as a list: what the fast path hands over, in order (`fail_at` names a task the broker refuses)."""
    sent: list[str] = []
    state = {"fail_at": None}

    def send(producer, task_name, kwargs, task_id):
        if state["fail_at"] is not None and kwargs.get("subject") == state["fail_at"]:
            raise ConnectionError("refused")
        sent.append(kwargs.get("subject", task_name))

    monkeypatch.setattr(outbox, "_is_eager", lambda: False)
    monkeypatch.setattr(outbox, "_producer", contextlib.nullcontext)
    monkeypatch.setattr(outbox, "_send", send)
    outbox.reset_breaker()
    yield sent, state
    outbox.reset_breaker()


def test_a_transactions_tasks_are_sent_together_and_deleted_in_one_statement(
    recorded_broker, django_capture_on_commit_callbacks, django_assert_num_queries
):
    sent, _state = recorded_broker
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for subject in ("Satu", "Dua", "Tiga"):
            outbox.enqueue_on_commit("opop.send_mail", {**MAIL, "subject": subject})
        outbox.enqueue_on_commit("reports.rollup_incremental", once_per_transaction=True)
    assert len(callbacks) == 1
    with django_assert_num_queries(1):  # the DELETE of the four sent rows
        callbacks[0]()
    assert sent == ["Satu", "Dua", "Tiga", "reports.rollup_incremental"]
    assert not OutboxMessage.objects.exists()


def test_a_task_of_a_rolled_back_savepoint_is_not_sent_with_the_rest(
    recorded_broker, django_capture_on_commit_callbacks
):
    sent, _state = recorded_broker
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue_on_commit("opop.send_mail", {**MAIL, "subject": "Sebelum"})
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.enqueue_on_commit("opop.send_mail", {**MAIL, "subject": "Dibatalkan"})
            raise RuntimeError("the inner step failed")
        outbox.enqueue_on_commit("opop.send_mail", {**MAIL, "subject": "Sesudah"})
    assert sent == ["Sebelum", "Sesudah"]
    assert not OutboxMessage.objects.exists()


def test_a_broker_that_fails_midway_keeps_the_unsent_rows_and_deletes_the_sent(
    recorded_broker, django_capture_on_commit_callbacks
):
    sent, state = recorded_broker
    state["fail_at"] = "Dua"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for subject in ("Satu", "Dua", "Tiga"):
            outbox.enqueue_on_commit("opop.send_mail", {**MAIL, "subject": subject})
    assert sent == ["Satu"]
    left = list(OutboxMessage.objects.order_by("id").values_list("kwargs__subject", "attempts", "last_error"))
    assert left == [("Dua", 1, "ConnectionError: refused"), ("Tiga", 1, "ConnectionError: refused")]
    assert outbox.broker_breaker_open()  # the next transaction does not wait on the broker again


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    with (
        broken_redis("refused") as url,
        broker_at(url),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue_on_commit("opop.send_mail", MAIL)
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.exists()


def test_publishing_uses_the_short_timeouts_and_no_retries(monkeypatch):
    from opop.celery import app

    seen = {}
    real = app.connection_for_write

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    with broken_redis("refused") as url, broker_at(url):
        monkeypatch.setattr(app, "connection_for_write", spy)
        with pytest.raises(Exception):  # noqa: B017
            outbox.publish("opop.send_mail", MAIL)
    timeout = settings.OUTBOX_PUBLISH_TIMEOUT
    assert seen["connect_timeout"] == timeout
    options = seen["transport_options"]
    assert options["socket_connect_timeout"] == options["socket_timeout"] == timeout
    assert options["max_retries"] == 0


def test_in_eager_mode_tasks_run_in_process_and_the_outbox_stays_empty(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue_on_commit("opop.send_mail", MAIL)
    assert len(mail.outbox) == 1 and not OutboxMessage.objects.exists()


def test_flushing_while_the_broker_is_still_down_keeps_every_task():
    for _ in range(3):
        OutboxMessage.objects.create(task_name="opop.send_mail", kwargs=MAIL, attempts=1)
    with broken_redis("refused") as url, broker_at(url):
        assert outbox.outbox_flush() == {"sent": 0, "failed": 1, "pending": 3}
        with pytest.raises(CommandError, match="still unreachable"):
            call_command("outbox_flush")
    oldest = OutboxMessage.objects.order_by("id").first()
    assert oldest.attempts == 3 and oldest.last_error.startswith("OperationalError")  # stops at the first failure
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1, 3}


def _left_behind(**fields) -> OutboxMessage:
    """A stored task whose writer died before publishing it: never tried, older than the relay's grace."""
    created = timezone.now() - timedelta(seconds=settings.OUTBOX_RELAY_GRACE_SECONDS + 1)
    return OutboxMessage.objects.create(created_at=created, **fields)


def test_the_relay_leaves_a_fresh_untried_task_to_the_process_publishing_it():
    fresh = OutboxMessage.objects.create(task_name="opop.send_mail", kwargs=MAIL)
    tried = OutboxMessage.objects.create(task_name="opop.send_mail", kwargs={**MAIL, "subject": "Gagal"}, attempts=1)
    orphan = _left_behind(task_name="opop.send_mail", kwargs={**MAIL, "subject": "Yatim"})
    assert outbox.outbox_flush() == {"sent": 2, "failed": 0, "pending": 1}
    assert sorted(m.subject for m in mail.outbox) == ["[OPOP Jatim] Gagal", "[OPOP Jatim] Yatim"]
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not OutboxMessage.objects.filter(pk__in=[tried.pk, orphan.pk]).exists()


def test_flushing_in_eager_mode_runs_the_stored_tasks_once(capsys):
    _left_behind(task_name="opop.send_mail", kwargs=MAIL)
    _left_behind(task_name="opop.send_mail", kwargs={**MAIL, "subject": "Kedua"})
    call_command("outbox_flush", "--dry-run")
    assert "2 task(s) waiting" in capsys.readouterr().out
    call_command("outbox_flush")
    assert "Sent 2 task(s); 0 still waiting." in capsys.readouterr().out
    assert [m.subject for m in mail.outbox] == ["[OPOP Jatim] Pesanan", "[OPOP Jatim] Kedua"]
    assert outbox.outbox_flush() == {"sent": 0, "failed": 0, "pending": 0}
    assert len(mail.outbox) == 2


def _queued(client: redis.Redis, queue: str = "celery") -> list[dict]:
    return [json.loads(raw)["headers"] for raw in client.lrange(queue, 0, -1)]


def _drop(client: redis.Redis, task_ids: set[str], queue: str = "celery") -> None:
    for raw in client.lrange(queue, 0, -1):
        if json.loads(raw)["headers"]["id"] in task_ids:
            client.lrem(queue, 0, raw)


@needs_broker
def test_when_the_broker_is_back_the_outbox_is_sent_exactly_once(django_capture_on_commit_callbacks):
    with (
        broken_redis("silent") as url,
        broker_at(url),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        outbox.enqueue_on_commit("opop.send_mail", MAIL)
        outbox.enqueue_on_commit("reports.rollup_incremental", once_per_transaction=True)
    stored = {str(task_id): name for task_id, name in OutboxMessage.objects.values_list("task_id", "task_name")}
    assert sorted(stored.values()) == ["opop.send_mail", "reports.rollup_incremental"]
    client = redis.Redis.from_url(REAL_BROKER)
    try:
        with broker_at(REAL_BROKER):
            assert outbox.outbox_flush() == {"sent": 2, "failed": 0, "pending": 0}
            assert outbox.outbox_flush() == {"sent": 0, "failed": 0, "pending": 0}  # nothing twice
        sent = [headers for headers in _queued(client) if headers["id"] in stored]
        assert sorted((h["id"], h["task"]) for h in sent) == sorted(stored.items())  # each once, same task id
        assert not OutboxMessage.objects.exists()
    finally:
        _drop(client, set(stored))


@needs_broker
def test_the_first_publish_after_a_failure_asks_a_worker_to_drain_the_outbox(django_capture_on_commit_callbacks):
    client = redis.Redis.from_url(REAL_BROKER)
    before = {h["id"] for h in _queued(client)}
    try:
        with broken_redis("refused") as url, broker_at(url):
            outbox.enqueue("opop.send_mail", MAIL)
        assert OutboxMessage.objects.count() == 1
        with broker_at(REAL_BROKER):
            outbox._broker_down_until = 0.0  # this process saw the broker fail; the window has passed
            outbox.enqueue("opop.send_mail", MAIL)
        new = [h["task"] for h in _queued(client) if h["id"] not in before]
        assert sorted(new) == ["opop.outbox_flush", "opop.send_mail"]
    finally:
        _drop(client, {h["id"] for h in _queued(client)} - before)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_relays_never_send_the_same_row():
    first = _left_behind(task_name="opop.send_mail", kwargs={**MAIL, "subject": "Satu"})
    _left_behind(task_name="opop.send_mail", kwargs={**MAIL, "subject": "Dua"})
    locked, release = threading.Event(), threading.Event()

    def other_relay():
        from django.db import connection as own

        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=first.pk)  # busy sending row 1
                locked.set()
                release.wait(30)
        finally:
            own.close()

    thread = threading.Thread(target=other_relay)
    thread.start()
    try:
        assert locked.wait(30)
        assert outbox.outbox_flush() == {"sent": 1, "failed": 0, "pending": 1}
        # row 1 was skipped, not waited for or sent twice
        assert [m.subject for m in mail.outbox] == ["[OPOP Jatim] Dua"]
    finally:
        release.set()
        thread.join()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.fixture
def own_redis(tmp_path):
    with private_redis(tmp_path) as running:
        yield running


def test_a_frozen_broker_then_a_thawed_one_loses_no_task(own_redis, django_capture_on_commit_callbacks):
    """A real Redis frozen with SIGSTOP (the kernel still accepts connections, nothing answers), then thawed."""
    import signal

    server, url, client = own_redis
    with broker_at(url):
        outbox.enqueue("opop.send_mail", MAIL)  # up: straight to the broker
        assert [h["task"] for h in _queued(client)] == ["opop.send_mail"] and not OutboxMessage.objects.exists()
        server.send_signal(signal.SIGSTOP)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            outbox.enqueue_on_commit("reports.rollup_incremental", once_per_transaction=True)
            outbox.enqueue_on_commit("opop.send_mail", MAIL)
        stored = {str(i): n for i, n in OutboxMessage.objects.values_list("task_id", "task_name")}
        assert sorted(stored.values()) == ["opop.send_mail", "reports.rollup_incremental"]
        assert outbox.outbox_flush()["failed"] == 1 and OutboxMessage.objects.count() == 2  # still frozen
        server.send_signal(signal.SIGCONT)
        assert outbox.outbox_flush() == {"sent": 2, "failed": 0, "pending": 0}
        assert outbox.outbox_flush()["sent"] == 0
    queued = {h["id"]: h["task"] for h in _queued(client)}
    # Every stored task arrived under its own task id. (A publish that timed out while Redis was frozen may
    # still land when it thaws, so a task can arrive twice with the same id: tasks are idempotent.)
    assert set(stored.items()) <= set(queued.items())


# --- One redis.Redis per pool ---------------------------------------------------------------------------------


def test_the_cache_builds_one_redis_client_for_all_its_calls(own_redis, monkeypatch):
    _server, url, _client = own_redis
    built = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(kwargs.get("connection_pool"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    with cache_at(url):
        cache.set("k", "v")
        cache.set_many({"a": 1, "b": 2})
        assert cache.get("k") == "v" and cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
        assert cache.add("n", 1) is True and cache.add("n", 5) is False and cache.incr("n") == 2
        cache.delete("k")
        assert cache.get("k") is None and cache.has_key("n")
    assert len(built) == 1 and built[0] is not None  # Django's own client makes one for each of the 12 calls


def test_a_kept_redis_client_works_again_once_a_frozen_redis_thaws(own_redis):
    import signal

    server, url, _client = own_redis
    with cache_at(url, socket_timeout=0.2, BREAKER_SECONDS=0):
        cache.set("k", "before")
        server.send_signal(signal.SIGSTOP)
        assert cache.get("k") is None  # timed out: a miss, and the connection it used is dropped
        server.send_signal(signal.SIGCONT)
        assert cache.get("k") == "before"
        cache.set("k", "after")
        assert cache.get("k") == "after"
