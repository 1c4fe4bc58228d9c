"""The transactional outbox survives a web process killed between its commit and the publish: a real subprocess
commits a business row and its task, and is SIGKILLed at the moment it would hand the task to the broker."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.core import mail
from django.db import connection

from opop import outbox
from opop.models import AuditEvent, OutboxMessage

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the subprocess needs the same database"),
    pytest.mark.django_db(transaction=True),
]

MAIL = {"subject": "Pesanan dibayar", "body": "Terima kasih.", "recipients": ["pembeli@opop.test"]}

WEB_PROCESS = textwrap.dedent(
    """
    import os, signal, django
    django.setup()
    from django.db import transaction
    from opop import outbox
    from opop.celery import app
    from opop.services import audit_record

    app.conf.task_always_eager = False  # a production web node: a broker is configured

    def killed_before_publishing(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)  # a deploy, an OOM kill, a lost node: right after COMMIT

    outbox._producer = killed_before_publishing  # the fast path opens its broker connection: killed there
    with transaction.atomic():
        audit_record(actor=None, action="test.order_paid", data={"amount": 15000})
        outbox.enqueue_on_commit("opop.send_mail", {mail})
    print("survived")  # never reached
    """
)


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_web_process_killed_after_its_commit_loses_no_task(settings):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opop.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    }
    script = WEB_PROCESS.replace("{mail}", repr(MAIL))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert "survived" not in done.stdout
    # The business row and its task committed together; nothing was published.
    assert AuditEvent.objects.filter(action="test.order_paid").count() == 1
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.kwargs, message.attempts) == ("opop.send_mail", MAIL, 0)
    # Within the grace period the relay leaves it to its (dead) writer; after it, the relay sends it.
    assert outbox.outbox_flush() == {"sent": 0, "failed": 0, "pending": 1}
    settings.OUTBOX_RELAY_GRACE_SECONDS = 0
    assert outbox.outbox_flush() == {"sent": 1, "failed": 0, "pending": 0}
    assert [m.subject for m in mail.outbox] == ["[OPOP Jatim] Pesanan dibayar"]  # the portal's prefix
    assert outbox.outbox_flush()["sent"] == 0  # once


def test_a_process_killed_before_its_commit_leaves_neither_the_row_nor_the_task(settings):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opop.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    }
    script = WEB_PROCESS.replace(
        '    outbox.enqueue_on_commit("opop.send_mail", {mail})',
        '    outbox.enqueue_on_commit("opop.send_mail", {mail})\n    killed_before_publishing()',
    ).replace("{mail}", repr(MAIL))
    assert "killed_before_publishing()\n" in script
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert not AuditEvent.objects.filter(action="test.order_paid").exists()
    assert not OutboxMessage.objects.exists()
