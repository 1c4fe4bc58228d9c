"""Reads of B2B trade, each scoped to the acting organisation (or public, for the supplier directory), with
relations loaded so a page costs the same few queries for one row or fifty."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from marketplace.b2b.models import (
    RFQ,
    SUPPLIER_KINDS,
    Delivery,
    Event,
    Invoice,
    POLine,
    PurchaseOrder,
    Quotation,
    Rating,
    RFQInvitation,
    RFQItem,
    SupplyOffer,
)
from marketplace.models import PILLAR_BY_KIND
from opop import organisations
from opop.models import Organisation

# --- supplier directory ---------------------------------------------------------------------------------------


def directory_offers() -> QuerySet:
    """Listed offers of active suppliers, for the public directory (verified standing is checked on write)."""
    return (
        SupplyOffer.objects.filter(is_active=True, organisation__is_active=True, organisation__kind__in=SUPPLIER_KINDS)
        .select_related("organisation__kabupaten_kota", "category")
        .prefetch_related("delivery_areas")
        .order_by("product_name", "id")
    )


def offers_of(org: Organisation) -> QuerySet:
    return (
        SupplyOffer.objects.filter(organisation=org)
        .select_related("category")
        .prefetch_related("delivery_areas")
        .order_by("-is_active", "product_name", "id")
    )


@dataclass
class TradeRecord:
    trades: int
    rating_average: float | None
    rating_count: int


def trade_record(org: Organisation) -> TradeRecord:
    """How many purchase orders the organisation supplied with a paid invoice, and the ratings it received."""
    trades = PurchaseOrder.objects.filter(supplier=org, invoices__status=Invoice.Status.PAID).distinct().count()
    ratings = Rating.objects.filter(rated=org).aggregate(avg=Avg("stars"), n=Count("id"))
    return TradeRecord(trades, round(ratings["avg"], 1) if ratings["avg"] else None, ratings["n"])


def supplier_by_slug(slug: str) -> Organisation:
    org = (
        Organisation.objects.filter(slug=slug, is_active=True, kind__in=SUPPLIER_KINDS)
        .select_related("kabupaten_kota", "b2b_profile")
        .first()
    )
    if org is None or not SupplyOffer.objects.filter(organisation=org, is_active=True).exists():
        raise Http404
    return org


def supplier_legality(org: Organisation) -> dict:
    """The supplier's NIB (declared in its profile; verified if a Diskop-verified NIB record exists on one of its
    products) and its valid halal certificates."""
    from marketplace.halal.models import Certificate, LegalityKind, LegalityRecord, LegalityStatus

    profile = getattr(org, "b2b_profile", None)
    verified_nibs = list(
        LegalityRecord.objects.filter(
            product__store__organisation=org, kind=LegalityKind.NIB, status=LegalityStatus.VERIFIED
        )
        .values_list("number", flat=True)
        .distinct()
    )
    today = timezone.localdate()
    certificates = list(
        Certificate.objects.filter(organisation=org, revoked=False)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .prefetch_related("products")
    )
    declared = profile.nib if profile else ""
    return {
        "nib": verified_nibs[0] if verified_nibs else declared,
        "nib_verified": bool(verified_nibs),
        "certificates": certificates,
        "standing": organisations.organisation_standing(org),
    }


# --- RFQs -----------------------------------------------------------------------------------------------------


def _rfq_list(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("buyer", "delivery_region").annotate(
        item_count=Count("items", distinct=True), quote_count=Count("quotations", distinct=True)
    )


def rfqs_as_buyer(org: Organisation) -> QuerySet:
    return _rfq_list(RFQ.objects.filter(buyer=org)).order_by("-created_at", "-id")


def inbox(org: Organisation) -> QuerySet:
    """RFQs the organisation may quote on: invited, or open to all and matching one of its listed offers (same
    category, delivering to the RFQ's region), newest first; with its own quotation's status."""
    invited = RFQInvitation.objects.filter(rfq=OuterRef("pk"), supplier=org)
    mine = Quotation.objects.filter(rfq=OuterRef("pk"), supplier=org)
    matching = SupplyOffer.objects.filter(
        organisation=org,
        is_active=True,
        delivery_areas=OuterRef("delivery_region"),
        category__in=RFQItem.objects.filter(rfq=OuterRef(OuterRef("pk"))).values("category"),
    )
    open_matching = RFQ.objects.filter(audience=RFQ.Audience.OPEN).filter(Exists(matching))
    ids = RFQ.objects.filter(Exists(invited)).values("pk").union(open_matching.values("pk"))
    return (
        _rfq_list(RFQ.objects.filter(pk__in=ids).exclude(buyer=org))
        .annotate(quoted=Exists(mine))
        .order_by("-created_at", "-id")
    )


def rfq_for(org: Organisation, pk: int) -> tuple[RFQ, str]:
    """The RFQ with the role the organisation plays in it ("buyer" or "supplier"), or 404."""
    rfq = RFQ.objects.select_related("buyer__kabupaten_kota", "delivery_region", "created_by").filter(pk=pk).first()
    if rfq is None:
        raise Http404
    if rfq.buyer_id == org.pk:
        return rfq, "buyer"
    if inbox(org).filter(pk=pk).exists() or rfq.quotations.filter(supplier=org).exists():
        return rfq, "supplier"
    raise Http404


def rfq_items(rfq: RFQ) -> list:
    return list(rfq.items.select_related("category"))


def comparison(rfq: RFQ) -> dict:
    """Standing quotations side by side, cheapest first, with each supplier's rating, and per item the quoted
    prices. Callers show it to the buyer after closing only."""
    quotations = list(
        rfq.quotations.exclude(status=Quotation.Status.WITHDRAWN)
        .select_related("supplier__kabupaten_kota")
        .prefetch_related("lines")
        .order_by("total", "id")
    )
    ratings = {
        row["rated_id"]: row
        for row in Rating.objects.filter(rated__in=[q.supplier_id for q in quotations])
        .values("rated_id")
        .annotate(avg=Avg("stars"), n=Count("id"))
    }
    for quotation in quotations:
        row = ratings.get(quotation.supplier_id)
        quotation.supplier_rating = round(row["avg"], 1) if row else None
        quotation.supplier_rating_count = row["n"] if row else 0
        quotation.by_item = {line.item_id: line for line in quotation.lines.all()}
    items = rfq_items(rfq)
    rows = [{"item": item, "cells": [q.by_item.get(item.pk) for q in quotations]} for item in items]
    return {"quotations": quotations, "rows": rows, "items": items}


def own_quotation(rfq: RFQ, org: Organisation) -> Quotation | None:
    return rfq.quotations.filter(supplier=org).prefetch_related("lines").first()


def rfq_events(rfq: RFQ, org: Organisation) -> QuerySet:
    """The buyer sees the whole trail; a supplier sees the RFQ's own steps and its own."""
    events = Event.objects.filter(rfq=rfq).select_related("actor", "organisation")
    if rfq.buyer_id != org.pk:
        own = rfq.quotations.filter(supplier=org).values("pk")
        events = events.filter(Q(subject="rfq") | Q(subject="quotation", subject_id__in=own))
    return events


# --- purchase orders, deliveries, invoices --------------------------------------------------------------------


def purchase_orders(org: Organisation) -> QuerySet:
    return (
        PurchaseOrder.objects.filter(Q(buyer=org) | Q(supplier=org))
        .select_related("buyer", "supplier", "delivery_region")
        .order_by("-created_at", "-id")
    )


def purchase_order_for(org: Organisation, pk: int) -> PurchaseOrder:
    po = (
        purchase_orders(org)
        .select_related("rfq", "buyer__kabupaten_kota", "supplier__kabupaten_kota", "issued_by", "confirmed_by")
        .prefetch_related(
            Prefetch("lines", queryset=POLine.objects.order_by("id")),
            Prefetch("deliveries", queryset=Delivery.objects.prefetch_related("lines__po_line").order_by("number")),
            Prefetch("invoices", queryset=Invoice.objects.order_by("-issued_on", "-id")),
            "revisions",
            "ratings",
        )
        .filter(pk=pk)
        .first()
    )
    if po is None:
        raise Http404
    return po


def po_events(po: PurchaseOrder) -> QuerySet:
    delivery_ids = [d.pk for d in po.deliveries.all()]
    invoice_ids = [i.pk for i in po.invoices.all()]
    rating_ids = [r.pk for r in po.ratings.all()]
    return (
        Event.objects.filter(
            Q(subject="po", subject_id=po.pk)
            | Q(subject="delivery", subject_id__in=delivery_ids)
            | Q(subject="invoice", subject_id__in=invoice_ids)
            | Q(subject="rating", subject_id__in=rating_ids)
        )
        .select_related("actor", "organisation")
        .order_by("created_at", "id")
    )


def delivery_for(org: Organisation, pk: int) -> Delivery:
    delivery = (
        Delivery.objects.filter(Q(purchase_order__buyer=org) | Q(purchase_order__supplier=org))
        .select_related("purchase_order__buyer", "purchase_order__supplier")
        .prefetch_related("lines__po_line")
        .filter(pk=pk)
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def invoices(org: Organisation) -> QuerySet:
    return (
        Invoice.objects.filter(Q(purchase_order__buyer=org) | Q(purchase_order__supplier=org))
        .select_related("purchase_order__buyer", "purchase_order__supplier")
        .order_by("-issued_on", "-id")
    )


def invoice_for(org: Organisation, pk: int) -> Invoice:
    invoice = (
        invoices(org)
        .select_related(
            "purchase_order__buyer__kabupaten_kota",
            "purchase_order__supplier__kabupaten_kota",
            "purchase_order__supplier__store",
            "issued_by",
            "paid_by",
        )
        .prefetch_related("lines__po_line")
        .filter(pk=pk)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def overdue_count(org: Organisation) -> int:
    """Unpaid invoices past due on either side (flagged on read; no job needed)."""
    return invoices(org).filter(status=Invoice.Status.ISSUED, due_on__lt=timezone.localdate()).count()


# --- programme figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BilateralTradeFact:
    month: date
    buyer_kabupaten_kota: str | None
    supplier_kabupaten_kota: str | None
    buyer_kind: str
    buyer_pillar: str
    supplier_kind: str
    supplier_pillar: str
    invoices: int
    value: int


def bilateral_trade_facts(start: date, end: date) -> list[BilateralTradeFact]:
    """Paid B2B invoices with `start <= paid day (WIB) < end`, grouped by (paid month, buyer kabupaten/kota,
    supplier kabupaten/kota, buyer kind, supplier kind): the number of invoices and their value (whole
    rupiah). Pillars follow the kinds (Diskop has none: ""). Ordered by month, then regions."""
    tz = timezone.get_current_timezone()
    start_at = timezone.make_aware(datetime.combine(start, time.min), tz)
    end_at = timezone.make_aware(datetime.combine(end, time.min), tz)
    rows = Invoice.objects.filter(status=Invoice.Status.PAID, paid_at__gte=start_at, paid_at__lt=end_at).values_list(
        "paid_at",
        "total",
        "purchase_order__buyer__kabupaten_kota_id",
        "purchase_order__supplier__kabupaten_kota_id",
        "purchase_order__buyer__kind",
        "purchase_order__supplier__kind",
    )
    grouped: dict[tuple, list[int]] = {}
    for paid_at, total, buyer_kode, supplier_kode, buyer_kind, supplier_kind in rows:
        month = timezone.localtime(paid_at, tz).date().replace(day=1)
        entry = grouped.setdefault((month, buyer_kode, supplier_kode, buyer_kind, supplier_kind), [0, 0])
        entry[0] += 1
        entry[1] += total
    return [
        BilateralTradeFact(
            month=month,
            buyer_kabupaten_kota=buyer_kode,
            supplier_kabupaten_kota=supplier_kode,
            buyer_kind=buyer_kind,
            buyer_pillar=str(PILLAR_BY_KIND.get(buyer_kind, "")),
            supplier_kind=supplier_kind,
            supplier_pillar=str(PILLAR_BY_KIND.get(supplier_kind, "")),
            invoices=count,
            value=value,
        )
        for (month, buyer_kode, supplier_kode, buyer_kind, supplier_kind), (count, value) in sorted(
            grouped.items(), key=lambda pair: tuple(str(part) for part in pair[0])
        )
    ]
