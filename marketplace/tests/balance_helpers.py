"""Shared steps of the balance and payout tests: a gateway-paid order moved through its statuses."""

from marketplace.balance.ledger import store_balance
from marketplace.models import Order
from marketplace.orders import services as orders
from marketplace.payments.sandbox import sandbox_receive
from marketplace.payments.services import checkout_payment_of
from marketplace.tests.helpers import place

S = Order.Status
DEFAULT_PASSWORD = "sandi-rahasia-123"  # opop.tests.factories.UserFactory's


def gateway_pay(order: Order) -> Order:
    """The gateway's signed webhook for the order's payment (the only place these tests pay by gateway)."""
    sandbox_receive(checkout_payment=checkout_payment_of(order))
    order.refresh_from_db()
    return order


def gateway_order(buyer, product, *, address, quantity=1, paid=True) -> Order:
    (order,) = place(
        buyer,
        [(product, quantity)],
        address=address,
        choices={product.store_id: ("shipping", "gateway")},
        payment_method="gateway",
    )
    return gateway_pay(order) if paid else order


def complete(order: Order, seller, buyer) -> Order:
    orders.order_start_processing(order=order, actor=seller)
    orders.order_ship(order=order, actor=seller, courier="JNE", tracking_number=f"JNE{order.pk}")
    orders.order_mark_delivered(order=order, actor=seller)
    orders.order_confirm_receipt(order=order, buyer=buyer)
    order.refresh_from_db()
    return order


def buckets(store) -> tuple[int, int, int, int, int]:
    b = store_balance(store=store)
    return b.pending, b.available, b.in_payout, b.paid_out, b.refunded
