"""Monthly business reports with revisions (the shared workflow of opop.reviewed_reports)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opop.models import User
from opop.reviewed_reports import (
    ReportWorkflow,
    reviewed_report_correct,
    reviewed_report_review,
    reviewed_report_submit,
)
from opop.services import DomainError
from pesantren.models import FIGURE_FIELDS, BusinessUnit, MonthlyReport, Pesantren
from pesantren.services.registry import ADMIN_ROLES, S

# --- monthly reports: the shared workflow of opop.reviewed_reports, scoped to the pesantren --------


def _jobs_within_workers(figures: dict) -> dict:
    if "jobs_created" in figures and "workers_total" in figures and figures["jobs_created"] > figures["workers_total"]:
        return {"jobs_created": [_("New jobs cannot be more than the workers employed.")]}
    return {}


WORKFLOW = ReportWorkflow(
    model=MonthlyReport,
    owner_field="pesantren",
    figure_fields=FIGURE_FIELDS,
    audit_prefix="pesantren",
    return_needs_note=gettext_lazy("Please give a reason, so the pesantren knows what to do."),
    submitter_roles=ADMIN_ROLES,
    extra_rules=_jobs_within_workers,
)


def report_submit(
    *, user: User, pesantren: Pesantren, month: date, business_unit: BusinessUnit | None = None, **figures
) -> MonthlyReport:
    """Submit the figures of one month (for the whole pesantren, or one business unit).

    The pesantren's admins only (PermissionDenied); the pesantren must be verified or active. Raises
    ValidationError for a negative figure, a month in the future, or a month already reported.
    """
    if not WORKFLOW.may_submit(user, pesantren):
        raise PermissionDenied
    if pesantren.status not in (S.VERIFIED, S.ACTIVE):
        raise DomainError(_("Only a verified or active pesantren reports monthly figures."))
    if business_unit is not None and business_unit.pesantren_id != pesantren.pk:
        raise DomainError(_("This business unit belongs to another pesantren."))
    return reviewed_report_submit(
        workflow=WORKFLOW,
        user=user,
        owner=pesantren,
        month=month,
        scope={"business_unit": business_unit},
        figures=figures,
    )


def report_correct(*, user: User, report: MonthlyReport, reason: str = "", **figures) -> MonthlyReport:
    """Correct a report's figures: a new revision (older ones kept) that goes back to staff."""
    return reviewed_report_correct(workflow=WORKFLOW, user=user, report=report, reason=reason, figures=figures)


def report_review(*, user: User, report: MonthlyReport, verify: bool, note: str = "") -> MonthlyReport:
    """Verify a submitted report, or return it with a note. Staff of the pesantren's region only."""
    return reviewed_report_review(workflow=WORKFLOW, user=user, report=report, verify=verify, note=note)
