"""Append-only rows (audit events, stock movements, order events, the Samsat money trail): written once,
never changed, never deleted.

The model refuses `save()` of an existing row, `delete()`, and queryset `update()`/`delete()`; on PostgreSQL
triggers (marketplace 0005, samsat 0003) refuse the same in the database. The one change allowed is the
database clearing a nullable reference when the row it points to goes (`on_delete=SET_NULL`, e.g. a deleted
user account): the fact itself — quantity, kind, status, time — stays.
"""

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
