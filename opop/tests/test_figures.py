from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from opop.figures import figures_mark_dirty, month_start
from opop.models import DirtyFigureKey

pytestmark = pytest.mark.django_db


def test_marking_is_per_month_and_region_and_idempotent():
    figures_mark_dirty(when=date(2026, 10, 17), kabupaten_kota_id="35.17")
    figures_mark_dirty(when=date(2026, 10, 3), kabupaten_kota_id="35.17")
    figures_mark_dirty(when=date(2026, 10, 3), kabupaten_kota_id="35.78")
    figures_mark_dirty(when=date(2026, 10, 3), kabupaten_kota_id=None)
    keys = sorted(DirtyFigureKey.objects.values_list("month", "kabupaten_kota_id"))
    assert keys == [(date(2026, 10, 1), "35.17"), (date(2026, 10, 1), "35.78")]


def test_a_moment_counts_in_its_wib_month():
    # 31 Oct 2026, 20:00 UTC is already 1 Nov 2026 in Surabaya.
    assert month_start(datetime(2026, 10, 31, 20, 0, tzinfo=ZoneInfo("UTC"))) == date(2026, 11, 1)


def test_a_rolled_back_write_marks_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        figures_mark_dirty(when=date(2026, 9, 9), kabupaten_kota_id="35.07")
        raise RuntimeError("the fact was not written")
    assert not DirtyFigureKey.objects.exists()


def test_marking_an_already_dirty_key_moves_it_forward():
    figures_mark_dirty(when=date(2026, 10, 3), kabupaten_kota_id="35.17")
    first = DirtyFigureKey.objects.get().marked_at
    figures_mark_dirty(when=date(2026, 10, 20), kabupaten_kota_id="35.17")
    assert DirtyFigureKey.objects.count() == 1
    assert DirtyFigureKey.objects.get().marked_at > first


def test_the_rollup_is_queued_once_per_committed_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        figures_mark_dirty(when=date(2026, 10, 3), kabupaten_kota_id="35.17")
        figures_mark_dirty(when=date(2026, 10, 3), kabupaten_kota_id="35.78")
    assert len(callbacks) == 1
