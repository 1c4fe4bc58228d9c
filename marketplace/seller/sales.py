"""The sales report of one store: omzet (goods value, shipping apart), orders, items sold and best products per day,
week or month, with a bar chart drawn server-side as inline SVG. What counts as a sale, and when, is defined once in
marketplace.orders.omzet (see docs/sales-definition.md)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from marketplace.models import OrderItem, Store
from marketplace.orders import omzet

TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


@dataclass
class Bucket:
    start: date
    omzet: int = 0
    shipping: int = 0
    orders: int = 0
    items: int = 0


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


def _key(period) -> date:
    return timezone.localtime(period).date() if isinstance(period, datetime) else period


def sales_orders(store: Store, start: date, end: date):
    return omzet.sold_between(store.orders.all(), start, end)


def sales_report(*, store: Store, start: date, end: date, group: str) -> dict:
    orders = sales_orders(store, start, end)
    tz = timezone.get_current_timezone()
    buckets = {day: Bucket(day) for day in _bucket_starts(start, end, group)}
    per_period = (
        orders.annotate(period=TRUNC[group](omzet.SALE_DATE, tzinfo=tz))
        .values("period")
        .annotate(omzet=Sum(omzet.OMZET), shipping=Sum(omzet.SHIPPING), n=Count("id"))
    )
    for row in per_period:
        bucket = buckets.setdefault(_key(row["period"]), Bucket(_key(row["period"])))
        bucket.omzet, bucket.shipping, bucket.orders = row["omzet"] or 0, row["shipping"] or 0, row["n"]
    items = OrderItem.objects.filter(order__in=orders)
    for row in (
        items.annotate(period=TRUNC[group](f"order__{omzet.SALE_DATE}", tzinfo=tz))
        .values("period")
        .annotate(n=Sum("quantity"))
    ):
        buckets.setdefault(_key(row["period"]), Bucket(_key(row["period"]))).items = row["n"] or 0
    totals = omzet.totals(orders)
    totals["items"] = items.aggregate(n=Sum("quantity"))["n"] or 0
    best = list(
        items.values("product_id", "product_name")
        .annotate(quantity=Sum("quantity"), omzet=Sum("line_total"))
        .order_by("-omzet", "-quantity", "product_name")[:10]
    )
    rows = [buckets[key] for key in sorted(buckets)]
    return {"rows": rows, "totals": totals, "best": best, "chart": bar_chart(rows)}


def bar_chart(rows: list[Bucket], *, width: int = 640, height: int = 220) -> dict:
    """Geometry of an SVG bar chart of omzet per bucket (the template draws it)."""
    peak = max((row.omzet for row in rows), default=0) or 1
    pad_left, pad_bottom, top = 8, 24, 10
    slot = (width - pad_left - 14) / max(len(rows), 1)  # room on the right for the last label
    bar_width = max(slot * 0.7, 1)
    plot = height - pad_bottom - top
    bars = []
    label_every = max(1, len(rows) // 8)
    for i, row in enumerate(rows):
        h = round(plot * row.omzet / peak, 1)
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
    """OPOP Mart omzet of one organisation's store in one calendar month (the one definition, marketplace.orders.omzet),
    for the programme's monthly omzet: the pesantren report form prefills its marketplace line from "revenue"."""
    store = Store.objects.filter(organisation_id=organisation_id).first()
    if store is None:
        return {"revenue": 0, "shipping": 0, "orders": 0, "pesantren_trade_revenue": 0}
    first = month.replace(day=1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    figures = omzet.totals(sales_orders(store, first, last))
    return {
        "revenue": figures["omzet"],
        "shipping": figures["shipping"],
        "orders": figures["orders"],
        "pesantren_trade_revenue": figures["trade_omzet"],
    }
