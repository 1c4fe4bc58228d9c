"""What every payment provider offers. Providers only create and read payment rows; confirming a payment and
moving its orders is marketplace.payments.services, so no provider imports the order services."""

from dataclasses import dataclass
from datetime import date, datetime

from marketplace.models import CheckoutPayment, Order, Payment
from opop.models import User


@dataclass(frozen=True)
class SettlementLine:
    """One transaction in a gateway's daily settlement file: what it collected for us, and when."""

    transaction_id: str
    amount: int
    collected_at: datetime


class PaymentProvider:
    """One way to pay. `start` (per order) or `start_checkout` (a gateway: one payment for the whole checkout)
    is called inside the transaction that places the orders."""

    code = ""
    # Template included on the order page with the instructions for the buyer.
    instructions_template = ""

    def start(self, *, order: Order) -> Payment:
        return self.start_orders(orders=[order])[0]

    def start_orders(self, *, orders: list[Order]) -> list[Payment]:
        """One payment per order (one INSERT for a checkout's orders paid this way)."""
        return Payment.objects.bulk_create(
            Payment(order=order, provider=self.code, amount=order.total) for order in orders
        )

    def start_checkout(
        self, *, buyer: User, checkout_group, orders: list[Order], expires_at: datetime
    ) -> CheckoutPayment:
        """One payment for `orders` (every order of one checkout paid this way). Gateways only."""
        raise NotImplementedError(f"{type(self).__name__} is paid per order.")

    def payment_url(self, checkout_payment: CheckoutPayment) -> str:
        """Where the buyer pays a checkout payment (the gateway's payment page)."""
        raise NotImplementedError(f"{type(self).__name__} has no payment page.")

    def settlement(self, day: date) -> list[SettlementLine]:
        """What the provider collected on `day` (WIB), from its settlement file. Gateways only: a transfer or
        cash goes straight to the store and never passes through the platform."""
        raise NotImplementedError(f"{type(self).__name__} settles nothing.")
