"""Keep the dashboards' cached "data as of" and cached tables true: a recorded rollup run drops them
(after commit too, so a page rendered while the rollup's transaction is open cannot cache the old
figures again under the new key). A saved pesantren drops the tables that show pesantren names."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports import cached
from reports.models import RollupRun
from reports.selectors import data_as_of_forget


def _forget_rollup_caches() -> None:
    data_as_of_forget()
    cached.forget_generation()


@receiver([post_save, post_delete], sender=RollupRun, dispatch_uid="reports.data_as_of_forget")
def _forget_data_as_of(sender, **kwargs):
    _forget_rollup_caches()
    transaction.on_commit(_forget_rollup_caches)


@receiver([post_save, post_delete], sender="pesantren.Pesantren", dispatch_uid="reports.names_forget")
def _forget_names(sender, **kwargs):
    cached.forget_names()
    transaction.on_commit(cached.forget_names)
