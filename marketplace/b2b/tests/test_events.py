"""Trade events are append-only: the model refuses changes, and on PostgreSQL so does the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from marketplace.b2b.models import Event
from opop.ledger import LedgerIsAppendOnly

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the append-only trigger is PostgreSQL's; SQLite has the model guard"
)


def test_the_model_refuses_changes(rfq):
    event = Event.objects.filter(rfq=rfq).first()
    event.note = "rewritten"
    with pytest.raises(LedgerIsAppendOnly):
        event.save()
    with pytest.raises(LedgerIsAppendOnly):
        Event.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(LedgerIsAppendOnly):
        event.delete()


@pytest.mark.postgres
@on_postgres
@pytest.mark.parametrize(
    "statement",
    ["UPDATE b2b_event SET to_status = 'awarded' WHERE id = %s", "DELETE FROM b2b_event WHERE id = %s"],
)
def test_on_postgresql_the_database_refuses_changes(rfq, statement):
    event = Event.objects.filter(rfq=rfq).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    assert Event.objects.filter(pk=event.pk, to_status="open").exists()


@pytest.mark.postgres
@on_postgres
def test_on_postgresql_clearing_the_actor_still_passes(rfq):
    event = Event.objects.filter(rfq=rfq).first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE b2b_event SET actor_id = NULL WHERE id = %s", [event.pk])
    assert Event.objects.get(pk=event.pk).actor_id is None
