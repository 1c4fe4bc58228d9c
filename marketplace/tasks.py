"""Marketplace jobs: thin wrappers around services, with explicit names."""

from celery import shared_task

from marketplace.orders.services import orders_expire_unpaid


@shared_task(name="marketplace.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    """Cancel unpaid orders whose payment time ran out and put their stock back. Idempotent."""
    return orders_expire_unpaid()
