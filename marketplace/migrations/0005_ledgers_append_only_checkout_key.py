"""Ledgers are append-only; one checkout form places at most one order per store.

Stock movements and order events can no longer be deleted with their product or order (PROTECT); a deleted
variant leaves its movements on the product (SET_NULL). On PostgreSQL a trigger refuses UPDATE and DELETE of
ledger rows, so a queryset `.update()`, raw SQL or a console session cannot rewrite history either; the one
UPDATE let through is a nullable reference (actor, order, variant) being cleared by ON DELETE SET NULL.
TRUNCATE (the test runner's flush) is not a row event and is unaffected. SQLite relies on the model guard.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# table → the nullable references that ON DELETE SET NULL may clear
LEDGER_TABLES = {
    "marketplace_stockmovement": ("actor_id", "order_id", "variant_id"),
    "marketplace_orderevent": ("actor_id",),
}

FUNCTION = """
CREATE OR REPLACE FUNCTION marketplace_ledger_refuse_change() RETURNS trigger AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    col text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger table %% is append-only', TG_TABLE_NAME;
    END IF;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF new_row -> col = 'null'::jsonb THEN
            old_row := old_row - col;
            new_row := new_row - col;
        END IF;
    END LOOP;
    IF old_row IS DISTINCT FROM new_row THEN
        RAISE EXCEPTION 'ledger table %% is append-only', TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table, clearable in LEDGER_TABLES.items():
        arguments = ", ".join(f"'{column}'" for column in clearable)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_refuse_change({arguments})"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LEDGER_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS marketplace_ledger_refuse_change()")


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0004_stock_ledger_opening'),
        ('opop', '0004_dirty_figure_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='orderevent',
            name='order',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='marketplace.order', verbose_name='order'),
        ),
        migrations.AlterField(
            model_name='stockmovement',
            name='product',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stock_movements', to='marketplace.product', verbose_name='product'),
        ),
        migrations.AlterField(
            model_name='stockmovement',
            name='variant',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='stock_movements', to='marketplace.productvariant', verbose_name='variant'),
        ),
        migrations.AddConstraint(
            model_name='order',
            constraint=models.UniqueConstraint(fields=('buyer', 'checkout_group', 'store'), name='order_one_per_store_per_checkout'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
