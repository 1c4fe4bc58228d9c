"""Append-only rows (audit events, stock movements, order events, the Samsat money trail): written once,
never changed, never deleted.

The model refuses `save()` of an existing row, `delete()`, and queryset `update()`/`delete()`; on PostgreSQL
the `AppendOnly` trigger each ledger declares in its `Meta.triggers` (django-pgtrigger) refuses the same in the
database, so a raw query or a console session cannot rewrite history either. The one change it lets through is
the database clearing a nullable reference named in `clearable` when the row it points to goes
(`on_delete=SET_NULL`, e.g. a deleted user account): the fact itself — quantity, kind, status, time — stays.
TRUNCATE (the test runner's flush) is not a row event and is unaffected. SQLite relies on the model guard.
"""

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models


class LedgerIsAppendOnly(ValidationError):
    pass


def _refuse(model) -> None:
    raise LedgerIsAppendOnly(f"{model._meta.label} rows are append-only.")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse(self.model)

    def delete(self):
        _refuse(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse(self.model)

    def update_or_create(self, *args, **kwargs):
        _refuse(self.model)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(self)


class AppendOnly(pgtrigger.Protect):
    """pgtrigger's Protect on UPDATE and DELETE of each row, raising "ledger table <table> is append-only".

    `clearable` names the nullable foreign keys that ON DELETE SET NULL may clear: an UPDATE whose only change is
    setting those to NULL passes; any other change, or a DELETE, is refused."""

    name = "append_only"
    operation = pgtrigger.Update | pgtrigger.Delete

    def __init__(self, *, clearable: tuple[str, ...] = (), **kwargs):
        self.clearable = tuple(clearable)
        super().__init__(**kwargs)

    def get_declare(self, model):
        return [("old_row", "jsonb"), ("new_row", "jsonb"), ("col", "text")] if self.clearable else []

    def get_func(self, model):
        refuse = "RAISE EXCEPTION 'ledger table % is append-only', TG_TABLE_NAME;"
        if not self.clearable:
            return refuse
        columns = ", ".join(f"'{model._meta.get_field(name).column}'" for name in self.clearable)
        return self.format_sql(f"""
            IF TG_OP = 'DELETE' THEN
                {refuse}
            END IF;
            old_row := to_jsonb(OLD);
            new_row := to_jsonb(NEW);
            FOREACH col IN ARRAY ARRAY[{columns}]::text[] LOOP
                IF new_row -> col = 'null'::jsonb THEN
                    old_row := old_row - col;
                    new_row := new_row - col;
                END IF;
            END LOOP;
            IF old_row IS DISTINCT FROM new_row THEN
                {refuse}
            END IF;
            RETURN NEW;
        """)
