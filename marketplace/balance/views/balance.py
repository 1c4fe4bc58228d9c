"""The seller centre's Saldo page: the balance, its statement (paged, CSV), payout history and the withdrawal
form (owners only; staff see the balance read-only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.balance import selectors, services
from marketplace.balance.forms import PayoutRequestForm
from marketplace.balance.ledger import store_balance
from marketplace.seller.access import seller_view
from opop.exports import export_response, rows_table
from opop.services import DomainError


def _context(request, store, form=None) -> dict:
    balance = store_balance(store=store)
    return {
        "store": store,
        "balance": balance,
        "page_obj": selectors.statement_page(store, request.GET.get("page")),
        "payouts": list(selectors.store_payouts(store)[:5]),
        "form": form or (PayoutRequestForm() if request.seller_is_owner else None),
        "minimum": services.payout_minimum(),
        "has_bank": bool(store.bank_name and store.bank_account_number and store.bank_account_name),
    }


@seller_view
def balance(request, store):
    if request.GET.get("format") == "csv":
        return _statement_csv(request, store)
    return render(request, "marketplace/seller/balance.html", _context(request, store))


@seller_view
@require_POST
def payout_request(request, store):
    if not request.seller_is_owner:
        raise PermissionDenied
    form = PayoutRequestForm(request.POST)
    if form.is_valid():
        amount = form.cleaned_data["amount"] or store_balance(store=store).available
        try:
            payout = services.payout_request(
                store=store,
                actor=request.user,
                amount=amount,
                password=form.cleaned_data["password"],
                request_key=form.cleaned_data["request_key"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Payout %(reference)s requested; finance staff will transfer it.") % {"reference": payout}
            )
            return redirect("marketplace:seller_payout_detail", pk=payout.pk)
    return render(request, "marketplace/seller/balance.html", _context(request, store, form), status=400)


@seller_view
def payout_list(request, store):
    page = Paginator(selectors.store_payouts(store), selectors.PAYOUT_PAGE).get_page(request.GET.get("page"))
    return render(request, "marketplace/seller/balance_payouts.html", {"store": store, "page_obj": page})


@seller_view
def payout_detail(request, store, pk):
    payout = selectors.store_payout_or_none(store, pk)
    if payout is None:
        raise Http404
    return render(request, "marketplace/seller/balance_payout.html", {"store": store, "payout": payout})


def _statement_csv(request, store) -> HttpResponse:
    rows = selectors.statement_rows(store)
    return export_response(
        tables=rows_table(
            slug="balance-statement",
            labels=[
                _("Date"),
                _("Movement"),
                _("Order"),
                _("Payout"),
                _("Pending (Rp)"),
                _("Available (Rp)"),
                _("In payout (Rp)"),
                _("Paid out (Rp)"),
                _("Refunded (Rp)"),
                _("Balance (Rp)"),
                _("Note"),
            ],
            rows=(
                [
                    timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                    row.get_kind_display(),
                    row.order.number if row.order_id else "",
                    row.payout.reference if row.payout_id else "",
                    row.pending,
                    row.available,
                    row.in_payout,
                    row.paid_out,
                    row.refunded,
                    row.balance,
                    row.note,
                ]
                for row in rows
            ),
        ),
        file_format="csv",
        actor=request.user,
        dataset="marketplace.balance_statement",
        filename=f"saldo-{store.slug}-{timezone.localdate()}",
        organisation=store.organisation,
    )
