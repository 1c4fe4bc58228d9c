"""Mark programme figures as changed. Pillar apps call this; the reports app rolls the keys up."""

from datetime import date, datetime

from django.utils import timezone

from opop.models import DirtyFigureKey


def month_start(value: date | datetime) -> date:
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def figures_mark_dirty(*, when: date | datetime, kabupaten_kota_id: str | None) -> None:
    """Note that the figures of `when`'s month in that kabupaten/kota changed. Cheap and idempotent.

    Call it inside the transaction that writes the fact, so a rolled-back write marks nothing.
    """
    if not kabupaten_kota_id:
        return
    month = month_start(when)
    DirtyFigureKey.objects.bulk_create(
        [DirtyFigureKey(month=month, kabupaten_kota_id=kabupaten_kota_id)],
        ignore_conflicts=True,
    )
