"""Two rollup workers at once never take the same dirty key (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED)."""

import threading
from datetime import date

import pytest
from django.db import connection

from opop.models import DirtyFigureKey
from reports import services

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers, so there is no race"
)


@pytest.mark.django_db(transaction=True)
def test_two_workers_split_the_dirty_keys_between_them(monkeypatch):
    keys = [(date(2026, month, 1), region) for month in (9, 10) for region in ("35.17", "35.14")]
    # Written directly: figures_mark_dirty would also queue (and, eagerly, run) a rollup at once.
    DirtyFigureKey.objects.bulk_create(
        [DirtyFigureKey(month=month, kabupaten_kota_id=region) for month, region in keys]
    )
    both_holding_keys = threading.Barrier(2, timeout=10)
    taken: list[set] = []
    real_compute = services.compute

    def compute_and_wait(batch):
        taken.append(set(batch))
        # Both workers hold their locks here at the same time; a worker that waited on the other's
        # locks instead of skipping them would never arrive, and the barrier would break.
        both_holding_keys.wait()
        return real_compute(batch)

    monkeypatch.setattr(services, "compute", compute_and_wait)
    errors = []

    def worker():
        try:
            services.rollup_incremental(limit=2)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(taken) == 2
    assert taken[0].isdisjoint(taken[1])
    assert taken[0] | taken[1] == set(keys)
    assert not DirtyFigureKey.objects.exists()
