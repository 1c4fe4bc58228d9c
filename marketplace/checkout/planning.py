"""What a checkout will be: one planned order per store of the cart, with its delivery, payment and shipping.
Pure reads: nothing here writes, and the cart is passed in (read once per request by the caller)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from marketplace.cart.services import StoreCart
from marketplace.models import Address, Order, ShippingRate, Store
from opop.services import DomainError

M = Order.PaymentMethod
# Methods the buyer chooses once for the whole checkout; cash is a per-store choice for pickup orders.
CHECKOUT_METHODS = (M.BANK_TRANSFER, M.GATEWAY)


def shipping_quote(*, store: Store, address: Address | None, delivery: str, rates: dict[int, int] | None = None) -> int:
    """Shipping for one order: 0 for pickup, else the store's rate for the destination or its default rate.
    `rates` (store id → price to the address' kabupaten/kota, see shipping_rates) saves the query per store."""
    if delivery == Order.Delivery.PICKUP:
        return 0
    if address is None:
        raise DomainError(_("Choose a shipping address."))
    if address.kabupaten_kota_id:
        if rates is not None:
            return rates.get(store.pk, store.default_shipping_rate)
        rate = ShippingRate.objects.filter(store=store, kabupaten_kota_id=address.kabupaten_kota_id).first()
        if rate is not None:
            return rate.price
    return store.default_shipping_rate


def shipping_rates(*, stores: list[Store], address: Address | None) -> dict[int, int] | None:
    """The stores' own rates to the address' kabupaten/kota in one query (None without a destination)."""
    if address is None or not address.kabupaten_kota_id:
        return None
    return dict(
        ShippingRate.objects.filter(store__in=stores, kabupaten_kota_id=address.kabupaten_kota_id).values_list(
            "store_id", "price"
        )
    )


@dataclass
class OrderPlan:
    """What one order of a checkout will be, shown to the buyer before paying."""

    group: StoreCart
    delivery: str
    payment_method: str
    shipping_cost: int

    @property
    def store(self) -> Store:
        return self.group.store

    @property
    def subtotal(self) -> int:
        return self.group.subtotal

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_cost

    @property
    def payment_label(self) -> str:
        return M(self.payment_method).label


def checkout_plan(
    *,
    cart: list[StoreCart],
    address: Address | None,
    choices: dict[int, tuple[str, str]],
    payment_method: str = M.BANK_TRANSFER,
) -> list[OrderPlan]:
    """Plan one order per store of `cart` (cart_by_store of the buyer's lines). `choices` maps store id →
    (delivery, payment method); a store without a choice gets shipping and `payment_method`.

    One checkout is paid one way: by bank transfer (to each store's own account) or by the gateway (one payment
    for the whole checkout); only cash on pickup may differ, per store. Raises DomainError for an empty cart or
    a choice that cannot be."""
    if not cart:
        raise DomainError(_("Your cart is empty."))
    plans = []
    rates = shipping_rates(stores=[group.store for group in cart], address=address)
    for group in cart:
        if group.store.is_on_holiday:
            raise DomainError(
                _("%(store)s is on holiday and takes no orders now. %(message)s")
                % {"store": group.store, "message": group.store.holiday_message}
            )
        delivery, method = choices.get(group.store.pk, (Order.Delivery.SHIPPING, payment_method))
        if delivery not in Order.Delivery.values or method not in M.values:
            raise DomainError(_("Choose how to receive and pay for the order from %(store)s.") % {"store": group.store})
        if delivery == Order.Delivery.PICKUP and not group.store.allows_pickup:
            raise DomainError(_("%(store)s does not offer pickup.") % {"store": group.store})
        if method == M.CASH_ON_PICKUP and delivery != Order.Delivery.PICKUP:
            raise DomainError(_("Cash payment is only possible when you pick the order up."))
        cost = shipping_quote(store=group.store, address=address, delivery=delivery, rates=rates)
        plans.append(OrderPlan(group=group, delivery=delivery, payment_method=method, shipping_cost=cost))
    if len({plan.payment_method for plan in plans} - {M.CASH_ON_PICKUP}) > 1:
        raise DomainError(
            _("Pay the whole checkout one way: by bank transfer to each store, or by one virtual account / QRIS.")
        )
    return plans


def gateway_total(plans: list[OrderPlan]) -> int:
    """What the one gateway payment of this checkout will be (0 when it is not paid by the gateway)."""
    return sum(plan.total for plan in plans if plan.payment_method == M.GATEWAY)
