"""Queue the incremental rollup once per committed transaction that wrote a fact.

This only schedules work; what changed is decided by the dirty keys the services mark.
"""

from django.db import connection, transaction


def _run_rollup() -> None:
    from reports.tasks import rollup_incremental_task

    if rollup_incremental_task.app.conf.task_always_eager:
        # No broker (dev, `make run`): run now; delay() would first build an unused broker connection.
        rollup_incremental_task.apply()
    else:
        rollup_incremental_task.delay()


def queue_rollup_on_commit(sender, **kwargs) -> None:
    if any(callback is _run_rollup for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_run_rollup)
