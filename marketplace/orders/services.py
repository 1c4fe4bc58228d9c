"""Order writes: placing orders (one per store, stock reserved), every status move, expiry, reviews."""

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.cart.services import StoreCart, cart_by_store, cart_clear, cart_lines
from marketplace.catalogue.stock import Kind, NotEnoughStock, stock_change, stock_move
from marketplace.models import (
    Address,
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    Product,
    ProductVariant,
    ShippingRate,
    StockMovement,
    Store,
)
from marketplace.orders import states
from opop.figures import figures_mark_dirty, month_start
from opop.mail import enqueue_mail_on_commit
from opop.models import Organisation, User
from opop.permissions import access_for
from opop.services import DomainError, audit_record

logger = logging.getLogger(__name__)
S = Order.Status


def payment_window() -> timedelta:
    return timedelta(hours=getattr(settings, "MARKETPLACE_PAYMENT_WINDOW_HOURS", 24))


# ---------------------------------------------------------------- shipping and checkout preview


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


def checkout_plan(
    *, buyer: User, session, address: Address | None, choices: dict[int, tuple[str, str]]
) -> list[OrderPlan]:
    """Split the cart into one planned order per store. `choices` maps store id → (delivery, payment method);
    a store without a choice gets shipping and bank transfer. Raises DomainError for a choice that cannot be."""
    groups = cart_by_store(cart_lines(user=buyer, session=session))
    if not groups:
        raise DomainError(_("Your cart is empty."))
    plans = []
    rates = shipping_rates(stores=[group.store for group in groups], address=address)
    for group in groups:
        if group.store.is_on_holiday:
            raise DomainError(
                _("%(store)s is on holiday and takes no orders now. %(message)s")
                % {"store": group.store, "message": group.store.holiday_message}
            )
        delivery, method = choices.get(group.store.pk, (Order.Delivery.SHIPPING, Order.PaymentMethod.BANK_TRANSFER))
        if delivery not in Order.Delivery.values or method not in Order.PaymentMethod.values:
            raise DomainError(_("Choose how to receive and pay for the order from %(store)s.") % {"store": group.store})
        if delivery == Order.Delivery.PICKUP and not group.store.allows_pickup:
            raise DomainError(_("%(store)s does not offer pickup.") % {"store": group.store})
        if method == Order.PaymentMethod.CASH_ON_PICKUP and delivery != Order.Delivery.PICKUP:
            raise DomainError(_("Cash payment is only possible when you pick the order up."))
        cost = shipping_quote(store=group.store, address=address, delivery=delivery, rates=rates)
        plans.append(OrderPlan(group=group, delivery=delivery, payment_method=method, shipping_cost=cost))
    return plans


# ---------------------------------------------------------------- placing orders


def orders_placed_with_key(*, buyer: User, key) -> list[Order]:
    """The orders one checkout form (its idempotency key) placed for `buyer`, empty when none yet."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return []
    return list(Order.objects.filter(buyer=buyer, checkout_group=key).order_by("id"))


def buying_organisation_ids(user: User) -> list[int]:
    """Pesantren the user may buy on behalf of (owner or staff of the pesantren)."""
    return access_for(user).organisation_ids(roles=("owner", "staff"), kinds=(Organisation.Kind.PESANTREN,))


def _new_number() -> str:
    """OPM-YYMMDD- and 10 random hex digits: a clash needs about a million orders in one day to become likely."""
    return f"OPM-{timezone.localdate():%y%m%d}-{secrets.token_hex(5).upper()}"


NUMBER_ATTEMPTS = 5


def _order_create(**fields) -> Order:
    """Insert an order under a fresh random number. A clash with an existing number is retried inside a
    savepoint, so the checkout's transaction survives it; any other integrity error is raised as it is."""
    attempt = 1
    while True:
        number = _new_number()
        try:
            with transaction.atomic():
                return Order.objects.create(number=number, **fields)
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS or not Order.objects.filter(number=number).exists():
                raise
        logger.warning("marketplace.order_number_clash", extra={"number": number, "attempt": attempt})
        attempt += 1


def _variants_checked(lines) -> None:
    """One query for the whole cart: a line without a variant must be of a product without variants."""
    plain = {line.product.pk for line in lines if line.variant is None}
    if plain and ProductVariant.objects.filter(product_id__in=plain).exists():
        raise DomainError(_("Choose the variant whose stock changes."))


def _reserve(*, product: Product, variant: ProductVariant | None, quantity: int, order: Order) -> StockMovement:
    """Take `quantity` off the shelf as a sale (one conditional UPDATE of stock and sold count); a buyer who
    lost the race gets a clear message. Returns the sale movement, unsaved: order_place writes them together.
    The caller has checked the variants (_variants_checked)."""
    label = f"{product.name} ({variant.name})" if variant else product.name
    if quantity < product.min_order:
        raise DomainError(_("The minimum order for %(name)s is %(min)d.") % {"name": label, "min": product.min_order})
    try:
        return stock_change(
            product=product,
            variant=variant,
            quantity=-quantity,
            kind=Kind.SALE,
            actor=order.buyer,
            order=order,
            count_sold=True,
            variants_checked=True,
        )
    except NotEnoughStock as exc:
        raise DomainError(
            _("Sorry, %(name)s has just sold out: only %(left)d left, you wanted %(qty)d. Your cart was kept.")
            % {"name": label, "left": exc.left, "qty": quantity}
        ) from None


