"""The shopper's links in every page's header: "My orders" and "Cart" with the number of lines in it."""

from functools import cached_property

from marketplace.cart.services import cart_count
from opop.web import fixed_url


class ShopperLinks:
    """Read only by a page that shows them: `cart_count` costs one COUNT query for a signed-in shopper (none
    for a visitor, whose cart is in the session), once per page however often the template reads it."""

    def __init__(self, request):
        self._request = request
        self.cart_url = fixed_url("marketplace:cart")
        self.orders_url = fixed_url("marketplace:order_list")

    @cached_property
    def cart_count(self) -> int:
        return cart_count(user=self._request.user, session=self._request.session)


def shopper(request):
    if getattr(request, "user", None) is None or not hasattr(request, "session"):
        return {}
    return {"shopper": ShopperLinks(request)}
