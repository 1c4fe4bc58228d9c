"""Finance staff's payout queue (approve, reject, export the approved ones for the bank, mark each transferred or
failed) and the reconciliation's findings. Only platform finance staff: anyone else gets 403."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.balance import selectors, services
from marketplace.balance.forms import BankReferenceForm, ReasonForm
from marketplace.balance.reconciliation import CHECKS, KIND_LABELS
from marketplace.models import Payout
from opop.exports import export_response, rows_table
from opop.permissions import access_for, is_programme_finance
from opop.services import DomainError

P = Payout.Status
PAGE_SIZE = 30


def finance_view(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_programme_finance(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@finance_view
def payout_queue(request):
    payouts = selectors.finance_payouts(request.user)
    counts = selectors.finance_counts(payouts)
    status = request.GET.get("status") or P.REQUESTED
    if status not in P.values:
        status = P.REQUESTED
    shown = payouts.filter(status=status)
    if status not in (P.REQUESTED, P.APPROVED):
        shown = shown.order_by("-updated_at", "-id")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "marketplace/finance/payout_queue.html",
        {
            "page_obj": page,
            "status": status,
            "tabs": [{"key": key, "label": label, "count": counts.get(key, 0)} for key, label in P.choices],
            "reason_form": ReasonForm(),
            "reference_form": BankReferenceForm(),
        },
    )


# action → (the form its POST must pass, the service it calls with the cleaned fields)
ACTIONS = {
    "approve": (None, services.payout_approve),
    "reject": (ReasonForm, services.payout_reject),
    "transferred": (BankReferenceForm, services.payout_mark_transferred),
    "failed": (ReasonForm, services.payout_mark_failed),
}


@finance_view
@require_POST
def payout_action(request, pk, action):
    payout = selectors.finance_payouts(request.user).filter(pk=pk).first()
    if payout is None or action not in ACTIONS:
        raise Http404
    form_class, service = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(f"{reverse('marketplace:finance_payouts')}?status={payout.status}")
    try:
        payout = service(payout=payout, actor=request.user, **(form.cleaned_data if form else {}))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Payout %(reference)s: %(status)s.") % {"reference": payout, "status": payout.get_status_display()},
        )
    return redirect(f"{reverse('marketplace:finance_payouts')}?status={payout.status}")


@finance_view
def payout_export(request):
    """The approved payouts as a bank bulk-transfer file: one line per payout, the reference in the description
    so each transfer can be matched back and marked transferred."""
    payouts = list(selectors.finance_payouts(request.user).filter(status=P.APPROVED))
    access = access_for(request.user)
    return export_response(
        tables=rows_table(
            slug="payouts",
            labels=[_("Account number"), _("Account holder"), _("Bank"), _("Amount"), _("Description"), _("E-mail")],
            rows=(
                [
                    payout.bank_account_number,
                    payout.bank_account_name,
                    payout.bank_name,
                    payout.amount,
                    f"{payout.reference} {payout.store.name}"[:100],
                    "",
                ]
                for payout in payouts
            ),
        ),
        file_format="csv",
        actor=request.user,
        dataset="marketplace.payouts",
        filename=f"pencairan-{timezone.localdate()}",
        region=None if access.superuser else access.region,
        filters={"status": P.APPROVED, "payouts": ",".join(str(p.pk) for p in payouts)},
    )


@finance_view
def findings(request):
    runs = selectors.reconciliation_runs()
    day = parse_date(request.GET.get("day") or "")
    run = (runs.filter(day=day) if day else runs).first()
    rows = selectors.findings_of(run, request.user) if run else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")) if run else None
    for finding in page.object_list if page else []:
        finding.label = KIND_LABELS.get(finding.kind, finding.kind)
    return render(
        request,
        "marketplace/finance/findings.html",
        {
            "run": run,
            "page_obj": page,
            "recent": list(runs[:14]),
            "checks": [check.__name__ for check in CHECKS],
        },
    )
