"""Order writes: every status move, expiry, refunds. Placing a checkout is marketplace.checkout.services."""

import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.catalogue.stock import Kind, stock_move
from marketplace.models import Order, OrderEvent, Payment, Product
from marketplace.orders import states
from marketplace.orders.counters import order_counts_move
from opop.figures import figures_mark_dirty, month_start
from opop.mail import enqueue_mail_on_commit
from opop.models import Organisation, User
from opop.services import DomainError, audit_record

logger = logging.getLogger(__name__)
S = Order.Status


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


# ---------------------------------------------------------------- status moves


@transaction.atomic
def order_transition(
    *, order: Order, to_status: str, party: str, actor: User | None, note: str = "", **fields
) -> Order:
    """Move `order` to `to_status` as `party` (buyer, seller or system), or raise DomainError.

    Locks the order row so two moves never interleave; records an OrderEvent; releases the stock
    on cancellation; stamps shipped_at / delivered_at (the auto-complete clock); e-mails buyer and seller after
    the commit. Out of a complaint, the only way back is to the status the order had before it."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not states.allowed(locked.status, to_status, party) or (
        states.is_complaint_return(locked.status, to_status) and to_status != order_status_before_complaint(locked)
    ):
        raise DomainError(
            _("An order that is “%(from)s” cannot become “%(to)s”.")
            % {"from": locked.get_status_display(), "to": S(to_status).label}
        )
    from_status = locked.status
    locked.status = to_status
    for name, value in fields.items():
        setattr(locked, name, value)
    now = timezone.now()
    if to_status == S.PAID and locked.paid_at is None:  # a rejected complaint returning to "paid" keeps the date
        locked.paid_at = now
    if to_status == S.COMPLETED:
        locked.completed_at = now
    # The auto-complete clock: when the order (last) entered shipped / delivered.
    if to_status == S.SHIPPED:
        locked.shipped_at = now
    if to_status == S.DELIVERED:
        locked.delivered_at = now
    if to_status in states.RELEASES_STOCK:
        _release(locked, actor)
    locked.save(
        update_fields=[
            "status",
            *fields,
            "paid_at",
            "completed_at",
            "shipped_at",
            "delivered_at",
            "stock_released",
            "updated_at",
        ]
    )
    order_counts_move([(locked.store_id, from_status, to_status)])  # the queue's counters, in this transaction
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
        order=locked, actor=actor, from_status=from_status, to_status=to_status, note=note, created_at=now
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
    """The seller cancels `order` with a reason for the buyer. An order ready to ship has its courier booking
    cancelled first, in the same transaction (marketplace.shipping.services.shipment_booking_cancel): when the
    courier refuses (the parcel is already picked up) nothing is cancelled and DomainError says why."""
    from marketplace.shipping.services import shipment_booking_cancel  # shipping builds on this module

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the buyer why the order is cancelled."))
    paid_before = order.status != S.AWAITING_PAYMENT
    with transaction.atomic():
        shipment_booking_cancel(order=order, actor=actor)
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
    """The buyer opens a complaint (the order becomes "refund requested") with a reason, any time before the order
    completes: the auto-complete stops and the store's money stays held until the seller refunds or rejects."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the seller why you are not satisfied with the order."))
    return order_transition(order=order, to_status=S.REFUND_REQUESTED, party=states.BUYER, actor=buyer, note=reason)


def order_status_before_complaint(order: Order) -> str | None:
    """The status `order` had when its (latest) complaint was opened, from the complaint's event."""
    return (
        OrderEvent.objects.filter(order_id=order.pk, to_status=S.REFUND_REQUESTED)
        .order_by("-created_at", "-id")
        .values_list("from_status", flat=True)
        .first()
    )


@transaction.atomic
def order_complaint_reject(*, order: Order, actor: User, reason: str) -> Order:
    """The seller rejects the buyer's complaint, with a reason the buyer reads: the order returns to the status it
    had before the complaint. Back in "shipped" or "delivered" its auto-complete clock restarts from now, so the
    buyer has the full time again to confirm or to answer. Raises DomainError without a reason or a complaint."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the buyer why the complaint is rejected."))
    back = order_status_before_complaint(order)
    if order.status != S.REFUND_REQUESTED or back is None:
        raise DomainError(_("This order has no open complaint."))
    order = order_transition(order=order, to_status=back, party=states.SELLER, actor=actor, note=reason)
    audit_record(
        actor=actor,
        action="marketplace.complaint_rejected",
        organisation=order.store.organisation,
        target=order,
        data={"reason": reason, "back_to": back},
    )
    return order


@transaction.atomic
def order_refund(*, order: Order, actor: User) -> Order:
    """The seller returns the money. A courier booking still waiting for its pickup (the complaint came while the
    order was ready to ship) is cancelled in the same transaction, so no courier comes for a refunded parcel."""
    from marketplace.shipping.services import shipment_booking_cancel  # shipping builds on this module

    shipment_booking_cancel(order=order, actor=actor, refunding=True)
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


# ---------------------------------------------------------------- auto-complete


def orders_auto_complete_due(*, now=None):
    """The orders whose auto-complete time has come, read through the two partial indexes on the clocks."""
    now = now or timezone.now()
    delays = states.auto_complete_delays()
    return Order.objects.filter(
        Q(status=S.SHIPPED, shipped_at__lte=now - delays[S.SHIPPED])
        | Q(status=S.DELIVERED, delivered_at__lte=now - delays[S.DELIVERED])
    )


@transaction.atomic
def order_auto_complete(*, order: Order, now=None) -> bool:
    """Complete `order` as the system if it is due at `now`, checked again under the row lock: an order the buyer
    confirmed or complained about meanwhile, or whose clock a rejected complaint restarted, is left alone.
    Returns whether this call completed it."""
    now = now or timezone.now()
    locked = Order.objects.select_for_update().filter(pk=order.pk).first()
    due = states.auto_complete_at(locked) if locked is not None else None
    if due is None or due > now:
        return False
    order_transition(
        order=locked,
        to_status=S.COMPLETED,
        party=states.SYSTEM,
        actor=None,
        note=gettext_noop("Completed automatically: no problem was reported in time."),
    )
    return True


def orders_auto_complete(*, now=None) -> int:
    """Complete every shipped or delivered order whose time has come; returns how many this run completed.

    One query finds the due orders; each is then completed in its own short transaction (order_auto_complete), so
    a second run, a concurrent run or a buyer confirming at the same moment completes an order once and only once.
    """
    now = now or timezone.now()
    completed = 0
    due = list(orders_auto_complete_due(now=now).order_by().values_list("pk", flat=True))
    for pk in due:
        try:
            done = order_auto_complete(order=Order(pk=pk), now=now)
        except Exception:  # one broken order must not hold up the others; its transaction rolled back alone
            logger.exception("marketplace.auto_complete_failed", extra={"order": pk})
            continue
        completed += done
    if completed:
        logger.info("marketplace.orders_auto_completed", extra={"orders": completed})
    return completed
