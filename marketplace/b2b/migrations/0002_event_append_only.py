"""Trade events are append-only in PostgreSQL too: the marketplace ledgers' trigger function (marketplace 0005)
refuses UPDATE and DELETE of b2b_event rows, except ON DELETE SET NULL clearing the actor or organisation.
SQLite relies on the model guard (opop.ledger.AppendOnlyModel)."""

from django.db import migrations

TABLE = "b2b_event"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_refuse_change('actor_id', 'organisation_id')"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("b2b", "0001_initial"),
        ("marketplace", "0005_ledgers_append_only_checkout_key"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
