"""What a checkout will be: one planned order per store of the cart, with its delivery, payment and shipping.
Pure reads: nothing here writes, and the cart is passed in (read once per request by the caller)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from marketplace.cart.services import StoreCart
from marketplace.models import Address, Order, ShippingRate, Store
from marketplace.shipping.base import Quote
from marketplace.shipping.places import place_of_address
from marketplace.shipping.quotes import default_quote, store_quotes
from marketplace.shipping.rates import PICKUP
from opop.services import DomainError

M = Order.PaymentMethod
# Methods the buyer chooses once for the whole checkout; cash is a per-store choice for pickup orders.
CHECKOUT_METHODS = (M.BANK_TRANSFER, M.GATEWAY)


def store_rate(*, store: Store, address: Address | None, rates: dict[int, int] | None = None) -> int | None:
    """What the store's own delivery costs to the address: its rate for the address' kabupaten/kota, else its
    default rate (None without an address). `rates` (see shipping_rates) saves the query per store."""
    if address is None:
        return None
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


def group_weight(group: StoreCart) -> int:
    """The parcel's weight: every line's product weight times its quantity (grams)."""
    return sum(line.product.weight_grams * line.quantity for line in group.lines)


@dataclass
class OrderPlan:
    """What one order of a checkout will be, shown to the buyer before paying."""

    group: StoreCart
    delivery: str
    payment_method: str
    shipping_cost: int
    # Every way the store can send this order (price and estimate each), and the one chosen (re-quoted here,
    # never taken from the form).
    quotes: list[Quote] = field(default_factory=list)
    quote: Quote | None = None
    weight_grams: int = 0
    postal_code: str = ""

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

    @property
    def shipping_fields(self) -> dict:
        """What the order keeps of the chosen service (order_place writes these on the order)."""
        quote = self.quote
        return {
            "shipping_service": quote.code if quote else "",
            "shipping_service_name": quote.name if quote else "",
            "shipping_days_min": quote.days_min if quote else None,
            "shipping_days_max": quote.days_max if quote else None,
            "shipping_courier_price": (quote.courier_price if quote.courier_price is not None else quote.price)
            if quote
            else 0,
            "shipping_weight_grams": self.weight_grams,
            "shipping_postal_code": self.postal_code if self.delivery == Order.Delivery.SHIPPING else "",
        }


def checkout_plan(
    *,
    cart: list[StoreCart],
    address: Address | None,
    choices: dict[int, tuple[str, str]],
    payment_method: str = M.BANK_TRANSFER,
) -> list[OrderPlan]:
    """Plan one order per store of `cart` (cart_by_store of the buyer's lines). `choices` maps store id →
    (delivery, payment method) or (delivery, payment method, service code); a store without a choice gets
    shipping and `payment_method`. Shipping without a service gets the store's default (default_quote). Each
    store is quoted here (marketplace.shipping.quotes) for the order's weight and the address: the price of the
    chosen service is the quote's, whatever a form posted.

    One checkout is paid one way: by bank transfer (to each store's own account) or by the gateway (one payment
    for the whole checkout); only cash on pickup may differ, per store. Raises DomainError for an empty cart or
    a choice that cannot be."""
    if not cart:
        raise DomainError(_("Your cart is empty."))
    plans = []
    rates = shipping_rates(stores=[group.store for group in cart], address=address)
    destination = place_of_address(address) if address is not None else None
    for group in cart:
        if group.store.is_on_holiday:
            raise DomainError(
                _("%(store)s is on holiday and takes no orders now. %(message)s")
                % {"store": group.store, "message": group.store.holiday_message}
            )
        delivery, method, *service = choices.get(group.store.pk, (Order.Delivery.SHIPPING, payment_method))
        if delivery not in Order.Delivery.values or method not in M.values:
            raise DomainError(_("Choose how to receive and pay for the order from %(store)s.") % {"store": group.store})
        if delivery == Order.Delivery.PICKUP and not group.store.allows_pickup:
            raise DomainError(_("%(store)s does not offer pickup.") % {"store": group.store})
        if method == M.CASH_ON_PICKUP and delivery != Order.Delivery.PICKUP:
            raise DomainError(_("Cash payment is only possible when you pick the order up."))
        weight = group_weight(group)
        quotes = store_quotes(
            store=group.store,
            destination=destination,
            weight_grams=weight,
            subtotal=group.subtotal,
            store_rate=store_rate(store=group.store, address=address, rates=rates),
        )
        quote = _chosen(group.store, quotes, delivery=delivery, service=service[0] if service else "", address=address)
        plans.append(
            OrderPlan(
                group=group,
                delivery=delivery,
                payment_method=method,
                shipping_cost=quote.price,
                quotes=quotes,
                quote=quote,
                weight_grams=weight,
                postal_code=address.postal_code if address is not None else "",
            )
        )
    if len({plan.payment_method for plan in plans} - {M.CASH_ON_PICKUP}) > 1:
        raise DomainError(
            _("Pay the whole checkout one way: by bank transfer to each store, or by one virtual account / QRIS.")
        )
    return plans


def _chosen(store: Store, quotes: list[Quote], *, delivery: str, service: str, address: Address | None) -> Quote:
    """The quote of the service chosen for `store`, or DomainError when it does not go to this address."""
    if delivery == Order.Delivery.PICKUP:
        service = PICKUP
    elif address is None:
        raise DomainError(_("Choose a shipping address."))
    elif service == PICKUP:
        raise DomainError(_("Choose how to receive the order from %(store)s.") % {"store": store})
    quote = next((q for q in quotes if q.code == service), None) if service else default_quote(quotes)
    if quote is None:
        raise DomainError(
            _("%(store)s cannot send this order that way to this address; choose another service.") % {"store": store}
        )
    return quote


def gateway_total(plans: list[OrderPlan]) -> int:
    """What the one gateway payment of this checkout will be (0 when it is not paid by the gateway)."""
    return sum(plan.total for plan in plans if plan.payment_method == M.GATEWAY)
