"""Staff queue of halal certificate numbers typed by sellers: verify against BPJPH's record, or reject."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.halal import claims
from marketplace.halal.forms import ClaimFilterForm, ClaimRejectForm, ClaimVerifyForm
from marketplace.halal.models import ClaimStatus
from marketplace.halal.views import PAGE_SIZE
from opop.permissions import is_programme_staff
from opop.services import DomainError


@login_required
def claim_queue(request):
    if not is_programme_staff(user=request.user):
        raise PermissionDenied
    filter_form = ClaimFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    status = status or ClaimStatus.PENDING
    rows = claims.claims_for(user=request.user).filter(status=status)
    if status != ClaimStatus.PENDING:
        rows = rows.order_by("-decided_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "halal/claim_queue.html",
        {"page": page, "filter_form": filter_form, "status": status},
    )


@login_required
def claim_detail(request, pk):
    claim = claims.claim_for_staff_or_404(user=request.user, pk=pk)
    return render(
        request,
        "halal/claim_detail.html",
        {"claim": claim, "verify_form": ClaimVerifyForm(), "reject_form": ClaimRejectForm()},
    )


@login_required
@require_POST
def claim_decide(request, pk, decision):
    claim = claims.claim_for_staff_or_404(user=request.user, pk=pk)
    form = (ClaimVerifyForm if decision == "verifikasi" else ClaimRejectForm)(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        if decision == "verifikasi":
            claims.claim_verify(actor=request.user, claim=claim, **form.cleaned_data)
            messages.success(
                request, _("Certificate verified: the product shows the Halal badge; the seller was told.")
            )
        else:
            claims.claim_reject(actor=request.user, claim=claim, reason=form.cleaned_data["reason"])
            messages.success(request, _("Number rejected; the seller sees your reason."))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("halal:claim_detail", pk=claim.pk)
    return redirect("halal:claim_queue")


@login_required
def claim_evidence(request, pk):
    """The seller's scan of the certificate: for staff of the region and the business itself."""
    claim = claims.claims_for(user=request.user).filter(pk=pk).first()
    if claim is None or not claim.evidence:
        raise Http404
    return FileResponse(claim.evidence.open("rb"), as_attachment=False, filename=claim.evidence.name.rsplit("/", 1)[-1])
