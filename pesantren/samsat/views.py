"""Pages of Samsat OPOP: the public outlet list and verification, the counter, reports, Diskop staff."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.exports import export_response, rows_table
from opop.permissions import access_for, get_for_user_or_404, is_programme_staff
from opop.ratelimit import rate_limited
from opop.services import DomainError
from opop.web import qr_svg
from pesantren.samsat import selectors, services
from pesantren.samsat.biller import get_biller
from pesantren.samsat.forms import (
    DayCloseForm,
    HistoryFilterForm,
    InquiryForm,
    OutletFilterForm,
    OutletForm,
    PayForm,
    ReversalForm,
    StaffOutletFilterForm,
)
from pesantren.samsat.models import Bill, ETbpkp, Outlet, Payment, PaymentState
from pesantren.samsat.plates import plate_normalise
from pesantren.samsat.receipt_pdf import etbpkp_pdf_bytes, receipt_pdf_bytes

COUNTER_SCOPE = {"organisation_field": "organisation", "region_field": None, "roles": selectors.COUNTER_ROLES}
REPORT_SCOPE = {
    "organisation_field": "organisation",
    "region_field": selectors.OUTLET_REGION,
    "roles": selectors.REPORT_ROLES,
}
STAFF_SCOPE = {"organisation_field": None, "region_field": selectors.OUTLET_REGION}
OUTLETS = Outlet.objects.select_related("organisation__kabupaten_kota")

RECEIPT_SIZES = ("58", "80", "a4")  # thermal 58 mm, thermal 80 mm, A4


def _counter_outlet(request, code) -> Outlet:
    counters = OUTLETS.filter(is_active=True, takes_samsat_payments=True)
    return get_for_user_or_404(counters, request.user, scope=COUNTER_SCOPE, code=code)


def _counter_payment(request, outlet, pk):
    try:
        return selectors.counter_payments(user=request.user).get(outlet=outlet, pk=pk)
    except (Payment.DoesNotExist, ValueError):  # a foreign payment looks like a missing one
        raise Http404 from None


# --- Public ----------------------------------------------------------------------------------------


def outlet_public_list(request):
    form = OutletFilterForm(request.GET or None)
    region = (
        form.cleaned_data["kabupaten_kota"].kode if form.is_valid() and form.cleaned_data["kabupaten_kota"] else None
    )
    outlets = list(selectors.public_outlets(kabupaten_kota=region))
    groups: dict = {}
    for outlet in outlets:
        groups.setdefault(outlet.organisation.kabupaten_kota, []).append(outlet)
    return render(request, "samsat/outlet_public_list.html", {"form": form, "groups": groups.items()})


@rate_limited("public_check")
def payment_verify(request, code):
    payment = selectors.payment_by_verification(code=code)
    if payment is None:
        raise Http404
    return render(
        request,
        "samsat/payment_verify.html",
        {"payment": payment, "simulation": get_biller().is_simulation},
    )


# --- Counter ---------------------------------------------------------------------------------------


@login_required
def counter_home(request):
    outlets = list(selectors.counter_outlets(user=request.user))
    if len(outlets) == 1:
        return redirect("samsat:counter", code=outlets[0].code)
    return render(request, "samsat/counter_home.html", {"outlets": outlets})


@login_required
def counter(request, code):
    outlet = _counter_outlet(request, code)
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bill = services.samsat_bill_inquire(outlet=outlet, cashier=request.user, plate=form.cleaned_data["plate"])
        except DomainError as error:
            form.add_error("plate", str(error))
        else:
            return redirect("samsat:bill", code=outlet.code, key=bill.idempotency_key)
    today = timezone.localdate()
    payments = list(selectors.payment_list(outlet=outlet, day=today))
    figures = services.day_figures(payments=payments, day=today)
    return render(
        request,
        "samsat/counter.html",
        {
            "outlet": outlet,
            "form": form,
            "payments": payments,
            "figures": figures,
            "today": today,
            "is_supervisor": selectors.is_supervisor(user=request.user, outlet=outlet),
            "scenarios": getattr(get_biller(), "scenarios", list)(),
        },
    )


@login_required
def bill_detail(request, code, key):
    outlet = _counter_outlet(request, code)
    try:
        bill = Bill.objects.get(outlet=outlet, idempotency_key=key)
    except Bill.DoesNotExist:
        raise Http404 from None
    existing = selectors.counter_payments(user=request.user).filter(idempotency_key=bill.idempotency_key).first()
    if existing is not None:
        # Refresh or back button after paying: show the receipt, never the pay form again.
        return redirect("samsat:payment", code=outlet.code, pk=existing.pk)
    form = PayForm(request.POST or None, initial={"idempotency_key": bill.idempotency_key})
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.samsat_payment_make(
                outlet=outlet,
                cashier=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
                nik=form.cleaned_data["nik"],
                chassis_last5=form.cleaned_data["chassis_last5"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("samsat:payment", code=outlet.code, pk=payment.pk)
    return render(
        request,
        "samsat/bill_detail.html",
        {"outlet": outlet, "bill": bill, "form": form, "expired": timezone.now() >= bill.expires_at},
    )


@login_required
def payment_detail(request, code, pk):
    outlet = _counter_outlet(request, code)
    payment = _counter_payment(request, outlet, pk)
    return render(
        request,
        "samsat/payment_detail.html",
        {
            "outlet": outlet,
            "payment": payment,
            "bill": payment.bill,
            "outcomes": payment.outcomes.select_related("actor"),
            "reversal": getattr(payment, "reversal", None) if payment.state == PaymentState.REVERSED else None,
            "reversal_form": ReversalForm(),
            "etbpkp": ETbpkp.objects.filter(payment=payment).first(),
            "is_supervisor": selectors.is_supervisor(user=request.user, outlet=outlet),
            "States": PaymentState,
        },
    )


def _document_context(request, outlet, payment) -> dict:
    """What every printed document of a payment shows: the payment, its bill and the link that verifies it."""
    return {
        "outlet": outlet,
        "payment": payment,
        "bill": payment.bill,
        "verify_url": request.build_absolute_uri(reverse("samsat:verify", args=[payment.verification_code])),
    }


def _document_page(request, context: dict, template: str):
    """The printable page of a document: its context with the verification link as a QR code."""
    context["qr_svg"] = qr_svg(context["verify_url"], box_size=8, border=1)
    return render(request, template, context)


def _document_pdf(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _receipt_context(request, code, pk) -> dict:
    """What a receipt shows, for the printable page and the PDF alike; 404 unless paid or reversed."""
    outlet = _counter_outlet(request, code)
    payment = _counter_payment(request, outlet, pk)
    if payment.state not in (PaymentState.CONFIRMED, PaymentState.REVERSED):
        raise Http404
    size = request.GET.get("size", "80")
    return {
        **_document_context(request, outlet, payment),
        "size": size if size in RECEIPT_SIZES else "80",
        "copy": payment.prints.count(),
        "simulation": get_biller().is_simulation,
        "printed_at": timezone.localtime(),
    }


@login_required
def receipt(request, code, pk):
    return _document_page(request, _receipt_context(request, code, pk), "samsat/receipt.html")


@login_required
def receipt_pdf(request, code, pk):
    context = _receipt_context(request, code, pk)
    return _document_pdf(receipt_pdf_bytes(context), f"struk-{context['payment'].receipt_number}.pdf")


def _etbpkp_context(request, code, pk) -> dict:
    """The simulated e-TBPKP of a paid (or later reversed) payment; 404 before it is issued."""
    outlet = _counter_outlet(request, code)
    payment = _counter_payment(request, outlet, pk)
    try:
        document = ETbpkp.objects.get(payment=payment)
    except ETbpkp.DoesNotExist:
        raise Http404 from None
    return {**_document_context(request, outlet, payment), "etbpkp": document}


@login_required
def etbpkp(request, code, pk):
    return _document_page(request, _etbpkp_context(request, code, pk), "samsat/etbpkp.html")


@login_required
def etbpkp_pdf(request, code, pk):
    context = _etbpkp_context(request, code, pk)
    return _document_pdf(etbpkp_pdf_bytes(context), f"e-tbpkp-{context['etbpkp'].number}.pdf")


@login_required
@require_POST
def receipt_reprint(request, code, pk):
    outlet = _counter_outlet(request, code)
    payment = _counter_payment(request, outlet, pk)
    try:
        services.samsat_receipt_reprint(payment=payment, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("samsat:payment", code=outlet.code, pk=payment.pk)
    size = request.POST.get("size", "80")
    if size not in RECEIPT_SIZES:
        size = "80"
    return redirect(reverse("samsat:receipt", args=[outlet.code, payment.pk]) + f"?size={size}")


@login_required
@require_POST
def payment_advise(request, code, pk):
    outlet = _counter_outlet(request, code)
    payment = _counter_payment(request, outlet, pk)
    try:
        services.samsat_payment_advise(payment=payment, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        payment = _counter_payment(request, outlet, pk)
        messages.success(request, _("Status check done: %(state)s.") % {"state": payment.get_state_display()})
    return redirect("samsat:payment", code=outlet.code, pk=pk)


@login_required
@require_POST
def payment_reverse(request, code, pk):
    outlet = _counter_outlet(request, code)
    payment = _counter_payment(request, outlet, pk)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reason for the reversal."))
    else:
        try:
            services.samsat_payment_reverse(
                payment=payment, supervisor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The payment is reversed; hand the cash back to the customer."))
    return redirect("samsat:payment", code=outlet.code, pk=pk)


@login_required
@require_POST
def day_close(request, code):
    outlet = _counter_outlet(request, code)
    form = DayCloseForm(request.POST)
    try:
        day = date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        raise Http404 from None
    if not form.is_valid():
        messages.error(request, _("Enter the cash counted in the drawer."))
    else:
        try:
            services.samsat_day_close(
                outlet=outlet, business_day=day, counted_cash=form.cleaned_data["counted_cash"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The business day is closed."))
    return redirect("samsat:day_report", code=outlet.code, day=day.isoformat())


# --- Reports for the outlet's people and Diskop staff ----------------------------------------------


def _report_outlet(request, code) -> Outlet:
    return get_for_user_or_404(OUTLETS, request.user, scope=REPORT_SCOPE, code=code)


@login_required
def outlet_history(request, code):
    outlet = _report_outlet(request, code)
    form = HistoryFilterForm(request.GET or None)
    payments = selectors.payment_list(outlet=outlet)
    if form.is_valid():
        if form.cleaned_data["day"]:
            payments = payments.filter(business_day=form.cleaned_data["day"])
        if form.cleaned_data["plate"]:
            try:
                payments = payments.filter(plate=plate_normalise(form.cleaned_data["plate"]))
            except DomainError:
                payments = payments.none()
    page = Paginator(payments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "samsat/outlet_history.html",
        {"outlet": outlet, "form": form, "page": page, "is_counter": _is_counter(request, outlet)},
    )


def _is_counter(request, outlet) -> bool:
    return outlet.organisation_id in access_for(request.user).organisation_ids(roles=selectors.COUNTER_ROLES)


@login_required
def outlet_days(request, code):
    outlet = _report_outlet(request, code)
    return render(
        request,
        "samsat/outlet_days.html",
        {"outlet": outlet, "days": selectors.day_summaries(outlet=outlet), "is_counter": _is_counter(request, outlet)},
    )


@login_required
def day_report(request, code, day):
    outlet = _report_outlet(request, code)
    try:
        business_day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    payments = list(selectors.payment_list(outlet=outlet, day=business_day))
    close = selectors.day_close_list(outlet=outlet).filter(business_day=business_day).first()
    if request.GET.get("format") == "csv":
        return export_response(
            tables=_day_tables(outlet, business_day, payments, close),
            file_format="csv",
            actor=request.user,
            dataset="samsat.day",
            filename=f"samsat-{outlet.code}-{business_day.isoformat()}",
            organisation=outlet.organisation,
            region=access_for(request.user).region,
            filters={"outlet": outlet.code, "day": business_day.isoformat()},
        )
    return render(
        request,
        "samsat/day_report.html",
        {
            "outlet": outlet,
            "day": business_day,
            "payments": payments,
            "figures": services.day_figures(payments=payments, day=business_day),
            "close": close,
            "items": list(close.items.all()) if close else [],
            "form": DayCloseForm(),
            "is_counter": _is_counter(request, outlet),
            "can_close": close is None
            and business_day <= timezone.localdate()
            and selectors.is_supervisor(user=request.user, outlet=outlet),
        },
    )


def _day_tables(outlet, day, payments, close) -> list:
    """The outlet's side of a business day, for the bank's operations team: one row per payment, then the
    close's summary when the day is closed."""
    tables = [
        rows_table(
            slug="samsat-day",
            labels=["outlet", "business_day", "receipt", "time_wib", "plate", "state", "ntpd", "total", "key"],
            rows=(
                [
                    outlet.code,
                    day.isoformat(),
                    payment.receipt_number,
                    timezone.localtime(payment.created_at).strftime("%H:%M:%S"),
                    payment.plate,
                    payment.state,
                    payment.biller_ref or "",
                    payment.total,
                    payment.idempotency_key,
                ]
                for payment in payments
            ),
        )
    ]
    if close is not None:
        tables.append(
            rows_table(
                slug="samsat-close",
                labels=["expected_cash", "counted_cash", "difference", "gross", "outlet_fee", "net", "balanced"],
                rows=[
                    [
                        close.expected_cash,
                        close.counted_cash,
                        close.difference,
                        close.gross,
                        close.outlet_fee,
                        close.net,
                        close.balanced,
                    ]
                ],
            )
        )
    return tables


