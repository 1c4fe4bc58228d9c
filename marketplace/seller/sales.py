"""The sales report of one store: revenue, orders, items sold and best products per day, week or month, with a
bar chart drawn server-side as inline SVG. A sale counts from its payment; cancelled and refunded orders do not."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from marketplace.models import Order, OrderItem, Store

S = Order.Status
NOT_SALES = (S.AWAITING_PAYMENT, S.CANCELLED, S.REFUNDED)
TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


@dataclass
class Bucket:
    start: date
    revenue: int = 0
    orders: int = 0
    items: int = 0


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def _bucket_starts(start: date, end: date, group: str) -> list[date]:
    if group == "month":
        first, out = start.replace(day=1), []
        while first <= end:
            out.append(first)
            first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return out
    step = 7 if group == "week" else 1
    first = start - timedelta(days=start.weekday()) if group == "week" else start
    return [first + timedelta(days=step * i) for i in range((end - first).days // step + 1)]


def sales_orders(store: Store, start: date, end: date):
    low, high = _bounds(start, end)
    return Order.objects.filter(store=store, paid_at__gte=low, paid_at__lt=high).exclude(status__in=NOT_SALES)


def sales_report(*, store: Store, start: date, end: date, group: str) -> dict:
    orders = sales_orders(store, start, end)
    trunc = TRUNC[group]("paid_at", tzinfo=timezone.get_current_timezone())
    buckets = {day: Bucket(day) for day in _bucket_starts(start, end, group)}
    for row in orders.annotate(period=trunc).values("period").annotate(revenue=Sum("subtotal"), n=Count("id")):
        key = timezone.localtime(row["period"]).date() if isinstance(row["period"], datetime) else row["period"]
        bucket = buckets.setdefault(key, Bucket(key))
        bucket.revenue, bucket.orders = row["revenue"] or 0, row["n"]
    items = OrderItem.objects.filter(order__in=orders)
    for row in (
        items.annotate(period=TRUNC[group]("order__paid_at", tzinfo=timezone.get_current_timezone()))
        .values("period")
        .annotate(n=Sum("quantity"))
    ):
        key = timezone.localtime(row["period"]).date() if isinstance(row["period"], datetime) else row["period"]
        buckets.setdefault(key, Bucket(key)).items = row["n"] or 0
    totals = orders.aggregate(
        revenue=Sum("subtotal"),
        orders=Count("id"),
        trade_orders=Count("id", filter=Q(is_pesantren_trade=True)),
        trade_revenue=Sum("subtotal", filter=Q(is_pesantren_trade=True)),
    )
    totals["items"] = items.aggregate(n=Sum("quantity"))["n"] or 0
    best = list(
        items.values("product_id", "product_name")
        .annotate(quantity=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-revenue", "-quantity", "product_name")[:10]
    )
    rows = [buckets[key] for key in sorted(buckets)]
    return {"rows": rows, "totals": {k: v or 0 for k, v in totals.items()}, "best": best, "chart": bar_chart(rows)}


def bar_chart(rows: list[Bucket], *, width: int = 640, height: int = 220) -> dict:
    """Geometry of an SVG bar chart of revenue per bucket (the template draws it)."""
    peak = max((row.revenue for row in rows), default=0) or 1
    pad_left, pad_bottom, top = 8, 24, 10
    slot = (width - pad_left - 14) / max(len(rows), 1)  # room on the right for the last label
    bar_width = max(slot * 0.7, 1)
    plot = height - pad_bottom - top
    bars = []
    label_every = max(1, len(rows) // 8)
    for i, row in enumerate(rows):
        h = round(plot * row.revenue / peak, 1)
        # Coordinates as strings with a dot: a localised "12,5" would break the SVG in Indonesian.
        bars.append(
            {
                "x": f"{pad_left + i * slot + (slot - bar_width) / 2:.1f}",
                "y": f"{top + plot - h:.1f}",
                "width": f"{bar_width:.1f}",
                "height": f"{h:.1f}",
                "row": row,
                "label": row.start if i % label_every == 0 else None,
                "label_x": f"{pad_left + i * slot + slot / 2:.1f}",
            }
        )
    return {"width": width, "height": height, "bars": bars, "peak": peak, "base_y": height - pad_bottom}


def month_sales(*, organisation_id: int, month: date) -> dict:
    """OPOP Mart sales of one organisation's store in one calendar month (paid, not cancelled or refunded), for
    the programme's monthly omzet: the pesantren report form can prefill its marketplace line from this."""
    start = month.replace(day=1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    store = Store.objects.filter(organisation_id=organisation_id).first()
    if store is None:
        return {"revenue": 0, "orders": 0, "pesantren_trade_revenue": 0}
    figures = sales_orders(store, start, end).aggregate(
        revenue=Sum("subtotal"), orders=Count("id"), trade=Sum("subtotal", filter=Q(is_pesantren_trade=True))
    )
    return {
        "revenue": figures["revenue"] or 0,
        "orders": figures["orders"],
        "pesantren_trade_revenue": figures["trade"] or 0,
    }
