from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.halal import selectors, services
from marketplace.halal.forms import (
    STEP_FORMS,
    AttachForm,
    CaseForm,
    ProductSearchForm,
    QueueFilterForm,
    StepForm,
    VerifyForm,
)
from marketplace.halal.models import CaseAttachment, CaseStatus
from marketplace.halal.policy import self_declare_reasons
from opop.exports import export_response, rows_table
from opop.forms import posted_values
from opop.models import KabupatenKota
from opop.permissions import access_for, is_programme_staff
from opop.ratelimit import rate_limited
from opop.services import DomainError
from opop.web import form_error

PAGE_SIZE = 50


# --- cases ---------------------------------------------------------------------------------------


@login_required
def case_list(request):
    cases = selectors.cases_for(user=request.user)
    form = QueueFilterForm(request.GET or None)
    form.fields["status"].choices = [("", "—"), *CaseStatus.choices]
    if form.is_valid():
        data = form.cleaned_data
        if data["kabupaten_kota"]:
            cases = cases.filter(organisation__kabupaten_kota=data["kabupaten_kota"])
        if data["scheme"]:
            cases = cases.filter(scheme=data["scheme"])
        if data["status"]:
            cases = cases.filter(status=data["status"])
    workload = None
    if is_programme_staff(user=request.user):
        workload = (
            selectors.cases_for(user=request.user)
            .filter(assignee__isnull=False)
            .values("assignee__email", "assignee__full_name")
            .annotate(
                open=Count("id", filter=Q(status__in=services.OPEN_STATES)),
                done=Count("id", filter=Q(status=CaseStatus.ISSUED)),
            )
            .order_by("-open", "assignee__email")
        )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "halal/halalcase_list.html",
        {
            "page": page,
            "filter_form": form,
            "is_staff": is_programme_staff(user=request.user),
            "can_create": selectors.business_organisations(user=request.user).exists(),
            "workload": workload,
            "now": timezone.now(),
        },
    )


@login_required
def case_create(request):
    organisations = selectors.business_organisations(user=request.user)
    if not organisations.exists():
        raise PermissionDenied
    query, searching = _product_search(request)
    form = CaseForm(request.POST or None, organisations=organisations, query=query)
    if searching:  # the products found, and everything typed or ticked so far shown again, not saved
        form = CaseForm(initial=posted_values(form), organisations=organisations, query=query)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case = services.case_create(actor=request.user, **data)
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Draft case created. Attach the documents, then submit it."))
            return redirect(case)
    return render(request, "halal/halalcase_form.html", {"form": form, "query": query})


def _product_search(request) -> tuple[str, bool]:
    """The name search that narrows the case form's product list, and whether this request is that search: a
    button inside the form (so nothing typed or ticked is lost), or `?q=` in a link."""
    query = product_query(request.POST if request.method == "POST" else request.GET)
    return query, request.method == "POST" and "search" in request.POST


def product_query(data) -> str:
    """The name a product search inside a form asks for ("" when none or invalid)."""
    search = ProductSearchForm(data)
    return search.cleaned_data["q"].strip() if search.is_valid() else ""


@login_required
def case_edit(request, pk):
    case = selectors.case_detail_for(user=request.user, pk=pk)
    if not services.may_edit(user=request.user, case=case):
        raise PermissionDenied
    query, searching = _product_search(request)
    organisations = selectors.business_organisations(user=request.user)
    form = CaseForm(request.POST or None, instance=case, organisations=organisations, query=query)
    if searching:
        form = CaseForm(initial=posted_values(form), instance=case, organisations=organisations, query=query)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        products = data.pop("products")
        case.refresh_from_db()
        try:
            services.case_update(actor=request.user, case=case, products=products, **data)
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Case saved."))
            return redirect(case)
    return render(request, "halal/halalcase_form.html", {"form": form, "case": case, "query": query})


@login_required
def case_detail(request, pk):
    case = selectors.case_detail_for(user=request.user, pk=pk)
    steps = [
        (name, services.TRANSITIONS[name].label, STEP_FORMS.get(name, StepForm)(prefix=name))
        for name in services.allowed_transitions(user=request.user, case=case)
    ]
    return render(
        request,
        "halal/halalcase_detail.html",
        {
            "case": case,
            "events": case.events.select_related("actor").prefetch_related("attachments"),
            "attachments": case.attachments.select_related("uploaded_by"),
            "steps": steps,
            "attach_form": AttachForm() if services.may_attach(user=request.user, case=case) else None,
            "can_edit": services.may_edit(user=request.user, case=case),
            "eligibility": self_declare_reasons(case=case),
            "certificate": case.certificates.filter(revoked=False).first()
            if case.status == CaseStatus.ISSUED
            else None,
        },
    )