def _release(order: Order, actor: User | None) -> None:
    if order.stock_released:
        return
    for item in order.items.select_related("product", "variant"):
        stock_move(
            product=item.product,
            variant=item.variant,
            quantity=item.quantity,
            kind=Kind.CANCELLATION,
            actor=actor,
            reason=order.number,
            order=order,
        )
        Product.objects.filter(pk=item.product_id).update(sold_count=F("sold_count") - item.quantity)
    order.stock_released = True


def _notify(order: Order, event: OrderEvent) -> None:
    enqueue_mail_on_commit(
        "marketplace.order_status_notify",
        {"order_id": order.pk, "event_id": event.pk, "language": translation.get_language()},
    )


@transaction.atomic
def order_place(
    *,
    buyer: User,
    session,
    address: Address | None,
    choices: dict[int, tuple[str, str]],
    on_behalf_of: Organisation | None = None,
    idempotency_key: uuid.UUID | str | None = None,
) -> list[Order]:
    """Turn the cart into one order per store, reserving the stock, and start each payment.

    `on_behalf_of`: a pesantren the buyer administers buys (B2B); orders from another pesantren's store are
    tagged pesantren-to-pesantren trade. Guarantees: either every order is placed and every unit reserved, or
    nothing changes (the cart stays). Raises DomainError when stock, minimum order or a choice forbids it.

    `idempotency_key` (the checkout form's id, a UUID) becomes the orders' `checkout_group`: the same key again —
    a double click, a retry after a timeout, a concurrent request — returns the orders that key already placed
    and changes nothing. The buyer's row is locked first, so two checkouts of one buyer never interleave and
    the second one sees what the first committed; the unique (buyer, checkout_group, store) backs it up."""
    from marketplace.payments import provider_for

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
    plans = checkout_plan(buyer=buyer, session=session, address=address, choices=choices)
    if on_behalf_of is not None and any(plan.store.organisation_id == on_behalf_of.pk for plan in plans):
        raise DomainError(_("A pesantren cannot buy from its own store."))
    group_id = idempotency_key or uuid.uuid4()
    _variants_checked([line for plan in plans for line in plan.group.lines])
    orders, movements = [], []
    for plan in plans:
        shipping = plan.delivery == Order.Delivery.SHIPPING
        order = _order_create(
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
            expires_at=None
            if plan.payment_method == Order.PaymentMethod.CASH_ON_PICKUP
            else timezone.now()
            + (timedelta(hours=plan.store.order_expiry_hours) if plan.store.order_expiry_hours else payment_window()),
            buyer_organisation=on_behalf_of,
            is_pesantren_trade=on_behalf_of is not None and plan.store.organisation.kind == Organisation.Kind.PESANTREN,
        )
        movements += [
            _reserve(product=line.product, variant=line.variant, quantity=line.quantity, order=order)
            for line in plan.group.lines
        ]
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
            for line in plan.group.lines
        )
        event = OrderEvent.objects.create(
            order=order, actor=buyer, to_status=S.AWAITING_PAYMENT, note=gettext_noop("Order placed.")
        )
        provider_for(order.payment_method).start(order=order)
        _notify(order, event)
        orders.append(order)
    StockMovement.objects.bulk_create(movements)  # every line's sale, in the transaction of its UPDATE
    cart_clear(user=buyer, session=session)
    logger.info("marketplace.orders_placed", extra={"buyer": buyer.pk, "orders": [o.number for o in orders]})
    return orders


# ---------------------------------------------------------------- status moves


