"""Keep the dashboards' cached "data as of" true: a recorded rollup run drops it (after commit too,
so a page rendered while the rollup's transaction is open cannot cache the old time again)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports.models import RollupRun
from reports.selectors import data_as_of_forget


@receiver([post_save, post_delete], sender=RollupRun, dispatch_uid="reports.data_as_of_forget")
def _forget_data_as_of(sender, **kwargs):
    data_as_of_forget()
    transaction.on_commit(data_as_of_forget)
