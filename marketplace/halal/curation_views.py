"""Curation pages: flagship proposals and decisions, product legality records and their verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.halal import flagship, legality, selectors, services
from marketplace.halal.forms import (
    DecideForm,
    LegalityFilterForm,
    LegalityForm,
    LegalityVerifyForm,
    ProposeForm,
)
from marketplace.halal.models import FlagshipStatus
from marketplace.halal.views import PAGE_SIZE, product_query
from marketplace.models import Product
from opop.forms import posted_values
from opop.permissions import access_for, is_programme_staff, scope_queryset
from opop.services import DomainError
from opop.web import form_error

# --- flagship curation -----------------------------------------------------------------------------


def _proposable_products(user):
    return scope_queryset(
        Product.objects.filter(is_active=True, is_flagship=False),
        user,
        organisation_field="store__organisation",
        region_field="store__organisation__kabupaten_kota",
        roles=services.BUSINESS_ROLES,
    ).select_related("store")


@login_required
def flagship_list(request):
    proposals = selectors.flagship_proposals_for(user=request.user)
    status = request.GET.get("status") or ""
    if status in FlagshipStatus.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "halal/flagship_list.html",
        {
            "page": page,
            "status": status,
            "statuses": FlagshipStatus.choices,
            "products": _proposable_products(request.user)[:200],
            "is_staff": is_programme_staff(user=request.user),
            "propose_form": ProposeForm(products=Product.objects.none()),
            "progress": selectors.flagship_progress(user=request.user),
            "this_year": timezone.localdate().year,
            "by_region": selectors.flagship_by_region(user=request.user, year=timezone.localdate().year),
        },
    )


@login_required
@require_POST
def flagship_propose(request):
    form = ProposeForm(request.POST, products=_proposable_products(request.user))
    form.is_valid()
    product = form.cleaned_data.get("product")
    if product is None:
        raise Http404
    try:
        if "motivation" in form.errors:
            raise DomainError(" ".join(form.errors["motivation"]))
        flagship.flagship_propose(actor=request.user, product=product, motivation=form.cleaned_data["motivation"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Product proposed as OPOP flagship."))
    return redirect("halal:flagship_list")


@login_required
def flagship_decide(request, pk):
    proposal = selectors.flagship_proposals_for(user=request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    if not services.is_staff_for(user=request.user, organisation=proposal.product.store.organisation):
        raise PermissionDenied
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flagship.flagship_decide(
                actor=request.user,
                proposal=proposal,
                approve=form.cleaned_data["decision"] == "approve",
                scores=form.scores(),
                notes=form.cleaned_data["notes"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("halal:flagship_list")
    return render(request, "halal/flagship_decide.html", {"proposal": proposal, "form": form})


# --- product legality ------------------------------------------------------------------------------


def _own_products(user):
    return Product.objects.filter(
        store__organisation_id__in=access_for(user).organisation_ids(roles=services.BUSINESS_ROLES)
    ).select_related("store")


@login_required
def legality_list(request):
    return _legality_page(request, query=product_query(request.GET))


def _legality_page(request, *, query: str, form: LegalityForm | None = None):
    """The records the user may see, and for a business the form that records a number (`form`: one posted back
    with its errors or with what was typed before a search; a fresh one otherwise)."""
    records = selectors.legality_records_for(user=request.user)
    filter_form = LegalityFilterForm(request.GET or None)
    if filter_form.is_valid():
        for field in ("kind", "status"):
            if filter_form.cleaned_data[field]:
                records = records.filter(**{field: filter_form.cleaned_data[field]})
    own = _own_products(request.user)
    if form is None and own.exists():
        form = LegalityForm(products=own, query=query)
    return render(
        request,
        "halal/legality_list.html",
        {
            "page": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")),
            "filter_form": filter_form,
            "query": query,
            "form": form,
            "is_staff": is_programme_staff(user=request.user),
        },
    )


@login_required
@require_POST
def legality_submit(request):
    """Record a number. A refused one is shown again in the form with the reason, and the form's own search
    button shows the products found with everything typed so far; nothing typed is lost."""
    own = _own_products(request.user)
    if not own.exists():  # nothing of theirs to record a number for
        messages.error(request, _("Only a business with products records their legal numbers."))
        return redirect("halal:legality_list")
    query = product_query(request.POST)
    form = LegalityForm(request.POST, products=own, query=query)
    if "search" in request.POST:
        return _legality_page(
            request, query=query, form=LegalityForm(initial=posted_values(form), products=own, query=query)
        )
    if form.is_valid():
        try:
            legality.legality_record_submit(
                actor=request.user,
                product=form.cleaned_data["product"],
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Legality recorded; Diskop staff will verify it."))
            return redirect("halal:legality_list")
    return _legality_page(request, query=query, form=form)


@login_required
@require_POST
def legality_verify(request, pk):
    record = selectors.legality_records_for(user=request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    if not services.is_staff_for(user=request.user, organisation=record.product.store.organisation):
        raise PermissionDenied
    form = LegalityVerifyForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        legality.legality_record_verify(
            actor=request.user,
            record=record,
            verified=form.cleaned_data["decision"] == "verify",
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Verification recorded."))
    return redirect("halal:legality_list")
