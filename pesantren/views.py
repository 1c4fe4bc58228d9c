from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.seller.sales import month_sales
from opop.exports import export_response, rows_table
from opop.models import KabupatenKota
from opop.permissions import access_for
from opop.ratelimit import rate_limited
from opop.reviewed_reports import ReviewForm, report_review_view
from opop.services import DomainError
from opop.web import form_saved, qr_svg, rendered_rows, require
from pesantren import selectors, services
from pesantren.filters import PesantrenFilter
from pesantren.forms import (
    BusinessUnitForm,
    CollaboratorsForm,
    MappingForm,
    MentoringForm,
    PartnerForm,
    PesantrenForm,
    ReportCorrectForm,
    ReportForm,
    TransitionForm,
    default_report_month,
    profile_values,
)
from pesantren.models import Aspect, Pesantren

LIST_PAGE_SIZE = 50


# --- pesantren admin ----------------------------------------------------------------------------


@login_required
def my_pesantren(request):
    return render(
        request,
        "pesantren/pesantren_mine.html",
        {
            "pesantren_list": selectors.pesantren_for_member(user=request.user),
            "unregistered": selectors.unregistered_organisations(user=request.user),
        },
    )


@login_required
def register(request):
    organisation = None
    if request.GET.get("organisation"):
        organisation = get_object_or_404(
            selectors.unregistered_organisations(user=request.user), pk=request.GET["organisation"]
        )
    initial = {"name": organisation.name, "alamat_kabupaten": organisation.kabupaten_kota_id} if organisation else {}
    form = PesantrenForm(request.POST or None, request.FILES or None, initial=initial)
    if pesantren := form_saved(
        request,
        form,
        lambda data: services.pesantren_register(user=request.user, organisation=organisation, **profile_values(form)),
        success=_("Your pesantren is registered. Submit it for verification when ready."),
    ):
        return redirect("pesantren:detail", pesantren.pk)
    return render(request, "pesantren/pesantren_form.html", {"form": form, "organisation": organisation})


