"""Admin: policy tables take new rows (never edits of rows already in force); the ledger is read-only."""

from django.contrib import admin

from opop.admin import ReadOnlyAdmin
from pesantren.samsat.models import (
    Bill,
    DayClose,
    LateFeeRule,
    OpsenRate,
    Outlet,
    OutletFeeRule,
    Payment,
    PaymentOutcome,
    PkbRate,
    ReconciliationItem,
    Reversal,
    SwdklljTariff,
)


class PolicyAdmin(admin.ModelAdmin):
    """A rate change or a relief programme is a new row with its dates; old rows keep the history."""

    list_filter = ["effective_from"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PkbRate)
class PkbRateAdmin(PolicyAdmin):
    list_display = ["vehicle_type", "ownership_order", "rate_bp", "effective_from", "effective_until", "legal_basis"]
    list_filter = ["vehicle_type", "effective_from"]


@admin.register(OpsenRate)
class OpsenRateAdmin(PolicyAdmin):
    list_display = ["rate_bp", "effective_from", "effective_until", "legal_basis"]


@admin.register(LateFeeRule)
class LateFeeRuleAdmin(PolicyAdmin):
    list_display = ["name", "rate_bp_per_month", "max_months", "effective_from", "effective_until"]


@admin.register(SwdklljTariff)
class SwdklljTariffAdmin(PolicyAdmin):
    list_display = ["vehicle_type", "amount", "late_fee", "effective_from", "effective_until", "legal_basis"]


@admin.register(OutletFeeRule)
class OutletFeeRuleAdmin(PolicyAdmin):
    list_display = ["fee_per_payment", "effective_from", "effective_until", "legal_basis"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organisation", "is_laku_pandai_agent", "is_active"]
    list_filter = ["is_active", "is_laku_pandai_agent", "organisation__kabupaten_kota"]
    search_fields = ["code", "name", "organisation__name"]
    readonly_fields = ["code", "organisation", "registered_by"]

    def has_add_permission(self, request):
        return False  # outlets are registered through the staff page (a service with its audit event)


class OutcomeInline(admin.TabularInline):
    model = PaymentOutcome
    extra = 0
    can_delete = False
    readonly_fields = ["status", "source", "biller_ref", "message", "actor", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["plate", "outlet", "business_day", "total", "cashier", "created_at"]
    list_filter = ["business_day", "outlet"]
    search_fields = ["plate", "idempotency_key", "verification_code"]
    list_select_related = ["outlet", "cashier"]
    inlines = [OutcomeInline]


@admin.register(Reversal)
class ReversalAdmin(ReadOnlyAdmin):
    list_display = ["payment", "supervisor", "reason", "created_at"]
    list_select_related = ["payment__outlet", "supervisor"]


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ["plate", "outlet", "total", "created_at"]
    search_fields = ["plate"]
    list_select_related = ["outlet"]


class ReconciliationInline(admin.TabularInline):
    model = ReconciliationItem
    extra = 0
    can_delete = False
    readonly_fields = ["category", "idempotency_key", "plate", "biller_ref", "outlet_amount", "biller_amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DayClose)
class DayCloseAdmin(ReadOnlyAdmin):
    list_display = ["outlet", "business_day", "expected_cash", "counted_cash", "difference", "net", "balanced"]
    list_filter = ["balanced", "business_day"]
    list_select_related = ["outlet"]
    inlines = [ReconciliationInline]
