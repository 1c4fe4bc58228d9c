"""Placing a checkout: one order per store, the stock reserved, and its payment started — per store for a bank
transfer or cash, one payment for the whole checkout through the gateway."""

import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.cart.services import StoreCart, cart_by_store, cart_lines, cart_remove, cart_unchanged
from marketplace.catalogue.stock import Kind, NotEnoughStock, stock_change
from marketplace.checkout.planning import checkout_plan
from marketplace.models import Address, Order, OrderEvent, OrderItem, Product, ProductVariant, StockMovement
from marketplace.orders.counters import order_counts_move
from marketplace.payments import provider_for
from opop.mail import enqueue_mails_on_commit
from opop.models import Organisation, User
from opop.permissions import access_for
from opop.services import DomainError

logger = logging.getLogger(__name__)
S = Order.Status
M = Order.PaymentMethod


def payment_window() -> timedelta:
    """How long a bank transfer may take, unless the store sets its own."""
    return timedelta(hours=getattr(settings, "MARKETPLACE_PAYMENT_WINDOW_HOURS", 24))


def gateway_payment_window() -> timedelta:
    """How long the one gateway payment of a checkout stays open; its orders expire with it."""
    return timedelta(hours=getattr(settings, "MARKETPLACE_GATEWAY_PAYMENT_HOURS", 24))


def buying_organisation_ids(user: User) -> list[int]:
    """Pesantren the user may buy on behalf of (owner or staff of the pesantren)."""
    return access_for(user).organisation_ids(roles=("owner", "staff"), kinds=(Organisation.Kind.PESANTREN,))


@dataclass
class CheckoutStart:
    """What the checkout page needs, read once per request: the cart by store, the buyer's addresses and the
    pesantren the buyer may buy for."""

    cart: list[StoreCart]
    addresses: list[Address]
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def stores(self):
        return [group.store for group in self.cart]


def checkout_start(*, buyer: User, session) -> CheckoutStart:
    """Read the buyer's cart, address book and buying organisations for one checkout page."""
    cart = cart_by_store(cart_lines(user=buyer, session=session, photos=False))
    addresses = list(buyer.addresses.select_related("kabupaten_kota")) if cart else []
    ids = buying_organisation_ids(buyer) if cart else []
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []
    return CheckoutStart(cart=cart, addresses=addresses, organisations=organisations)


