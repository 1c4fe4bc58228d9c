"""Store-balance jobs: thin wrappers around services, with explicit names (registered by marketplace/tasks.py)."""

from celery import shared_task

from marketplace.balance.reconciliation import reconciliation_run


@shared_task(name="marketplace.balance_reconcile")
def balance_reconcile() -> int:
    """Reconcile every store's balance for today (WIB) and record the differences; returns how many. Idempotent:
    a second run of the same day replaces that day's findings."""
    return reconciliation_run().finding_count