@login_required
@require_POST
def case_step(request, pk, action):
    case = selectors.case_detail_for(user=request.user, pk=pk)
    if action not in services.TRANSITIONS:
        raise Http404
    if not services.may_transition(user=request.user, case=case, name=action):
        raise PermissionDenied
    form = STEP_FORMS.get(action, StepForm)(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        extra = {}
        if action == "assign":
            extra = {"assignee": form.cleaned_data["assignee"], "inspection_body": form.cleaned_data["inspection_body"]}
        if action == "issue":
            extra = {"certificate": form.certificate()}
        try:
            services.case_transition(
                actor=request.user,
                case=case,
                action=action,
                note=form.cleaned_data["note"],
                occurred_on=form.cleaned_data["occurred_on"],
                attachments=form.attachments(),
                **extra,
            )
        except (DomainError, ValidationError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Step recorded."))
    else:
        errors = [f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()]
        messages.error(request, " ".join(errors))
    return redirect("halal:case_detail", pk=case.pk)


@login_required
@require_POST
def case_attach(request, pk):
    case = selectors.case_detail_for(user=request.user, pk=pk)
    if not services.may_attach(user=request.user, case=case):
        raise PermissionDenied
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_attach(
                actor=request.user, case=case, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except (DomainError, ValidationError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Document attached."))
    else:
        messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
    return redirect(case)


@login_required
def attachment_download(request, pk):
    attachment = CaseAttachment.objects.filter(
        pk=pk, case__in=selectors.cases_for(user=request.user).values("pk")
    ).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


# --- staff queue of products needing certification -------------------------------------------------


def _queue(request):
    if not is_programme_staff(user=request.user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    return form, form.apply(selectors.product_queue(user=request.user))


@login_required
def product_queue(request):
    form, products = _queue(request)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = dict(CaseStatus.choices)
    rows = [
        (product, *selectors.urgency(product), statuses.get(product.case_status, "")) for product in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "halal/product_queue.html",
        {
            "page": page,
            "rows": rows,
            "filter_form": form,
            "query": query.urlencode(),
            "deadline": selectors.FOOD_DEADLINE,
            "figures": selectors.queue_figures(products),
        },
    )


@login_required
def product_queue_csv(request):
    """Every product of the queue (its filters), streamed as it is read: 38,000 rows never sit in memory."""
    _form, products = _queue(request)
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    certified, no_case = _("Certified"), _("No case yet")
    today = timezone.localdate()

    regions = {region.kode: region.label for region in KabupatenKota.objects.all()}
    columns = ("name", "store__organisation__name", "store__organisation__kabupaten_kota_id", "category__name")

    def row(values):
        # Plain values, not five model instances a row: 38,000 rows in seconds rather than tens of seconds.
        product = SimpleNamespace(**values)
        status = certified if product.certified else statuses.get(product.case_status, no_case)
        return [
            product.name,
            product.store__organisation__name,
            regions.get(product.store__organisation__kabupaten_kota_id, ""),
            product.category__name,
            status,
            product.case_scheme or "",
            selectors.urgency(product, today=today)[1],
        ]

    return export_response(
        file_format="csv",
        tables=rows_table(
            slug="halal-produk",
            labels=[
                _("Product"),
                _("Business"),
                _("Regency/city"),
                _("Category"),
                _("Status"),
                _("Scheme"),
                _("Urgency"),
            ],
            rows=(
                row(values)
                for values in products.values(*columns, "certified", "case_status", "case_scheme").iterator(
                    chunk_size=2000
                )
            ),
        ),
        actor=request.user,
        dataset="halal.product_queue",
        rows=products.count(),
        stream=True,
        filename="halal-produk",
        region=access_for(request.user).region,
        filters={key: value for key, value in request.GET.items() if value},
    )


# --- certificates --------------------------------------------------------------------------------


@rate_limited("public_check")
def certificate_search(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("halal:certificate_verify", number=form.cleaned_data["number"].strip().upper())
    return render(request, "halal/certificate_search.html", {"form": form})


@rate_limited("public_check")
def certificate_verify(request, number):
    certificate = selectors.certificate_public(number=number)
    return render(
        request,
        "halal/certificate_verify.html",
        {"certificate": certificate, "number": number, "form": VerifyForm(initial={"number": number})},
        status=200 if certificate else 404,
    )
