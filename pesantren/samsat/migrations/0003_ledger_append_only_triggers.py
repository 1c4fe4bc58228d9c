"""On PostgreSQL the database itself refuses UPDATE and DELETE on the ledger tables.

The models already refuse it in Python; the trigger also stops a queryset `.update()`, a raw query
or a console session. TRUNCATE (the test runner's flush) is not a row event and is unaffected.
"""

from django.db import migrations

LEDGER_TABLES = [
    "samsat_bill",
    "samsat_payment",
    "samsat_paymentoutcome",
    "samsat_reversal",
    "samsat_receiptprint",
    "samsat_dayclose",
    "samsat_reconciliationitem",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION samsat_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Samsat ledger table %% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in LEDGER_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION samsat_refuse_change()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LEDGER_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS samsat_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("samsat", "0002_policy_data")]

    operations = [migrations.RunPython(create, drop)]
