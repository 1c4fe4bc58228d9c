"""Opening a store: the owner's overview and application form (seller centre), and the deciders' queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.models import PILLAR_BY_KIND, Pillar, Store, StoreApplication
from marketplace.seller import opening
from marketplace.seller.access import SELLER_ROLES
from marketplace.seller.opening_forms import ReturnForm, StoreApplicationForm
from opop.organisations import organisation_standing
from opop.permissions import access_for
from opop.services import DomainError
from opop.web import form_error

PAGE_SIZE = 50


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _store_prefix(request) -> str:
    """The store page's URL up to its slug, shown with the chosen address."""
    return request.build_absolute_uri(reverse("marketplace:store", kwargs={"slug": "x"}))[:-2]


@login_required
def store_opening(request):
    """The seller centre of someone without a store (or with organisations still without one): each of their
    organisations, with the way to open its store or the reason it cannot yet. 404 for people with none."""
    candidates = opening.opening_candidates(user=request.user)
    return render(
        request,
        "marketplace/seller/no_store.html",
        {"candidates": candidates},
        status=200 if candidates else 404,
    )


@login_required
def store_open(request, slug):
    """The application of one organisation: the form while it is a draft or returned, its status otherwise."""
    opened = Store.objects.filter(
        organisation__slug=slug, organisation_id__in=access_for(request.user).organisation_ids(roles=SELLER_ROLES)
    ).first()
    if opened is not None:  # approved meanwhile: straight to its seller centre
        return redirect("marketplace:seller_choose_store", store_id=opened.pk)
    organisation = opening.applicant_organisation_or_404(user=request.user, slug=slug)
    standing = organisation_standing(organisation)
    application = getattr(organisation, "store_application", None)
    editable = standing.verified and (application is None or application.is_editable)
    form = StoreApplicationForm(
        request.POST or None, request.FILES or None, instance=application, organisation=organisation
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, standing.reason or _("This application cannot be changed now."))
            return redirect("marketplace:seller_open", slug=organisation.slug)
        if form.is_valid():
            submit = request.POST.get("action") != "draft"
            data = form.application_values()
            try:
                opening.store_application_save(
                    actor=request.user,
                    organisation=organisation,
                    submit=submit,
                    logo=form.cleaned_data.get("logo_upload"),
                    **data,
                )
            except (DomainError, ValidationError) as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Application submitted. You will get an e-mail once it is decided.")
                    if submit
                    else _("Draft saved."),
                )
                return redirect("marketplace:seller_open", slug=organisation.slug)
    return render(
        request,
        "marketplace/seller/open_store.html",
        {
            "organisation": organisation,
            "standing": standing,
            "application": application,
            "editable": editable,
            "form": form,
            "pillar": Pillar(PILLAR_BY_KIND[organisation.kind]).label,
            "store_prefix": _store_prefix(request),
        },
    )


# --- the deciders' queue -------------------------------------------------------------------------------------


def _require_queue(request) -> None:
    if not opening.is_store_decider(user=request.user):
        raise PermissionDenied


@login_required
def store_request_list(request):
    _require_queue(request)
    status = request.GET.get("status", "waiting")
    applications = opening.store_applications_for_decider(user=request.user, status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    member_of = set(access_for(request.user).organisation_ids())
    return render(
        request,
        "marketplace/staff/store_request_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [(value, label) for value, label in StoreApplication.Status.choices if value != "draft"],
            "member_of": member_of,
        },
    )


@login_required
def store_request_detail(request, pk):
    application = opening.store_application_for_decider_or_404(user=request.user, pk=pk)
    return render(
        request,
        "marketplace/staff/store_request_detail.html",
        {
            "application": application,
            "may_decide": opening.may_decide(user=request.user, application=application) and application.is_waiting,
            "return_form": ReturnForm(),
            "store_prefix": _store_prefix(request),
        },
    )


@login_required
@require_POST
def store_request_decide(request, pk, action):
    application = opening.store_application_for_decider_or_404(user=request.user, pk=pk)
    if action not in ("approve", "return"):
        raise Http404
    try:
        if action == "approve":
            store = opening.store_application_approve(
                actor=request.user, application=application, base_url=_base_url(request)
            )
            messages.success(request, _("Store %(store)s is open on OPOP Mart.") % {"store": store.name})
        else:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Tell the applicant why the application is returned."))
            opening.store_application_return(
                actor=request.user,
                application=application,
                reason=form.cleaned_data["reason"],
                base_url=_base_url(request),
            )
            messages.success(request, _("Application returned to the applicant."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:store_request_detail", pk=application.pk)
