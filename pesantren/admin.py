from django.contrib import admin

from pesantren.models import (
    BusinessUnit,
    MentoringSession,
    MonthlyReport,
    MonthlyReportRevision,
    Partner,
    Pesantren,
    PotentialMapping,
    StatusChange,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange


class RevisionInline(ReadOnlyInline):
    model = MonthlyReportRevision


@admin.register(Pesantren)
class PesantrenAdmin(admin.ModelAdmin):
    list_display = ["name", "nspp", "kabupaten_kota", "cohort", "status"]
    list_filter = ["status", "cohort", "kabupaten_kota"]
    search_fields = ["name", "nspp"]
    list_select_related = ["kabupaten_kota"]
    # The lifecycle moves only through pesantren_transition, so it is recorded and mailed.
    readonly_fields = ["status", "status_changed_at", "cohort", "card_number"]
    inlines = [StatusChangeInline]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["pesantren", "business_unit", "month", "status", "revision", "omzet"]
    list_filter = ["status", "month"]
    list_select_related = ["pesantren", "business_unit"]
    readonly_fields = [field.name for field in MonthlyReport._meta.fields]
    inlines = [RevisionInline]


admin.site.register(BusinessUnit, list_display=["name", "pesantren", "kind", "sector"])
admin.site.register(Partner, list_display=["name", "kind"])
admin.site.register(PotentialMapping, list_display=["pesantren", "assessed_on"])
admin.site.register(MentoringSession, list_display=["pesantren", "held_on", "aspect"])
