from django.contrib import admin

from marketplace.halal.models import (
    Certificate,
    FlagshipProposal,
    FlagshipTarget,
    HalalCase,
    LegalityRecord,
    Reminder,
    SelfDeclarePolicy,
)


@admin.register(SelfDeclarePolicy)
class SelfDeclarePolicyAdmin(admin.ModelAdmin):
    """The self-declare rules are policy data: a rule change is a new row with its effective date."""

    list_display = ["effective_from", "max_annual_turnover", "max_production_sites", "goods_only", "legal_basis"]


@admin.register(HalalCase)
class HalalCaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "scheme", "status", "assignee", "status_changed_at"]
    list_select_related = ["organisation", "assignee"]  # __str__ names the organisation
    list_filter = ["status", "scheme"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "products", "assignee", "created_by"]

    def has_change_permission(self, request, obj=None):
        return False  # the workflow changes cases, through its services


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "organisation", "issued_on", "expires_on", "revoked"]
    search_fields = ["number", "organisation__name"]
    raw_id_fields = ["organisation", "case", "products"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FlagshipProposal)
class FlagshipProposalAdmin(admin.ModelAdmin):
    list_display = ["product", "status", "decided_by", "decided_at"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "certificate", "product", "sent_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FlagshipTarget)
class FlagshipTargetAdmin(admin.ModelAdmin):
    """Yearly targets are data: staff add the coming year's target here."""

    list_display = ["year", "target"]


@admin.register(LegalityRecord)
class LegalityRecordAdmin(admin.ModelAdmin):
    list_display = ["product", "kind", "number", "status", "verified_by"]
    list_filter = ["kind", "status"]

    def has_change_permission(self, request, obj=None):
        return False
