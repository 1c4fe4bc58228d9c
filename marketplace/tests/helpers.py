from marketplace.cart.services import cart_set
from marketplace.checkout.services import order_place
from marketplace.models import CheckoutPayment


def place(buyer, lines, *, address=None, choices=None, payment_method="bank_transfer"):
    """Fill `buyer`'s cart with (product, quantity[, variant]) lines and check out."""
    for line in lines:
        product, quantity, *rest = line
        cart_set(user=buyer, session={}, product=product, variant=rest[0] if rest else None, quantity=quantity)
    return order_place(buyer=buyer, session={}, address=address, choices=choices or {}, payment_method=payment_method)


def checkout_payment(order) -> CheckoutPayment:
    """The one gateway payment of `order`'s checkout."""
    return CheckoutPayment.objects.get(payments__order=order)
