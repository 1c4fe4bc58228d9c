"""Sosiopreneur pages: alumni profile and verification, businesses, reports, collaborations."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alumni import selectors, services
from alumni.forms import (
    AlumnusForm,
    AlumnusRegionForm,
    BusinessForm,
    CollaborationForm,
    GraduateForm,
    ReportCorrectForm,
    ReportForm,
)
from alumni.models import AlumniBusiness
from opop.permissions import access_for, is_programme_staff_for_region
from opop.reviewed_reports import report_review_view, review_post
from opop.services import DomainError
from opop.web import form_saved, require
from pesantren.models import Pesantren
from santri import selectors as santri_selectors

# Rows a page of the home's business list shows, and how many of the oldest waiting reports it lists.
PAGE_SIZE = 50


@login_required
def home(request):
    """One page for every role: the alumnus's profile and businesses, the pesantren admin's
    verifications and collaborations to confirm, the staff's report queue."""
    user = request.user
    access = access_for(user)
    alumnus = selectors.my_alumnus(user=user)
    form = region_form = None
    if alumnus is None:
        region_form, region = _alumnus_region(request)
        form = AlumnusForm(request.POST or None, region=region)
        if form_saved(
            request,
            form,
            lambda data: services.alumnus_register(user=user, **data),
            success=_("Registered. Your pesantren will verify you."),
        ):
            return redirect("alumni:home")
    businesses = Paginator(selectors.business_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    report_queue, reports_more = (
        selectors.report_queue_head(user=user, size=PAGE_SIZE)
        if access.programme_staff or access.superuser
        else (None, 0)
    )
    return render(
        request,
        "alumni/home.html",
        {
            "alumnus": alumnus,
            "form": form,
            "region_form": region_form,
            "businesses": businesses,
            "to_verify": selectors.alumni_to_verify(user=user),
            "my_alumni": selectors.alumni_of_my_pesantren(user=user)[:50],
            "collaborations": selectors.collaborations_for(user=user),
            "report_queue": report_queue,
            "reports_more": reports_more,
            "admin_pesantren": santri_selectors.admin_pesantren(user=user),
        },
    )


def _alumnus_region(request):
    """The registration's first step, from the query string (its GET form) or the posted form's hidden field:
    the form and the regency/city chosen, None until one is (a wrong code is the form's error, not a 500)."""
    source = request.POST if request.method == "POST" else request.GET
    region_form = AlumnusRegionForm(source if source.get("kabupaten_kota") else None)
    region = region_form.cleaned_data["kabupaten_kota"] if region_form.is_bound and region_form.is_valid() else None
    return region_form, region


@login_required
@require_POST
def alumnus_review(request, pk):
    alumnus = selectors.alumnus_get_for_admin(user=request.user, pk=pk)
    review_post(request, partial(services.alumnus_verify, user=request.user, alumnus=alumnus), success=_("Saved."))
    return redirect("alumni:home")


@login_required
def graduate(request, santri_pk):
    """Turn a santri into an alumnus: the registry's data is reused, only an e-mail is asked."""
    santri = santri_selectors.santri_get(user=request.user, pk=santri_pk)
    from pesantren.services import is_pesantren_admin

    require(is_pesantren_admin(user=request.user, pesantren=santri.pesantren))
    form = GraduateForm(request.POST or None, initial={"graduation_year": timezone.localdate().year})
    if form_saved(
        request,
        form,
        lambda data: services.alumnus_from_santri(user=request.user, santri=santri, **data),
        success=_("%(name)s is now an alumnus.") % {"name": santri.name},
    ):
        return redirect("santri:detail", santri.pk)
    return render(request, "alumni/graduate_form.html", {"form": form, "santri": santri})


@login_required
def business_create(request):
    form = BusinessForm(request.POST or None)
    if business := form_saved(
        request,
        form,
        lambda data: services.business_create(user=request.user, **data),
        success=_("Business registered."),
    ):
        return redirect("alumni:business_detail", business.pk)
    return render(request, "alumni/business_form.html", {"form": form})


@login_required
def business_detail(request, pk):
    business = selectors.business_get(user=request.user, pk=pk)
    return render(
        request,
        "alumni/business_detail.html",
        {
            "business": business,
            "is_member": services.is_business_member(user=request.user, business=business),
            "is_staff": is_programme_staff_for_region(user=request.user, kabupaten_kota_id=business.kabupaten_kota_id),
            **selectors.business_file(business=business),
        },
    )


@login_required
def report_create(request, pk):
    business = selectors.business_get(user=request.user, pk=pk)
    require(services.is_business_member(user=request.user, business=business))
    last_month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    form = ReportForm(request.POST or None, initial={"month": last_month, "workers": business.workers})
    if form_saved(
        request,
        form,
        lambda data: services.report_submit(user=request.user, business=business, **data),
        success=_("Report submitted."),
    ):
        return redirect("alumni:business_detail", business.pk)
    return render(request, "alumni/report_form.html", {"form": form, "business": business})


@login_required
def report_correct(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    require(services.is_business_member(user=request.user, business=report.business))
    form = ReportCorrectForm(request.POST or None, initial={"omzet": report.omzet, "workers": report.workers})
    if form_saved(
        request,
        form,
        lambda data: services.report_correct(user=request.user, report=report, **data),
        success=_("Correction saved as a new revision."),
    ):
        return redirect("alumni:business_detail", report.business_id)
    return render(request, "alumni/report_form.html", {"form": form, "business": report.business, "report": report})


report_review = report_review_view(
    report_get=selectors.report_get,
    review=services.report_review,
    success=gettext_lazy("Saved."),
    redirect_to=lambda report: reverse("alumni:business_detail", args=[report.business_id]),
)


@login_required
def collaboration_propose(request):
    """A business proposes to a pesantren, or a pesantren admin to a business."""
    mine = selectors.business_list(user=request.user).filter(
        organisation_id__in=access_for(request.user).organisation_ids(roles=("owner", "staff"))
    )
    admin_pesantren = santri_selectors.admin_pesantren(user=request.user)
    if mine.exists():
        businesses, pesantren = mine, Pesantren.objects.filter(status__in=["verified", "active"]).order_by("name")
    elif admin_pesantren.exists():
        businesses, pesantren = selectors.businesses_open_to_collaboration(), admin_pesantren
    else:
        raise PermissionDenied
    form = CollaborationForm(request.POST or None, businesses=businesses, pesantren=pesantren)
    if form_saved(
        request,
        form,
        lambda data: services.collaboration_propose(user=request.user, **data),
        success=_("Proposed. The other side must confirm."),
    ):
        return redirect("alumni:home")
    return render(request, "alumni/collaboration_form.html", {"form": form})


@login_required
@require_POST
def collaboration_respond(request, pk):
    collaboration = selectors.collaboration_get(user=request.user, pk=pk)
    try:
        services.collaboration_respond(
            user=request.user, collaboration=collaboration, accept=request.POST.get("accept") == "1"
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("alumni:home")


__all__ = ["AlumniBusiness"]