def orders_placed_with_key(*, buyer: User, key) -> list[Order]:
    """The orders one checkout form (its idempotency key) placed for `buyer`, empty when none yet."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return []
    return list(Order.objects.filter(buyer=buyer, checkout_group=key).order_by("id"))


def _new_number() -> str:
    """OPM-YYMMDD- and 10 random hex digits: a clash needs about a million orders in one day to become likely."""
    return f"OPM-{timezone.localdate():%y%m%d}-{secrets.token_hex(5).upper()}"


NUMBER_ATTEMPTS = 5


def _orders_create(orders: list[Order]) -> list[Order]:
    """Insert a checkout's orders with one INSERT, each under a fresh random number. A clash with an existing
    number draws every number again inside a savepoint, so the checkout's transaction survives it; any other
    integrity error is raised as it is."""
    attempt = 1
    while True:
        for order in orders:
            order.number = _new_number()
        try:
            with transaction.atomic():
                return Order.objects.bulk_create(orders)
        except IntegrityError:
            numbers = [order.number for order in orders]
            if attempt == NUMBER_ATTEMPTS or not Order.objects.filter(number__in=numbers).exists():
                raise
        logger.warning("marketplace.order_number_clash", extra={"numbers": numbers, "attempt": attempt})
        attempt += 1


def _variants_checked(lines) -> None:
    """A line without a variant must be of a product without variants (cart_lines reads `has_variants`)."""
    if any(line.variant is None and line.product.has_variants for line in lines):
        raise DomainError(_("Choose the variant whose stock changes."))


def _stock_order(line) -> tuple[int, int]:
    """The order stock rows are locked in: (product id, variant id), a plain product first."""
    return (line.product.pk, line.variant.pk if line.variant is not None else 0)


def _reserve(*, product: Product, variant: ProductVariant | None, quantity: int, buyer: User) -> StockMovement:
    """Take `quantity` off the shelf as a sale (one conditional UPDATE of stock and sold count); a buyer who
    lost the race gets a clear message. Returns the sale movement, unsaved and without its order: order_place
    sets the order and writes them together. The caller has checked the variants (_variants_checked)."""
    label = f"{product.name} ({variant.name})" if variant else product.name
    if quantity < product.min_order:
        raise DomainError(_("The minimum order for %(name)s is %(min)d.") % {"name": label, "min": product.min_order})
    try:
        return stock_change(
            product=product,
            variant=variant,
            quantity=-quantity,
            kind=Kind.SALE,
            actor=buyer,
            order=None,
            count_sold=True,
            variants_checked=True,
        )
    except NotEnoughStock as exc:
        raise DomainError(
            _("Sorry, %(name)s has just sold out: only %(left)d left, you wanted %(qty)d. Your cart was kept.")
            % {"name": label, "left": exc.left, "qty": quantity}
        ) from None


@transaction.atomic
def order_place(
    *,
    buyer: User,
    session,
    address: Address | None,
    choices: dict[int, tuple[str, str]],
    payment_method: str = M.BANK_TRANSFER,
    on_behalf_of: Organisation | None = None,
    idempotency_key: uuid.UUID | str | None = None,
    cart: list[StoreCart] | None = None,
) -> list[Order]:
    """Turn the cart into one order per store, reserving the stock, and start the payment.

    `choices` and `payment_method` as in checkout_plan. A checkout paid by the gateway gets one CheckoutPayment
    for all its gateway orders (one VA, the grand total), and those orders expire together with it; a bank
    transfer or cash stays one payment per order. `on_behalf_of`: a pesantren the buyer administers buys (B2B);
    orders from another pesantren's store are tagged pesantren-to-pesantren trade. Guarantees: either every
    order is placed and every unit reserved, or nothing changes (the cart stays). Raises DomainError when
    stock, minimum order or a choice forbids it.

    `cart`: the buyer's cart as the caller read it for this request (checkout_start); it is checked to be still
    what the buyer holds once the buyer is locked, so it is not read twice. Without it the cart is read here.

    `idempotency_key` (the checkout form's id, a UUID) becomes the orders' `checkout_group`: the same key again —
    a double click, a retry after a timeout, a concurrent request — returns the orders that key already placed
    and changes nothing. The buyer's row is locked first, so two checkouts of one buyer never interleave and
    the second one sees what the first committed; the unique (buyer, checkout_group, store) backs it up."""
    User.objects.select_for_update().filter(pk=buyer.pk).values_list("pk", flat=True).first()
    if idempotency_key is not None:
        try:
            idempotency_key = uuid.UUID(str(idempotency_key))
        except ValueError:
            raise DomainError(_("This checkout form is damaged; reload the page and try again.")) from None
        placed = orders_placed_with_key(buyer=buyer, key=idempotency_key)
        if placed:
            logger.info("marketplace.checkout_replayed", extra={"buyer": buyer.pk, "key": str(idempotency_key)})
            return placed
    if address is not None and address.user_id != buyer.pk:
        raise DomainError(_("Choose one of your own addresses."))
    if on_behalf_of is not None and on_behalf_of.pk not in buying_organisation_ids(buyer):
        raise DomainError(_("You can only buy on behalf of a pesantren you administer."))
    if cart is None:
        cart = cart_by_store(cart_lines(user=buyer, session=session, photos=False))
    elif cart and not cart_unchanged(user=buyer, lines=[line for group in cart for line in group.lines]):
        raise DomainError(_("Your cart changed while you were checking out; check the order and place it again."))
    plans = checkout_plan(cart=cart, address=address, choices=choices, payment_method=payment_method)
    if on_behalf_of is not None and any(plan.store.organisation_id == on_behalf_of.pk for plan in plans):
        raise DomainError(_("A pesantren cannot buy from its own store."))
    group_id = idempotency_key or uuid.uuid4()
    lines = [line for plan in plans for line in plan.group.lines]
    _variants_checked(lines)
    # Every stock row is locked (its UPDATE) in one order, (product id, variant id), whatever the cart's order:
    # two checkouts holding the same products lock them in the same order and never deadlock. It runs before any
    # order is written, so a sold-out line fails before the orders' INSERTs.
    reserved = {
        id(line): _reserve(product=line.product, variant=line.variant, quantity=line.quantity, buyer=buyer)
        for line in sorted(lines, key=_stock_order)
    }
    now = timezone.now()
    gateway_expires = now + gateway_payment_window()
    orders = []
    for plan in plans:
        shipping = plan.delivery == Order.Delivery.SHIPPING
        if plan.payment_method == M.CASH_ON_PICKUP:
            expires_at = None
        elif plan.payment_method == M.GATEWAY:
            expires_at = gateway_expires  # one payment: its orders expire together
        elif plan.store.order_expiry_hours:
            expires_at = now + timedelta(hours=plan.store.order_expiry_hours)
        else:
            expires_at = now + payment_window()
        orders.append(
            Order(
                checkout_group=group_id,
                buyer=buyer,
                store=plan.store,
                payment_method=plan.payment_method,
                delivery=plan.delivery,
                destination=address.kabupaten_kota if shipping and address else None,
                recipient_name=address.recipient_name if address else buyer.get_full_name(),
                recipient_phone=address.phone if address else buyer.phone,
                shipping_address=address.one_line if shipping and address else "",
                subtotal=plan.subtotal,
                shipping_cost=plan.shipping_cost,
                total=plan.total,
                expires_at=expires_at,
                buyer_organisation=on_behalf_of,
                is_pesantren_trade=on_behalf_of is not None
                and plan.store.organisation.kind == Organisation.Kind.PESANTREN,
                **plan.shipping_fields,
            )
        )
    # Every kind of row is written once for the whole checkout, whatever the number of stores.
    _orders_create(orders)
    movements = []
    for order, plan in zip(orders, plans, strict=True):
        for line in plan.group.lines:
            reserved[id(line)].order = order
            movements.append(reserved[id(line)])
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            product=line.product,
            variant=line.variant,
            product_name=line.product.name,
            variant_name=line.variant.name if line.variant else "",
            unit_price=line.unit_price,
            quantity=line.quantity,
            line_total=line.line_total,
        )
        for order, plan in zip(orders, plans, strict=True)
        for line in plan.group.lines
    )
    events = OrderEvent.objects.bulk_create(
        OrderEvent(order=order, actor=buyer, to_status=S.AWAITING_PAYMENT, note=gettext_noop("Order placed."))
        for order in orders
    )
    for method in {order.payment_method for order in orders} - {M.GATEWAY}:
        provider_for(method).start_orders(orders=[order for order in orders if order.payment_method == method])
    gateway_orders = [order for order in orders if order.payment_method == M.GATEWAY]
    if gateway_orders:
        provider_for(M.GATEWAY).start_checkout(
            buyer=buyer, checkout_group=group_id, orders=gateway_orders, expires_at=gateway_expires
        )
    language = translation.get_language()
    enqueue_mails_on_commit(
        "marketplace.order_status_notify",
        [
            {"order_id": order.pk, "event_id": event.pk, "language": language}
            for order, event in zip(orders, events, strict=True)
        ],
    )
    StockMovement.objects.bulk_create(movements)  # every line's sale, in the transaction of its UPDATE
    order_counts_move([(order.store_id, None, order.status) for order in orders])  # the seller queues' counts
    cart_remove(user=buyer, session=session, lines=lines)
    logger.info("marketplace.orders_placed", extra={"buyer": buyer.pk, "orders": [o.number for o in orders]})
    return orders
