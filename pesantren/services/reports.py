"""Monthly business reports with revisions, and audited exports."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from opop.figures import figures_mark_dirty
from opop.models import User
from opop.services import DomainError, audit_record
from pesantren.models import (
    FIGURE_FIELDS,
    BusinessUnit,
    MonthlyReport,
    MonthlyReportRevision,
    Pesantren,
)
from pesantren.services.registry import (
    S,
    _notify_admins,
    _require_admin,
    _require_staff,
)

# --- monthly reports ----------------------------------------------------------------------------


def _validate_figures(figures: dict) -> dict:
    errors = {}
    clean = {}
    for field in FIGURE_FIELDS:
        value = figures.get(field)
        label = MonthlyReport._meta.get_field(field).verbose_name
        if value is None or value == "":
            errors[field] = [_("Fill in %(field)s.") % {"field": label}]
            continue
        value = int(value)
        if value < 0:
            errors[field] = [_("%(field)s cannot be negative.") % {"field": str(label)[:1].upper() + str(label)[1:]}]
        clean[field] = value
    if "jobs_created" in clean and "workers_total" in clean and clean["jobs_created"] > clean["workers_total"]:
        errors["jobs_created"] = [_("New jobs cannot be more than the workers employed.")]
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def report_submit(
    *, user: User, pesantren: Pesantren, month: date, business_unit: BusinessUnit | None = None, **figures
) -> MonthlyReport:
    """Submit the figures of one month (for the whole pesantren, or one business unit).

    The pesantren's admins only; the pesantren must be verified or active. Raises ValidationError
    for a negative figure, a month in the future, or a month already reported.
    """
    _require_admin(user, pesantren)
    if pesantren.status not in (S.VERIFIED, S.ACTIVE):
        raise DomainError(_("Only a verified or active pesantren reports monthly figures."))
    if business_unit is not None and business_unit.pesantren_id != pesantren.pk:
        raise DomainError(_("This business unit belongs to another pesantren."))
    month = month.replace(day=1)
    today = timezone.localdate()
    if month > today.replace(day=1):
        raise ValidationError({"month": [_("You cannot report a month in the future.")]})
    clean = _validate_figures(figures)
    duplicate = MonthlyReport.objects.filter(pesantren=pesantren, business_unit=business_unit, month=month)
    if duplicate.exists():
        raise ValidationError({"month": [_("A report for this month already exists. Correct that report instead.")]})
    report = MonthlyReport(
        pesantren=pesantren, business_unit=business_unit, month=month, submitted_by=user, revision=1, **clean
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            {"month": [_("A report for this month already exists. Correct that report instead.")]}
        ) from None
    MonthlyReportRevision.objects.create(report=report, number=1, created_by=user, **clean)
    audit_record(
        actor=user,
        action="pesantren.report_submitted",
        organisation=pesantren.organisation,
        target=report,
        data={"month": month.isoformat(), **clean},
    )
    return report


@transaction.atomic
def report_correct(*, user: User, report: MonthlyReport, reason: str = "", **figures) -> MonthlyReport:
    """Correct a report's figures. Every correction is a new revision; older ones are kept.

    A correction of a verified report must say why and goes back to staff for verification.
    """
    report = MonthlyReport.objects.select_for_update().select_related("pesantren").get(pk=report.pk)
    _require_admin(user, report.pesantren)
    reason = (reason or "").strip()
    if report.status == MonthlyReport.Status.VERIFIED and not reason:
        raise ValidationError({"reason": [_("Say why a verified report is corrected.")]})
    clean = _validate_figures(figures)
    if all(getattr(report, key) == value for key, value in clean.items()):
        raise ValidationError({"__all__": [_("Nothing changed: the figures are the same as the current revision.")]})
    previous_status = report.status
    report.revision += 1
    for key, value in clean.items():
        setattr(report, key, value)
    report.status = MonthlyReport.Status.SUBMITTED
    report.submitted_by = user
    report.save(update_fields=[*FIGURE_FIELDS, "revision", "status", "submitted_by", "updated_at"])
    MonthlyReportRevision.objects.create(report=report, number=report.revision, created_by=user, reason=reason, **clean)
    if previous_status == MonthlyReport.Status.VERIFIED:
        figures_mark_dirty(when=report.month, kabupaten_kota_id=report.pesantren.kabupaten_kota_id)
    audit_record(
        actor=user,
        action="pesantren.report_corrected",
        organisation=report.pesantren.organisation,
        target=report,
        data={"revision": report.revision, "previous_status": previous_status, "reason": reason, **clean},
    )
    return report


@transaction.atomic
def report_review(*, user: User, report: MonthlyReport, verify: bool, note: str = "") -> MonthlyReport:
    """Verify a submitted report, or return it with a note. Staff of the pesantren's region only."""
    report = MonthlyReport.objects.select_for_update().select_related("pesantren").get(pk=report.pk)
    _require_staff(user, report.pesantren)
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise DomainError(_("Only a submitted report can be verified or returned."))
    note = (note or "").strip()
    if not verify and not note:
        raise DomainError(_("Please give a reason, so the pesantren knows what to do."))
    report.status = MonthlyReport.Status.VERIFIED if verify else MonthlyReport.Status.RETURNED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_note = note
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    if verify:
        figures_mark_dirty(when=report.month, kabupaten_kota_id=report.pesantren.kabupaten_kota_id)
    audit_record(
        actor=user,
        action="pesantren.report_verified" if verify else "pesantren.report_returned",
        organisation=report.pesantren.organisation,
        target=report,
        data={"revision": report.revision, "note": note},
    )
    if not verify:
        with override("id"):
            subject = _("[OPOP] The report for %(month)s was returned") % {"month": f"{report.month:%m/%Y}"}
            body = _("Diskop UKM returned the monthly report of %(name)s for %(month)s.") % {
                "name": report.pesantren.name,
                "month": f"{report.month:%m/%Y}",
            }
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": note}
        _notify_admins(report.pesantren, subject, body)
    return report


def export_record(*, user: User, count: int, filters: dict) -> None:
    """Every CSV export of pesantren data leaves an audit event: who exported how many rows, filtered how."""
    audit_record(actor=user, action="pesantren.exported", data={"rows": count, "filters": filters})
