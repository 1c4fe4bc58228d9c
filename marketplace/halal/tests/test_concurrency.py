"""Two reminder runs at the same moment send each reminder once (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection, connections

from marketplace.halal.models import Reminder
from marketplace.halal.reminders import expiry_reminders_send
from marketplace.halal.tests.factories import CertificateFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_reminder_runs_send_each_reminder_once(pesantren_a, admin_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    for _ in range(5):
        CertificateFactory(organisation=pesantren_a, expires_on=date(2027, 1, 20))
    barrier = threading.Barrier(2)
    sent, errors = [], []

    def run():
        try:
            barrier.wait()
            sent.append(expiry_reminders_send(today=date(2026, 11, 24)))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(sent) == 5
    assert Reminder.objects.count() == 5
    assert len(mail.outbox) == 5
