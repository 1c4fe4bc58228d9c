import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from opop.models import WorkerHeartbeat
from opop.tasks import worker_heartbeat

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_BROKER_URL")


@pytest.mark.django_db
def test_heartbeat_task_records_the_worker_once_and_moves_forward():
    worker_heartbeat.delay("w1")
    first = WorkerHeartbeat.objects.get(worker="w1").seen_at
    worker_heartbeat.delay("w1")
    assert WorkerHeartbeat.objects.count() == 1
    assert WorkerHeartbeat.objects.get(worker="w1").seen_at >= first


@pytest.mark.django_db
def test_beat_schedule_names_registered_tasks():
    from opop.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.worker
@pytest.mark.skipif(
    not BROKER, reason="needs CELERY_BROKER_URL: the real-worker test runs in CI's PostgreSQL + Redis pass"
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_against_the_broker():
    """Start `celery worker` on a private queue, send the task through Redis, see its row in the test database."""
    if connection.vendor != "postgresql":
        pytest.fail("The real-worker test needs a shared database: run it with DATABASE_URL on PostgreSQL.")
    from opop.celery import app

    database = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opop.settings.dev",
        "DATABASE_URL": "postgres://{}@{}:{}/{}".format(
            database["USER"], database["HOST"] or "127.0.0.1", database["PORT"] or 5432, database["NAME"]
        ),
        "DEBUG": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "opop",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        was_eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            worker_heartbeat.apply_async(args=[queue], queue=queue)
        finally:
            app.conf.task_always_eager = was_eager
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not WorkerHeartbeat.objects.filter(worker=queue).exists():
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.25)
        assert WorkerHeartbeat.objects.filter(worker=queue).exists(), "the worker did not run the task within 60 s"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