@login_required
def edit(request, pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    user = request.user
    require(
        services.is_pesantren_owner(user=user, pesantren=pesantren)
        or services.is_programme_staff_for(user=user, pesantren=pesantren)
    )
    form = PesantrenForm(request.POST or None, request.FILES or None, instance=pesantren)

    def save(data):
        values = profile_values(form)
        pesantren.refresh_from_db()  # the form wrote onto the instance; the service compares with the stored row
        return services.pesantren_update(user=request.user, pesantren=pesantren, **values)

    if form_saved(request, form, save, success=_("The profile is saved.")):
        return redirect("pesantren:detail", pesantren.pk)
    return _form_page(request, "pesantren/pesantren_form.html", form, pesantren)


def _form_page(request, template: str, form, pesantren: Pesantren, **context):
    """A pesantren's form page (layouts/form_page.html): Cancel goes back to the pesantren's file."""
    cancel_url = reverse("pesantren:detail", args=[pesantren.pk])
    return render(request, template, {"form": form, "pesantren": pesantren, "cancel_url": cancel_url, **context})


@login_required
def detail(request, pk):
    """The full file: profile, lifecycle, units, mapping history, mentoring, reports with revisions."""
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    is_admin = services.is_pesantren_admin(user=request.user, pesantren=pesantren)
    is_staff = services.is_programme_staff_for(user=request.user, pesantren=pesantren)
    transitions = [
        (status, Pesantren.Status(status).label)
        for status in services.allowed_transitions(user=request.user, pesantren=pesantren)
    ]
    return render(
        request,
        "pesantren/pesantren_detail.html",
        {
            "pesantren": pesantren,
            "is_admin": is_admin,
            "is_owner": services.is_pesantren_owner(user=request.user, pesantren=pesantren),
            "is_staff": is_staff,
            "transitions": transitions,
            "reason_required": services.REASON_REQUIRED,
            "aspects": Aspect.choices,
            "collaborators_form": CollaboratorsForm(initial={"partners": pesantren.collaborators.all()}),
            **selectors.pesantren_file(pesantren=pesantren),
        },
    )


@login_required
@require_POST
def transition(request, pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That status change is not possible."))
        return redirect("pesantren:detail", pesantren.pk)
    try:
        services.pesantren_transition(
            user=request.user,
            pesantren=pesantren,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            cohort=form.cleaned_data["cohort"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The status is changed and the pesantren's admins are told by e-mail."))
    return redirect("pesantren:detail", pesantren.pk)


@login_required
def unit_form(request, pk=None, unit_pk=None):
    unit = selectors.unit_get(user=request.user, pk=unit_pk) if unit_pk else None
    pesantren = unit.pesantren if unit else selectors.pesantren_get(user=request.user, pk=pk)
    require(services.is_pesantren_owner(user=request.user, pesantren=pesantren))
    form = BusinessUnitForm(request.POST or None, instance=unit)

    def save(data):
        if unit is not None:
            unit.refresh_from_db()
        return services.business_unit_save(user=request.user, pesantren=pesantren, unit=unit, **data)

    if form_saved(request, form, save, success=_("The business unit is saved.")):
        return redirect("pesantren:detail", pesantren.pk)
    return _form_page(request, "pesantren/businessunit_form.html", form, pesantren, unit=unit)


@login_required
@require_POST
def collaborators(request, pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    form = CollaboratorsForm(request.POST)
    if form.is_valid():
        try:
            services.collaborators_set(user=request.user, pesantren=pesantren, partners=form.cleaned_data["partners"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The collaborating partners are saved."))
    return redirect("pesantren:detail", pesantren.pk)


@login_required
def mapping_create(request, pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    require(services.is_programme_staff_for(user=request.user, pesantren=pesantren))
    form = MappingForm(request.POST or None)
    if form_saved(
        request,
        form,
        lambda data: services.mapping_record(
            user=request.user,
            pesantren=pesantren,
            assessed_on=data["assessed_on"],
            scores=form.scores(),
            notes=form.notes(),
        ),
        success=_("The potential mapping is recorded."),
    ):
        return redirect("pesantren:detail", pesantren.pk)
    return _form_page(request, "pesantren/potentialmapping_form.html", form, pesantren)


@login_required
def mentoring_create(request, pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    require(services.is_programme_staff_for(user=request.user, pesantren=pesantren))
    form = MentoringForm(request.POST or None, initial={"mentor": request.user.pk})
    if form_saved(
        request,
        form,
        lambda data: services.mentoring_record(user=request.user, pesantren=pesantren, **data),
        success=_("The mentoring session is logged."),
    ):
        return redirect("pesantren:detail", pesantren.pk)
    return _form_page(request, "pesantren/mentoringsession_form.html", form, pesantren)


@login_required
def report_create(request, pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    require(services.is_pesantren_admin(user=request.user, pesantren=pesantren))
    month = _month_param(request.GET.get("month")) or default_report_month()
    mart = month_sales(organisation_id=pesantren.organisation_id, month=month)
    form = ReportForm(request.POST or None, pesantren=pesantren, month=month, mart_revenue=mart["revenue"])
    if report := form_saved(
        request,
        form,
        lambda data: services.report_submit(
            user=request.user,
            pesantren=pesantren,
            month=data["month"],
            business_unit=data["business_unit"],
            **form.figures(),
        ),
        success=_("The report is submitted to Diskop UKM."),
    ):
        return redirect("pesantren:report_detail", report.pk)
    return _form_page(request, "pesantren/monthlyreport_form.html", form, pesantren, mart=mart, mart_month=month)


def _month_param(value: str | None):
    """`?month=2026-10` → 1 Oct 2026; anything else → None."""
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


@login_required
def report_detail(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    return render(
        request,
        "pesantren/monthlyreport_detail.html",
        {
            "report": report,
            "pesantren": report.pesantren,
            "revisions": report.revisions.select_related("created_by").order_by("-number"),
            "is_admin": services.is_pesantren_admin(user=request.user, pesantren=report.pesantren),
            "is_staff": services.is_programme_staff_for(user=request.user, pesantren=report.pesantren),
            "review_form": ReviewForm(),
        },
    )


@login_required
def report_correct(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    require(services.is_pesantren_admin(user=request.user, pesantren=report.pesantren))
    form = ReportCorrectForm.for_report(report, request.POST or None)
    if form_saved(
        request,
        form,
        lambda data: services.report_correct(user=request.user, report=report, reason=data["reason"], **form.figures()),
        success=_("The correction is saved as a new revision and sent for verification."),
    ):
        return redirect("pesantren:report_detail", report.pk)
    return _form_page(request, "pesantren/monthlyreport_correct.html", form, report.pesantren, report=report)


report_review = report_review_view(
    report_get=selectors.report_get,
    review=services.report_review,
    success=gettext_lazy("The report is reviewed."),
    redirect_to=lambda report: reverse("pesantren:report_detail", args=[report.pk]),
)


@login_required
def card(request, pk):
    """The printable Kartu OPOP of a verified pesantren, with a QR code to its verification page."""
    pesantren = selectors.pesantren_get(user=request.user, pk=pk)
    if not pesantren.card_number:
        raise PermissionDenied
    verify_url = request.build_absolute_uri(pesantren_card_url(pesantren))
    return render(
        request,
        "pesantren/card.html",
        {"pesantren": pesantren, "verify_url": verify_url, "qr_svg": mark_safe(qr_svg(verify_url))},  # noqa: S308 - generated by qrcode
    )


def pesantren_card_url(pesantren: Pesantren) -> str:
    return reverse("pesantren:card_verify", args=[pesantren.card_token])


# --- public -------------------------------------------------------------------------------------


def directory(request):
    """Verified and active pesantren for the public, by regency/city."""
    region = request.GET.get("kabupaten_kota") or None
    page = Paginator(selectors.public_pesantren_list(kabupaten_kota=region), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pesantren/pesantren_directory.html",
        {
            "page": page,
            "regions": KabupatenKota.objects.all(),
            "region": region,
        },
    )


def public_profile(request, slug):
    pesantren = selectors.public_pesantren_get(slug=slug)
    return render(
        request,
        "pesantren/pesantren_public.html",
        {
            "pesantren": pesantren,
            "units": selectors.public_units(pesantren=pesantren),
            "collaborators": pesantren.collaborators.all(),
        },
    )


@rate_limited("public_check")
def card_verify(request, token):
    pesantren = selectors.card_get(token=token)
    return render(request, "pesantren/card_verify.html", {"pesantren": pesantren})


# --- Diskop UKM staff ---------------------------------------------------------------------------


def _staff_filter(request) -> PesantrenFilter:
    require(services.is_programme_staff(user=request.user))
    return PesantrenFilter(request.GET or None, queryset=selectors.pesantren_list(user=request.user))


@login_required
def staff_list(request):
    pesantren_filter = _staff_filter(request)
    page = Paginator(pesantren_filter.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.staff_list_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pesantren/pesantren_list.html",
        {
            "filter": pesantren_filter,
            "page": page,
            "rows": rendered_rows("pesantren/_staff_row.html", page.object_list),
            "query": query.urlencode(),
        },
    )


EXPORT_COLUMNS = [
    ("nspp", "NSPP"),
    ("name", "Nama"),
    ("kabupaten_kota", "Kabupaten/kota"),
    ("kecamatan", "Kecamatan"),
    ("desa", "Desa/kelurahan"),
    ("cohort", "Angkatan"),
    ("status", "Status"),
    ("pengasuh", "Pengasuh"),
    ("santri_count", "Jumlah santri"),
    ("flagship_product", "Produk unggulan"),
    *[(f"latest_{aspect}", f"Skor {aspect}") for aspect in Aspect.values],
    ("reported_this_month", "Lapor bulan ini"),
]


@login_required
def staff_export(request):
    """CSV of the filtered list (the same filters and scope as the page). Every export is audited."""
    pesantren_filter = _staff_filter(request)
    applied = pesantren_filter.applied() if pesantren_filter.is_bound and pesantren_filter.form.is_valid() else {}

    def values(pesantren):
        for field, _label in EXPORT_COLUMNS:
            value = getattr(pesantren, field)
            if field == "kabupaten_kota":
                value = pesantren.kabupaten_kota.label
            elif field == "reported_this_month":
                value = "ya" if value else "tidak"
            yield value

    return export_response(
        tables=rows_table(
            slug="pesantren",
            labels=[label for _field, label in EXPORT_COLUMNS],
            rows=(list(values(pesantren)) for pesantren in pesantren_filter.qs),
        ),
        file_format="csv",
        actor=request.user,
        dataset="pesantren",
        filename="pesantren-opop",
        region=access_for(request.user).region,
        filters=applied,
    )


QUEUE_LISTS = ("pesantren", "reports")


@login_required
def verification_queue(request):
    """Pesantren waiting for verification and reports waiting for review, oldest first, each list counted. The
    first tab shows the oldest 50 of both; the tab of one list (`?tab=pesantren`, `?tab=reports`) pages it, 50 a
    page."""
    require(services.is_programme_staff(user=request.user))
    queues = selectors.verification_queue(user=request.user)
    tab = request.GET.get("tab")
    page = None
    if tab in QUEUE_LISTS:
        page = Paginator(queues[tab], LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = {tab: page.object_list}
        counts = {name: page.paginator.count if name == tab else queues[name].count() for name in QUEUE_LISTS}
    else:
        tab = "all"
        rows = {name: queues[name][:LIST_PAGE_SIZE] for name in QUEUE_LISTS}
        counts = {name: queues[name].count() for name in QUEUE_LISTS}
    rows = {name: selectors.verification_queue_rows(name=name, rows=part) for name, part in rows.items()}
    if page is not None:
        page.object_list = rows[tab]
    return render(
        request,
        "pesantren/verification_queue.html",
        {"tab": tab, "page": page, "counts": counts, **rows},
    )


@login_required
def partners(request):
    require(services.is_programme_staff(user=request.user))
    form = PartnerForm(request.POST or None)
    if form_saved(
        request,
        form,
        lambda data: services.partner_create(user=request.user, **data),
        success=_("The partner is added."),
    ):
        return redirect("pesantren:partners")
    return render(request, "pesantren/partner_list.html", {"form": form, "partners": selectors.partner_list()})
