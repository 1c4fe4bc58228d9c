from marketplace.cart.services import cart_set
from marketplace.orders.services import order_place


def place(buyer, lines, *, address=None, choices=None):
    """Fill `buyer`'s cart with (product, quantity[, variant]) lines and check out."""
    for line in lines:
        product, quantity, *rest = line
        cart_set(user=buyer, session={}, product=product, variant=rest[0] if rest else None, quantity=quantity)
    return order_place(buyer=buyer, session={}, address=address, choices=choices or {})
