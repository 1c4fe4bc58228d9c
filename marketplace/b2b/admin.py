"""Read-only admin views of B2B trade: every change goes through the services (and leaves an event)."""

from django.contrib import admin

from marketplace.b2b.models import RFQ, Event, Invoice, PurchaseOrder, Quotation, SupplyOffer
from opop.admin import ReadOnlyAdmin


@admin.register(SupplyOffer)
class SupplyOfferAdmin(ReadOnlyAdmin):
    list_display = ["product_name", "organisation", "category", "unit", "price_per_unit", "is_active"]
    list_select_related = ["organisation", "category"]
    list_filter = ["is_active", "unit"]
    search_fields = ["product_name", "organisation__name"]


@admin.register(RFQ)
class RFQAdmin(ReadOnlyAdmin):
    list_display = ["number", "buyer", "title", "status", "closes_at"]
    list_select_related = ["buyer"]
    list_filter = ["status", "audience"]
    search_fields = ["number", "title", "buyer__name"]


@admin.register(Quotation)
class QuotationAdmin(ReadOnlyAdmin):
    list_display = ["rfq", "supplier", "total", "status", "revision"]
    list_select_related = ["rfq", "supplier"]


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "buyer", "supplier", "status", "total", "revision"]
    list_select_related = ["buyer", "supplier"]
    list_filter = ["status"]
    search_fields = ["number", "buyer__name", "supplier__name"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "purchase_order", "status", "total", "due_on", "paid_at"]
    list_select_related = ["purchase_order"]
    list_filter = ["status"]
    search_fields = ["number", "purchase_order__number"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "rfq", "subject", "from_status", "to_status", "actor", "organisation"]
    list_select_related = ["rfq", "actor", "organisation"]
    list_filter = ["subject"]
