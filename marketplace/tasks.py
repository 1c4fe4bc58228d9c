"""Marketplace jobs: thin wrappers around services, with explicit names."""

from celery import shared_task

from marketplace.orders.emails import order_status_notify
from marketplace.orders.services import orders_auto_complete, orders_expire_unpaid
from marketplace.payments.services import checkout_payments_expire
from marketplace.shipping.services import shipments_poll


@shared_task(name="marketplace.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    """Cancel unpaid orders whose payment time ran out and put their stock back. Idempotent. The gateway
    payments first, so that the orders of one gateway checkout are cancelled together with their payment."""
    return checkout_payments_expire() + orders_expire_unpaid()


@shared_task(name="marketplace.auto_complete_orders")
def auto_complete_orders() -> int:
    """Complete shipped and delivered orders nobody confirmed in time. Idempotent: each order is re-checked under
    its row lock, so a redelivered or overlapping run, or the buyer confirming meanwhile, completes it once."""
    return orders_auto_complete()


@shared_task(name="marketplace.poll_shipments")
def poll_shipments() -> int:
    """Ask the courier about parcels it has said nothing about for a day (a lost webhook). Idempotent: an event
    already recorded is recorded once, whether it came by webhook or by an earlier poll."""
    return shipments_poll()


@shared_task(name="marketplace.order_status_notify")
def order_status_notify_task(*, order_id: int, event_id: int, language: str | None = None) -> None:
    """Mail the buyer and the store what just happened to the order (queued after the commit, via the outbox)."""
    order_status_notify(order_id=order_id, event_id=event_id, language=language)


from marketplace.balance.tasks import balance_reconcile  # noqa: E402, F401 - registers the daily reconciliation
