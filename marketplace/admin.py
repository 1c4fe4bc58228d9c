from django.contrib import admin

from marketplace.models import (
    Address,
    Category,
    CheckoutPayment,
    CurationRule,
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    Product,
    ProductPhoto,
    ProductRevision,
    ProductVariant,
    Review,
    ShippingRate,
    StockMovement,
    Store,
    WholesaleTier,
)
from opop.admin import ReadOnlyAdmin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position"]
    prepopulated_fields = {"slug": ["name"]}


class ShippingRateInline(admin.TabularInline):
    model = ShippingRate
    extra = 0
    autocomplete_fields = ["kabupaten_kota"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_active", "rating_average"]
    search_fields = ["name", "organisation__name"]
    inlines = [ShippingRateInline]


class VariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    readonly_fields = ["stock"]  # stock moves only through the stock ledger (marketplace.catalogue.stock)


class PhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ["small", "alt_text", "position"]
    readonly_fields = ["small"]


class WholesaleTierInline(admin.TabularInline):
    model = WholesaleTier
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "store", "category", "price", "stock", "is_flagship", "is_active"]
    list_filter = ["is_flagship", "is_active", "category"]
    search_fields = ["name", "store__name"]
    list_select_related = ["store", "category"]
    readonly_fields = ["stock", "sold_count"]  # stock moves only through the stock ledger
    inlines = [VariantInline, PhotoInline, WholesaleTierInline]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    """Read-only: the ledger is written by marketplace.catalogue.stock only."""

    list_display = ["created_at", "product", "variant", "kind", "quantity", "actor", "order", "reason"]
    list_filter = ["kind"]
    search_fields = ["product__name", "reason", "order__number"]
    list_select_related = ["product", "variant__product", "actor", "order"]  # a variant's name shows its product


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    readonly_fields = ["product", "variant", "product_name", "variant_name", "unit_price", "quantity", "line_total"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "note"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: status moves go through marketplace.orders.services, never through the admin."""

    list_display = ["number", "buyer", "store", "status", "total", "created_at"]
    list_filter = ["status", "payment_method"]
    search_fields = ["number", "buyer__email"]
    list_select_related = ["buyer", "store"]
    inlines = [OrderItemInline, OrderEventInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "provider", "amount", "status", "checkout_payment"]
    list_filter = ["provider", "status"]
    list_select_related = ["order", "checkout_payment"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckoutPayment)
class CheckoutPaymentAdmin(admin.ModelAdmin):
    list_display = ["provider_transaction_id", "buyer", "amount", "status", "expires_at", "paid_at"]
    list_filter = ["provider", "status"]
    search_fields = ["provider_transaction_id", "virtual_account", "buyer__email"]
    list_select_related = ["buyer"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_select_related = ["kabupaten_kota", "user"]  # __str__ names both


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_select_related = ["product"]  # __str__ names the product


@admin.register(CurationRule)
class CurationRuleAdmin(admin.ModelAdmin):
    """The policy is edited on the staff page (audited); the admin shows it for reference."""

    list_display = ["category_slug", "requires_curation", "effective_from", "effective_until", "note"]
    readonly_fields = ["changed_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ProductRevision)
class ProductRevisionAdmin(admin.ModelAdmin):
    """Reviews are decided in the curation queue (audited, mailed); read-only here."""

    list_display = ["product", "kind", "status", "created_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["product__name", "product__store__name"]
    list_select_related = ["product", "reviewed_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
