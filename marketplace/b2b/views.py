"""Pages of B2B trade: the public supplier directory and the B2B workspace of the acting organisation.

Every workspace view gets its rows through marketplace.b2b.selectors scoped to the acting organisation, so a
foreign id answers 404. Views bind a form, call one service and redirect; a DomainError becomes a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.b2b import forms, pdf, selectors, services
from marketplace.b2b.access import acting_organisation, b2b_view, trading_organisations
from marketplace.b2b.filters import SupplyOfferFilter
from marketplace.b2b.models import BUYER_KINDS, RFQ, SUPPLIER_KINDS, Delivery, PORevision, PurchaseOrder, SupplyOffer
from opop.services import DomainError

PAGE_SIZE = 25


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _context(request, org, **extra):
    return {
        "org": org,
        "b2b_organisations": trading_organisations(request.user),
        "is_supplier": org.kind in SUPPLIER_KINDS,
        "is_buyer": org.kind in BUYER_KINDS,
        **extra,
    }


def _run(request, call, success: str):
    """Call a service; on a DomainError show its message and return None."""
    try:
        result = call()
    except DomainError as exc:
        messages.error(request, str(exc))
        return None
    except ValidationError as exc:  # a model's full_clean() below the form (a value past a column's range)
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success)
    return result


# --- supplier directory (public) ------------------------------------------------------------------------------


def directory(request):
    filterset = SupplyOfferFilter(request.GET or None, queryset=selectors.directory_offers())
    offers = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.directory_offers()
    page = Paginator(offers.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "b2b/supplier_directory.html", {"page": page, "filter": filterset})


def supplier_detail(request, slug):
    supplier = selectors.supplier_by_slug(slug)
    return render(
        request,
        "b2b/supplier_detail.html",
        {
            "supplier": supplier,
            "profile": getattr(supplier, "b2b_profile", None),
            "offers": [offer for offer in selectors.offers_of(supplier) if offer.is_active],
            "legality": selectors.supplier_legality(supplier),
            "record": selectors.trade_record(supplier),
        },
    )


# --- workspace home, offers, profile --------------------------------------------------------------------------


@login_required
def home(request):
    """The workspace overview; a person who trades for no organisation (a cashier, a shopper) is told why."""
    if acting_organisation(request) is None:
        return render(request, "b2b/no_organisation.html")
    return _home(request)


@b2b_view
def _home(request, org):
    return render(
        request,
        "b2b/home.html",
        _context(
            request,
            org,
            inbox=list(selectors.inbox(org)[:5]) if org.kind in SUPPLIER_KINDS else [],
            rfqs=list(selectors.rfqs_as_buyer(org)[:5]) if org.kind in BUYER_KINDS else [],
            orders=list(selectors.purchase_orders(org)[:5]),
            overdue=selectors.overdue_count(org),
        ),
    )


@b2b_view
def offer_list(request, org):
    if org.kind not in SUPPLIER_KINDS:
        raise Http404
    profile = getattr(org, "b2b_profile", None)
    return render(
        request, "b2b/offer_list.html", _context(request, org, offers=selectors.offers_of(org), profile=profile)
    )


@b2b_view
def offer_form(request, org, pk=None):
    if org.kind not in SUPPLIER_KINDS:
        raise Http404
    offer = get_object_or_404(SupplyOffer, pk=pk, organisation=org) if pk else None
    form = forms.SupplyOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _run(
            request,
            lambda: services.supply_offer_save(
                actor=request.user,
                organisation=org,
                offer=offer,
                category=data["category"],
                product_name=data["product_name"],
                unit=data["unit"],
                min_quantity=data["min_quantity"],
                price_per_unit=data["price_per_unit"],
                capacity_per_month=data["capacity_per_month"],
                delivery_areas=list(data["delivery_areas"]),
                description=data["description"],
                is_active=data["is_active"],
            ),
            _("Supply offer saved."),
        )
        if saved:
            return redirect("b2b:offer_list")
    return render(request, "b2b/offer_form.html", _context(request, org, form=form, offer=offer))


@b2b_view
def profile_form(request, org):
    if org.kind not in SUPPLIER_KINDS:
        raise Http404
    form = forms.SupplierProfileForm(request.POST or None, instance=getattr(org, "b2b_profile", None))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            request,
            lambda: services.supplier_profile_save(actor=request.user, organisation=org, **data),
            _("Supplier profile saved."),
        ):
            return redirect("b2b:offer_list")
    return render(request, "b2b/profile_form.html", _context(request, org, form=form))


# --- RFQs -----------------------------------------------------------------------------------------------------


@b2b_view
def rfq_list(request, org):
    if org.kind not in BUYER_KINDS:
        raise Http404
    page = Paginator(selectors.rfqs_as_buyer(org), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "b2b/rfq_list.html", _context(request, org, page=page, title=_("My requests")))


@b2b_view
def inbox(request, org):
    if org.kind not in SUPPLIER_KINDS:
        raise Http404
    page = Paginator(selectors.inbox(org), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "b2b/rfq_list.html", _context(request, org, page=page, title=_("Requests for you")))


@b2b_view
def rfq_create(request, org):
    if org.kind not in BUYER_KINDS:
        raise Http404
    form = forms.RFQForm(request.POST or None, buyer=org)
    if form.address_refresh:  # the address widget's round trip: the items come back as typed, unjudged
        items = forms.RFQItemFormSet(
            prefix="items", initial=forms.formset_rows(forms.RFQItemFormSet, request.POST, "items")
        )
    else:
        items = forms.RFQItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        rows = [row for row in items.cleaned_data if row]
        rfq = _run(
            request,
            lambda: services.rfq_post(
                actor=request.user,
                buyer=org,
                title=data["title"],
                items=rows,
                **form.address_values(),
                delivery_date=data["delivery_date"],
                payment_terms=data["payment_terms"],
                payment_days=data["payment_days"] or 0,
                closes_at=data["closes_at"],
                audience=data["audience"],
                invited=list(data["invited"]),
                note=data["note"],
                base_url=_base_url(request),
            ),
            _("Request posted; the suppliers were told."),
        )
        if rfq:
            return redirect(rfq)
    return render(request, "b2b/rfq_form.html", _context(request, org, form=form, items=items))


@b2b_view
def rfq_detail(request, org, pk):
    rfq, role = selectors.rfq_for(org, pk)
    context = _context(
        request,
        org,
        rfq=rfq,
        role=role,
        items=selectors.rfq_items(rfq),
        events=selectors.rfq_events(rfq, org),
    )
    if role == "buyer":
        context["quote_count"] = rfq.quotations.exclude(status="withdrawn").count()
        context["orders"] = list(rfq.purchase_orders.select_related("supplier"))
        if rfq.is_closed:  # sealed until closing
            context["comparison"] = selectors.comparison(rfq)
    else:
        context["quotation"] = selectors.own_quotation(rfq, org)
    return render(request, "b2b/rfq_detail.html", context)


@b2b_view
@require_POST
def rfq_cancel(request, org, pk):
    rfq, role = selectors.rfq_for(org, pk)
    if role != "buyer":
        raise Http404
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.rfq_cancel(actor=request.user, rfq=rfq, reason=form.cleaned_data["reason"]),
            _("Request cancelled."),
        )
    else:
        messages.error(request, _("Say why the request is cancelled."))
    return redirect(rfq)


@b2b_view
def rfq_award(request, org, pk):
    rfq, role = selectors.rfq_for(org, pk)
    if role != "buyer" or not rfq.is_closed or rfq.status != RFQ.Status.OPEN:
        raise Http404
    data = selectors.comparison(rfq)
    form = forms.AwardForm(request.POST or None, items=data["items"], quotations=data["quotations"])
    if request.method == "POST" and form.is_valid():
        orders = _run(
            request,
            lambda: services.rfq_award(
                actor=request.user, rfq=rfq, allocation=form.allocation(), base_url=_base_url(request)
            ),
            _("Awarded; the purchase orders went to the suppliers."),
        )
        if orders:
            return redirect(orders[0]) if len(orders) == 1 else redirect("b2b:po_list")
    return render(request, "b2b/rfq_award.html", _context(request, org, rfq=rfq, form=form, **data))


@b2b_view
def quote(request, org, pk):
    rfq, role = selectors.rfq_for(org, pk)
    if role != "supplier" or not rfq.accepts_quotes:
        raise Http404
    items = selectors.rfq_items(rfq)
    existing = selectors.own_quotation(rfq, org)
    form = forms.QuotationForm(request.POST or None, items=items, quotation=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _run(
            request,
            lambda: services.quotation_submit(
                actor=request.user,
                rfq=rfq,
                supplier=org,
                lines=form.lines(),
                delivery_date=data["delivery_date"],
                valid_until=data["valid_until"],
                payment_terms=data["payment_terms"],
                payment_days=data["payment_days"] or 0,
                note=data["note"],
            ),
            _("Quotation sent. You can revise it until the request closes."),
        )
        if saved:
            return redirect(rfq)
    return render(request, "b2b/quotation_form.html", _context(request, org, rfq=rfq, form=form, existing=existing))


@b2b_view
@require_POST
def quote_withdraw(request, org, pk):
    rfq, role = selectors.rfq_for(org, pk)
    quotation = selectors.own_quotation(rfq, org) if role == "supplier" else None
    if quotation is None:
        raise Http404
    _run(request, lambda: services.quotation_withdraw(actor=request.user, quotation=quotation), _("Withdrawn."))
    return redirect(rfq)


# --- purchase orders ------------------------------------------------------------------------------------------


@b2b_view
def po_list(request, org):
    page = Paginator(selectors.purchase_orders(org), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "b2b/po_list.html", _context(request, org, page=page))


def _po_context(request, org, po):
    progress = services.line_progress(po)
    lines = list(po.lines.all())
    for line in lines:
        line.progress = progress[line.pk]
    side = "buyer" if po.buyer_id == org.pk else "supplier"
    rated = any(r.rater_id == org.pk for r in po.ratings.all())
    paid = any(i.status == "paid" for i in po.invoices.all())
    open_revision = next((r for r in po.revisions.all() if r.status == PORevision.Status.PROPOSED), None)
    return _context(
        request,
        org,
        po=po,
        side=side,
        lines=lines,
        events=selectors.po_events(po),
        open_revision=open_revision,
        can_rate=paid and not rated,
        has_open=any(p["open"] for p in progress.values()),
        has_invoiceable=any(p["invoiceable"] for p in progress.values()),
    )


@b2b_view
def po_detail(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    return render(request, "b2b/po_detail.html", _po_context(request, org, po))


@b2b_view
@require_POST
def po_confirm(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    _run(request, lambda: services.po_confirm(actor=request.user, po=po), _("Purchase order confirmed."))
    return redirect(po)


@b2b_view
@require_POST
def po_decline(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.po_decline(actor=request.user, po=po, reason=form.cleaned_data["reason"]),
            _("Purchase order declined."),
        )
    else:
        messages.error(request, _("Say why the purchase order is declined."))
    return redirect(po)


@b2b_view
def po_pdf(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    response = HttpResponse(pdf.purchase_order_pdf(po, list(po.lines.all())), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{po.number}.pdf"'
    return response


@b2b_view
def po_revise(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    if po.status != PurchaseOrder.Status.CONFIRMED:
        raise Http404
    lines = list(po.lines.all())
    form = forms.RevisionForm(request.POST or None, lines=lines, initial={"delivery_date": po.delivery_date})
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.po_revision_propose(
                actor=request.user,
                po=po,
                side=org,
                changes=form.changes(),
                delivery_date=form.cleaned_data["delivery_date"],
                reason=form.cleaned_data["reason"],
            ),
            _("Change proposed; the other side is asked to accept it."),
        )
    ):
        return redirect(po)
    return render(request, "b2b/po_revise.html", _context(request, org, po=po, form=form))


@b2b_view
@require_POST
def revision_decide(request, org, pk, decision):
    revision = get_object_or_404(PORevision.objects.select_related("purchase_order"), pk=pk)
    po = selectors.purchase_order_for(org, revision.purchase_order_id)  # 404 for a foreign order
    if decision not in ("accept", "reject"):
        raise Http404
    _run(
        request,
        lambda: services.po_revision_decide(actor=request.user, revision=revision, accept=decision == "accept"),
        _("Change accepted.") if decision == "accept" else _("Change rejected."),
    )
    return redirect(po)


@b2b_view
def delivery_create(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    if po.supplier_id != org.pk:
        raise Http404
    lines = list(po.lines.all())
    form = forms.DeliveryForm(request.POST or None, lines=lines, progress=services.line_progress(po))
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.delivery_record(
                actor=request.user,
                po=po,
                quantities=form.quantities(),
                delivery_note=form.cleaned_data["delivery_note"],
                shipped_on=form.cleaned_data["shipped_on"],
                note=form.cleaned_data["note"],
            ),
            _("Lot recorded; the buyer is asked to confirm what it receives."),
        )
    ):
        return redirect(po)
    return render(request, "b2b/delivery_form.html", _context(request, org, po=po, form=form))


@b2b_view
def delivery_receive(request, org, pk):
    delivery = selectors.delivery_for(org, pk)
    po = delivery.purchase_order
    if po.buyer_id != org.pk or delivery.status != Delivery.Status.SENT:
        raise Http404
    form = forms.ReceiveForm(request.POST or None, delivery_lines=list(delivery.lines.all()))
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.delivery_receive(actor=request.user, delivery=delivery, results=form.results()),
            _("Receipt recorded."),
        )
    ):
        return redirect(po)
    return render(request, "b2b/delivery_receive.html", _context(request, org, po=po, delivery=delivery, form=form))


@b2b_view
def invoice_create(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    if po.supplier_id != org.pk:
        raise Http404
    form = forms.InvoiceForm(request.POST or None, lines=list(po.lines.all()), progress=services.line_progress(po))
    if request.method == "POST" and form.is_valid():
        invoice = _run(
            request,
            lambda: services.invoice_issue(actor=request.user, po=po, quantities=form.quantities()),
            _("Invoice issued."),
        )
        if invoice:
            return redirect(invoice)
    return render(request, "b2b/invoice_form.html", _context(request, org, po=po, form=form))


@b2b_view
def rate(request, org, pk):
    po = selectors.purchase_order_for(org, pk)
    form = forms.RatingForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.rating_give(actor=request.user, po=po, side=org, **form.cleaned_data),
            _("Thank you for rating the trade."),
        )
    ):
        return redirect(po)
    return render(request, "b2b/rating_form.html", _context(request, org, po=po, form=form))


# --- invoices -------------------------------------------------------------------------------------------------


@b2b_view
def invoice_list(request, org):
    page = Paginator(selectors.invoices(org), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "b2b/invoice_list.html", _context(request, org, page=page))


@b2b_view
def invoice_detail(request, org, pk):
    invoice = selectors.invoice_for(org, pk)
    form = forms.PaymentForm() if invoice.purchase_order.buyer_id == org.pk else None
    return render(request, "b2b/invoice_detail.html", _context(request, org, invoice=invoice, form=form))


@b2b_view
@require_POST
def invoice_pay(request, org, pk):
    invoice = selectors.invoice_for(org, pk)
    if invoice.purchase_order.buyer_id != org.pk:
        raise Http404
    form = forms.PaymentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: services.invoice_pay(
                actor=request.user,
                invoice=invoice,
                proof=form.cleaned_data["proof"],
                reference=form.cleaned_data["reference"],
            ),
            _("Payment recorded."),
        )
    else:
        messages.error(request, _("Upload the proof of payment."))
    return redirect(invoice)


@b2b_view
def invoice_pdf(request, org, pk):
    invoice = selectors.invoice_for(org, pk)
    response = HttpResponse(pdf.invoice_pdf(invoice, list(invoice.lines.all())), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@b2b_view
def invoice_proof(request, org, pk):
    """The transfer proof, to both sides of the invoice only (it shows bank details): never a public media URL."""
    invoice = selectors.invoice_for(org, pk)
    if not invoice.proof:
        raise Http404
    return FileResponse(invoice.proof.open("rb"), filename=f"{invoice.number}-bukti.webp")
