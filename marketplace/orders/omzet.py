"""The one definition of OPOP Mart sales ("omzet"), read by every figure that shows them: the seller dashboard, the
sales report and its CSV (marketplace.seller.sales), the pesantren monthly report's prefill (month_sales) and the
programme rollup (reports.sources.MartSalesSource). docs/sales-definition.md explains the choices.

- **Omzet** is the goods value of the sold orders: `Order.subtotal`, shipping excluded. Shipping (`shipping_cost`)
  passes through to the courier and is shown as its own figure where it is shown at all.
- An order is **sold** once it is paid (`paid_at` set), whatever the method (gateway, a transfer the store
  confirmed, cash at pickup), for as long as it is not cancelled or refunded. An open complaint still counts: the
  money is paid and may yet stay; a refund takes the order out again.
- A sale counts on the **day it was paid** (WIB): its month never moves when the order completes later. A refund or
  a cancellation after payment takes it out of that same month (order_transition marks the month dirty for the
  rollup).
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from marketplace.models import Order
from opop.figures import next_month

S = Order.Status

# Statuses of a paid order that is neither cancelled nor refunded.
SOLD_STATUSES = (S.PAID, S.PROCESSING, S.READY_TO_SHIP, S.SHIPPED, S.DELIVERED, S.REFUND_REQUESTED, S.COMPLETED)
SALE_DATE = "paid_at"  # the moment a sale counts
OMZET = "subtotal"  # what a sale is worth: the goods, without shipping
SHIPPING = "shipping_cost"


def sold_q(prefix: str = "") -> Q:
    """The orders that count as sales; `prefix` ("order__") to filter rows related to an order."""
    return Q(**{f"{prefix}{SALE_DATE}__isnull": False, f"{prefix}status__in": SOLD_STATUSES})


def sold_orders(queryset: QuerySet | None = None) -> QuerySet:
    return (Order.objects.all() if queryset is None else queryset).filter(sold_q())


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 WIB, the day after `end` 00:00 WIB): the moments of the days from start to end."""
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    return day_bounds(first, next_month(first) - timedelta(days=1))


def sold_between(queryset: QuerySet | None, start: date, end: date) -> QuerySet:
    """The sales paid on the days from `start` to `end` (both included, WIB)."""
    low, high = day_bounds(start, end)
    return sold_orders(queryset).filter(**{f"{SALE_DATE}__gte": low, f"{SALE_DATE}__lt": high})


def sold_in_month(queryset: QuerySet | None, day: date) -> QuerySet:
    """The sales paid in the month of `day` (WIB)."""
    low, high = month_bounds(day)
    return sold_orders(queryset).filter(**{f"{SALE_DATE}__gte": low, f"{SALE_DATE}__lt": high})


def totals(queryset: QuerySet) -> dict:
    """Omzet, shipping apart, the number of orders and the pesantren-to-pesantren part, in one aggregate query.
    `queryset` must already hold sales only (sold_orders / sold_between)."""
    trade = Q(is_pesantren_trade=True)
    figures = queryset.aggregate(
        omzet=Sum(OMZET),
        shipping=Sum(SHIPPING),
        orders=Count("id"),
        trade_omzet=Sum(OMZET, filter=trade),
        trade_orders=Count("id", filter=trade),
    )
    return {key: value or 0 for key, value in figures.items()}