@transaction.atomic
def order_transition(
    *, order: Order, to_status: str, party: str, actor: User | None, note: str = "", **fields
) -> Order:
    """Move `order` to `to_status` as `party` (buyer, seller or system), or raise DomainError.

    Locks the order row so two moves never interleave; records an OrderEvent; releases the stock
    on cancellation; e-mails buyer and seller after the commit."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not states.allowed(locked.status, to_status, party):
        raise DomainError(
            _("An order that is “%(from)s” cannot become “%(to)s”.")
            % {"from": locked.get_status_display(), "to": S(to_status).label}
        )
    from_status = locked.status
    locked.status = to_status
    for name, value in fields.items():
        setattr(locked, name, value)
    now = timezone.now()
    if to_status == S.PAID:
        locked.paid_at = now
    if to_status == S.COMPLETED:
        locked.completed_at = now
    if to_status in states.RELEASES_STOCK:
        _release(locked, actor)
    locked.save()
    from marketplace.balance.ledger import balance_on_transition  # gateway-paid orders move the store balance

    balance_on_transition(order=locked, from_status=from_status, to_status=to_status, actor=actor)
    if to_status in (S.PAID, S.COMPLETED, S.REFUNDED) or (to_status == S.CANCELLED and locked.paid_at):
        # Mart sales count in the programme's monthly figures of the store's kabupaten/kota.
        kode = (
            Organisation.objects.filter(store__pk=locked.store_id).values_list("kabupaten_kota_id", flat=True).first()
        )
        for when in {month_start(locked.paid_at or now), month_start(now)}:
            figures_mark_dirty(when=when, kabupaten_kota_id=kode)
    event = OrderEvent.objects.create(
        order=locked, actor=actor, from_status=from_status, to_status=to_status, note=note
    )
    _notify(locked, event)
    order.refresh_from_db()  # the caller's copy shows the new status too
    return locked


def order_cancel_by_buyer(*, order: Order, buyer: User) -> Order:
    return order_transition(
        order=order,
        to_status=S.CANCELLED,
        party=states.BUYER,
        actor=buyer,
        note=gettext_noop("Cancelled by the buyer."),
    )


def order_cancel_by_seller(*, order: Order, actor: User, reason: str) -> Order:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the buyer why the order is cancelled."))
    paid_before = order.status != S.AWAITING_PAYMENT
    with transaction.atomic():
        order = order_transition(
            order=order, to_status=S.CANCELLED, party=states.SELLER, actor=actor, note=reason, cancel_reason=reason
        )
        if paid_before:
            audit_record(
                actor=actor,
                action="marketplace.refund_due",
                organisation=order.store.organisation,
                target=order,
                data={"amount": order.total, "reason": reason},
            )
    return order


def order_expire(*, order: Order) -> Order:
    return order_transition(
        order=order,
        to_status=S.CANCELLED,
        party=states.SYSTEM,
        actor=None,
        note=gettext_noop("Not paid in time; the stock went back on sale."),
        cancel_reason=gettext_noop("Payment time ran out."),
    )


def order_start_processing(*, order: Order, actor: User) -> Order:
    return order_transition(order=order, to_status=S.PROCESSING, party=states.SELLER, actor=actor)


def order_ship(*, order: Order, actor: User, courier: str, tracking_number: str) -> Order:
    courier, tracking_number = (courier or "").strip(), (tracking_number or "").strip()
    if order.delivery != Order.Delivery.SHIPPING:
        raise DomainError(_("A pickup order is handed over, not shipped."))
    if not courier or not tracking_number:
        raise DomainError(_("Give the courier and the tracking number."))
    return order_transition(
        order=order,
        to_status=S.SHIPPED,
        party=states.SELLER,
        actor=actor,
        note=f"{courier} · {tracking_number}",
        courier=courier,
        tracking_number=tracking_number,
    )


def order_mark_delivered(*, order: Order, actor: User) -> Order:
    if order.status == S.PROCESSING and order.delivery != Order.Delivery.PICKUP:
        raise DomainError(_("Ship the order before marking it delivered."))
    note = gettext_noop("Handed over at the pesantren.") if order.delivery == Order.Delivery.PICKUP else ""
    return order_transition(order=order, to_status=S.DELIVERED, party=states.SELLER, actor=actor, note=note)


def order_confirm_receipt(*, order: Order, buyer: User) -> Order:
    return order_transition(
        order=order,
        to_status=S.COMPLETED,
        party=states.BUYER,
        actor=buyer,
        note=gettext_noop("The buyer confirmed receipt."),
    )


def order_request_refund(*, order: Order, buyer: User, reason: str) -> Order:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the seller why you want a refund."))
    return order_transition(order=order, to_status=S.REFUND_REQUESTED, party=states.BUYER, actor=buyer, note=reason)


@transaction.atomic
def order_refund(*, order: Order, actor: User) -> Order:
    order = order_transition(
        order=order,
        to_status=S.REFUNDED,
        party=states.SELLER,
        actor=actor,
        note=gettext_noop("Money returned to the buyer."),
    )
    audit_record(
        actor=actor,
        action="marketplace.refunded",
        organisation=order.store.organisation,
        target=order,
        data={"amount": order.total},
    )
    return order


def orders_expire_unpaid(*, now=None) -> int:
    """Cancel every unpaid order whose payment time ran out; returns how many. Safe to run twice."""
    now = now or timezone.now()
    expired = 0
    due = Order.objects.filter(status=S.AWAITING_PAYMENT, expires_at__lte=now)
    # A buyer who uploaded a transfer proof in time waits for the seller, not for the clock.
    due = due.exclude(payments__status=Payment.Status.PROOF_UPLOADED)
    for order in due.only("pk"):
        try:
            order_expire(order=order)
        except DomainError:
            continue  # paid or cancelled meanwhile
        expired += 1
    return expired
