"""Celery tasks: thin wrappers around the rollup services (beat schedule in opop/settings/base.py)."""

from celery import shared_task

from reports.services import rollup_check, rollup_drain, rollup_full


@shared_task(name="reports.rollup_incremental")
def rollup_incremental_task(limit: int = 500) -> int:
    """Roll up dirty keys, `limit` per transaction, until none is left; any number of workers may run it."""
    return rollup_drain(limit=limit)


@shared_task(name="reports.rollup_full")
def rollup_full_task() -> int:
    return rollup_full().rows


@shared_task(name="reports.rollup_check")
def rollup_check_task() -> int:
    return rollup_check()
