"""Mark programme figures as changed. Pillar apps call this; the reports app rolls the keys up.

After the writing transaction commits, the incremental rollup task (registered by the reports app
under ROLLUP_TASK) is queued once per transaction through the outbox (opop/outbox.py): in dev, where
Celery is eager, the dashboards are current as soon as the page that wrote the fact returns; with a
broker a worker picks it up (or the outbox keeps it while the broker is down), and beat's periodic run
is the safety net (the dirty keys are in the database, so even a lost job loses nothing).
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from opop.models import DirtyFigureKey
from opop.outbox import enqueue_on_commit

ROLLUP_TASK = "reports.rollup_incremental"


def month_start(value: date | datetime) -> date:
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after `month`'s."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def figures_mark_dirty(*, when: date | datetime, kabupaten_kota_id: str | None) -> None:
    """Note that the figures of `when`'s month in that kabupaten/kota changed. Cheap and idempotent.

    Call it inside the transaction that writes the fact, so a rolled-back write marks nothing. Marking
    a key that is already dirty moves its `marked_at` forward, so a rollup that is running right now
    does not delete the new mark (it deletes only the keys whose `marked_at` it saw).
    """
    if not kabupaten_kota_id:
        return
    DirtyFigureKey.objects.bulk_create(
        [DirtyFigureKey(month=month_start(when), kabupaten_kota_id=kabupaten_kota_id, marked_at=timezone.now())],
        update_conflicts=True,
        update_fields=["marked_at"],
        unique_fields=["month", "kabupaten_kota"],
    )
    enqueue_on_commit(ROLLUP_TASK, once_per_transaction=True)
