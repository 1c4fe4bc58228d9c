from marketplace.payments.base import PaymentProvider


class CashOnPickup(PaymentProvider):
    """The buyer pays the seller at the pesantren; the seller records the cash."""

    code = "cash_on_pickup"
    instructions_template = "marketplace/payments/cash_on_pickup.html"
