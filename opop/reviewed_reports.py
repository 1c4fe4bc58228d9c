"""The reviewed monthly report, app-agnostic: a report of one month's figures that its owner submits
and corrects (every version kept as a revision) and Diskop UKM staff of the owner's region verify or
return with a note.

A pillar app declares only its figure fields and its scoping: a concrete report model (an
`ReviewedReport` with a foreign key to its owner: a pesantren, an alumni business), a revision model
(`ReportRevision` with `report = ForeignKey(..., related_name="revisions")`) and one `ReportWorkflow`
describing the owner. The submit / correct / review services below are the same for every app: the
same rules, the same audit records (`<app>.report_submitted|corrected|verified|returned`), the same
e-mail to the owner's admins when a report is returned. So is the staff's review form and view
(`ReviewForm`, `report_review_view`), which an app's URLs take with its own selector and service.

One permission rule for every app: a user who may not act on the report (not a member of the owner,
or staff of another region) gets `PermissionDenied` — a 403 in a view; the views' scoped selectors
answer 404 for a foreign id before the service is reached.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.http import require_POST

from opop.figures import figures_mark_dirty
from opop.mail import send_mail_on_commit
from opop.models import Membership, TimeStampedModel, User
from opop.permissions import access_for, is_programme_staff_for_region
from opop.services import DomainError, audit_record

# --- models ---------------------------------------------------------------------------------------


class ReviewedReport(TimeStampedModel):
    """One month's report of an owner. Its figures are the latest revision's; all are kept."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", gettext_lazy("Submitted")
        VERIFIED = "verified", gettext_lazy("Verified")
        RETURNED = "returned", gettext_lazy("Returned")

    month = models.DateField(gettext_lazy("month"), help_text=gettext_lazy("The first day of the reported month."))
    status = models.CharField(gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    revision = models.PositiveSmallIntegerField(gettext_lazy("revision"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(gettext_lazy("reviewed"), null=True, blank=True)
    review_note = models.TextField(gettext_lazy("review note"), blank=True)

    class Meta:
        abstract = True


class ReportRevision(models.Model):
    """An append-only copy of a report's figures as submitted: revision 1, then each correction."""

    number = models.PositiveSmallIntegerField(gettext_lazy("revision"))
    reason = models.TextField(gettext_lazy("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("when"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.report} r{self.number}"


# --- what an app declares -------------------------------------------------------------------------


def _no_extra_rules(figures: dict) -> dict:
    return {}


@dataclass(frozen=True)
class ReportWorkflow:
    """How one app's reports hang on their owner. The owner has `name`, `organisation(_id)` and
    `kabupaten_kota_id`; its members in `submitter_roles` submit and correct and are e-mailed."""

    model: type[ReviewedReport]
    owner_field: str
    figure_fields: tuple[str, ...]
    audit_prefix: str
    return_needs_note: str
    submitter_roles: tuple[str, ...] = (Membership.Role.OWNER, Membership.Role.STAFF)
    # Cross-figure rules beyond "filled in and not negative": {field: [message]} for what is broken.
    extra_rules: Callable[[dict], dict] = field(default=_no_extra_rules)

    def owner_of(self, report: ReviewedReport):
        return getattr(report, self.owner_field)

    def may_submit(self, user: User, owner) -> bool:
        return owner.organisation_id in access_for(user).organisation_ids(roles=self.submitter_roles)

    def may_review(self, user: User, owner) -> bool:
        return is_programme_staff_for_region(user=user, kabupaten_kota_id=owner.kabupaten_kota_id)

    def admin_emails(self, owner) -> list[str]:
        return list(
            Membership.objects.filter(organisation_id=owner.organisation_id, role__in=self.submitter_roles)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )


# --- services -------------------------------------------------------------------------------------

DUPLICATE_MONTH = gettext_lazy("A report for this month already exists. Correct that report instead.")


def report_figures_clean(*, workflow: ReportWorkflow, figures: dict) -> dict:
    """Every figure filled in, a whole number and not negative, then the app's own rules.
    Raises ValidationError keyed by field."""
    errors, clean = {}, {}
    for name in workflow.figure_fields:
        value = figures.get(name)
        label = str(workflow.model._meta.get_field(name).verbose_name)
        if value is None or value == "":
            errors[name] = [_("Fill in %(field)s.") % {"field": label}]
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[name] = [_("Fill in %(field)s.") % {"field": label}]
            continue
        if value < 0:
            errors[name] = [_("%(field)s cannot be negative.") % {"field": label[:1].upper() + label[1:]}]
        clean[name] = value
    if not errors:
        errors = workflow.extra_rules(clean)
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def reviewed_report_submit(
    *, workflow: ReportWorkflow, user: User, owner, month: date, scope: dict | None = None, figures: dict
) -> ReviewedReport:
    """Submit one month's figures for `owner` (and `scope`, e.g. one business unit). A month already
    reported is corrected, never overwritten. Members of the owner only (PermissionDenied); raises
    ValidationError for a month in the future, a month already reported or a bad figure."""
    if not workflow.may_submit(user, owner):
        raise PermissionDenied
    scope = scope or {}
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": [_("You cannot report a month in the future.")]})
    clean = report_figures_clean(workflow=workflow, figures=figures)
    lookup = {workflow.owner_field: owner, "month": month, **scope}
    if workflow.model.objects.filter(**lookup).exists():
        raise ValidationError({"month": [str(DUPLICATE_MONTH)]})
    report = workflow.model(**lookup, submitted_by=user, revision=1, **clean)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"month": [str(DUPLICATE_MONTH)]}) from None
    report.revisions.create(number=1, created_by=user, **clean)
    audit_record(
        actor=user,
        action=f"{workflow.audit_prefix}.report_submitted",
        organisation=owner.organisation,
        target=report,
        data={"month": month.isoformat(), **clean},
    )
    return report


def _locked(workflow: ReportWorkflow, report: ReviewedReport) -> ReviewedReport:
    return workflow.model.objects.select_for_update().select_related(workflow.owner_field).get(pk=report.pk)


@transaction.atomic
def reviewed_report_correct(
    *, workflow: ReportWorkflow, user: User, report: ReviewedReport, reason: str = "", figures: dict
) -> ReviewedReport:
    """Correct a report's figures: a new revision, older ones kept; the report goes back to staff.
    A correction of a verified report must say why (its figure leaves the totals until verified again)."""
    report = _locked(workflow, report)
    owner = workflow.owner_of(report)
    if not workflow.may_submit(user, owner):
        raise PermissionDenied
    reason = (reason or "").strip()
    if report.status == ReviewedReport.Status.VERIFIED and not reason:
        raise ValidationError({"reason": [_("Say why a verified report is corrected.")]})
    clean = report_figures_clean(workflow=workflow, figures=figures)
    if all(getattr(report, key) == value for key, value in clean.items()):
        raise ValidationError({"__all__": [_("Nothing changed: the figures are the same as the current revision.")]})
    previous_status = report.status
    report.revision += 1
    for key, value in clean.items():
        setattr(report, key, value)
    report.status = ReviewedReport.Status.SUBMITTED
    report.submitted_by = user
    report.save(update_fields=[*workflow.figure_fields, "revision", "status", "submitted_by", "updated_at"])
    report.revisions.create(number=report.revision, created_by=user, reason=reason, **clean)
    if previous_status == ReviewedReport.Status.VERIFIED:
        figures_mark_dirty(when=report.month, kabupaten_kota_id=owner.kabupaten_kota_id)
    audit_record(
        actor=user,
        action=f"{workflow.audit_prefix}.report_corrected",
        organisation=owner.organisation,
        target=report,
        data={"revision": report.revision, "previous_status": previous_status, "reason": reason, **clean},
    )
    return report


@transaction.atomic
def reviewed_report_review(
    *, workflow: ReportWorkflow, user: User, report: ReviewedReport, verify: bool, note: str = ""
) -> ReviewedReport:
    """Verify a submitted report, or return it with a note (its admins are e-mailed the note).
    Diskop UKM staff of the owner's region only (PermissionDenied)."""
    report = _locked(workflow, report)
    owner = workflow.owner_of(report)
    if not workflow.may_review(user, owner):
        raise PermissionDenied
    if report.status != ReviewedReport.Status.SUBMITTED:
        raise DomainError(_("Only a submitted report can be verified or returned."))
    note = (note or "").strip()
    if not verify and not note:
        raise DomainError(str(workflow.return_needs_note))
    report.status = ReviewedReport.Status.VERIFIED if verify else ReviewedReport.Status.RETURNED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_note = note
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    if verify:
        figures_mark_dirty(when=report.month, kabupaten_kota_id=owner.kabupaten_kota_id)
    audit_record(
        actor=user,
        action=f"{workflow.audit_prefix}.report_{'verified' if verify else 'returned'}",
        organisation=owner.organisation,
        target=report,
        data={"revision": report.revision, "note": note},
    )
    if not verify:
        with override("id"):
            month = f"{report.month:%m/%Y}"
            subject = _("The report for %(month)s was returned") % {"month": month}
            body = _("Diskop UKM returned the monthly report of %(name)s for %(month)s.") % {
                "name": owner.name,
                "month": month,
            }
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": note}
        send_mail_on_commit(subject=subject, body=body, recipients=workflow.admin_emails(owner))
    return report


# --- the one review form (template: components/report_review.html) and view -----------------------


class ReviewForm(forms.Form):
    """Staff's decision on something submitted for review: verify, or return with a note."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("verify", gettext_lazy("Verify")), ("return", gettext_lazy("Return"))],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def verify(self) -> bool:
        return self.cleaned_data["decision"] == "verify"


def review_post(request, review: Callable[..., object], *, success: str) -> None:
    """Staff's decision posted with the ReviewForm: `review(verify=..., note=...)` calls the service. Its success
    or its refusal (DomainError) becomes a message; an invalid post changes nothing. The view then redirects."""
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review(verify=form.verify, note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success)


def report_review_view(
    *,
    report_get: Callable[..., ReviewedReport],
    review: Callable[..., ReviewedReport],
    success: str,
    redirect_to: Callable[[ReviewedReport], str],
):
    """The one monthly-report review view (POST only) for an app's URLs: `report_get(user=, pk=)` is the app's
    scoped selector (404 for a report the user may not see), `review(user=, report=, verify=, note=)` its review
    service, `success` the message (lazy: it is built at import), `redirect_to(report)` the URL to go back to."""

    @login_required
    @require_POST
    def report_review(request, pk):
        report = report_get(user=request.user, pk=pk)
        review_post(request, partial(review, user=request.user, report=report), success=success)
        return redirect(redirect_to(report))

    return report_review