# --- Diskop staff ----------------------------------------------------------------------------------


def _require_staff(request):
    if not is_programme_staff(user=request.user):
        raise Http404


@login_required
def staff_outlet_list(request):
    """The outlets (50 a page) with one month's confirmed payments each, and that month's total over the list."""
    _require_staff(request)
    form = StaffOutletFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # a bad field (a month typed "11/2026") shows its message; the valid ones still apply
        data = form.cleaned_data
    month = data.get("month") or timezone.localdate().replace(day=1)
    outlets = selectors.staff_outlet_search(
        selectors.staff_outlets(user=request.user),
        kabupaten_kota=data.get("kabupaten_kota"),
        query=(data.get("q") or "").strip(),
    )
    page = Paginator(outlets, 50).get_page(request.GET.get("page"))
    figures = selectors.outlet_month_figures(outlet_ids=[outlet.pk for outlet in page.object_list], month=month)
    empty = {"count": 0, "amount": 0}
    return render(
        request,
        "samsat/staff_outlet_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(outlet, figures.get(outlet.pk, empty)) for outlet in page.object_list],
            "month": month,
            "totals": selectors.month_totals(outlets=outlets, month=month),
        },
    )


@login_required
def staff_outlet_form(request, code=None):
    _require_staff(request)
    outlet = get_for_user_or_404(OUTLETS, request.user, scope=STAFF_SCOPE, code=code) if code else None
    form = OutletForm(
        request.POST or None, instance=outlet, organisations=selectors.registrable_organisations(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if outlet is None:
                outlet = services.samsat_outlet_register(actor=request.user, **data)
            else:
                outlet = services.samsat_outlet_update(actor=request.user, outlet=outlet, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Outlet %(code)s saved.") % {"code": outlet.code})
            return redirect("samsat:staff_outlet_list")
    return render(request, "samsat/outlet_form.html", {"form": form, "outlet": outlet})
