"""Santri registry pages: list, edit, import, export, API tokens, Kartu Santri, businesses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.exports import export_response, rows_table
from opop.ratelimit import rate_limited
from opop.services import DomainError
from pesantren.services import is_pesantren_admin
from santri import selectors, services
from santri.cards import card_png
from santri.filters import PesantrenFilter
from santri.forms import ApiTokenForm, ImportForm, SantriBusinessForm, SantriForm
from santri.models import Santri
from santri.validation import HEADER_ID, santri_to_row
from santri.views.common import form_error, form_saved, qr_svg, require

PAGE_SIZE = 50


@login_required
def home(request):
    """Every pesantren whose santri the user may see, 50 a page with their santri counted, and the santripreneur
    counts per regency/city and per year (of all of them, whatever the filter)."""
    pesantren_filter = PesantrenFilter(request.GET or None, queryset=selectors.pesantren_list(user=request.user))
    page = Paginator(pesantren_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.pesantren_rows(page.object_list)
    return render(
        request,
        "santri/home.html",
        {"filter": pesantren_filter, "page": page, "figures": selectors.santripreneur_figures(user=request.user)},
    )


@login_required
def santri_list(request, pesantren_pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in Santri.Status.values else ""
    page = Paginator(selectors.santri_list(pesantren=pesantren, query=query, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "santri/santri_list.html",
        {
            "pesantren": pesantren,
            "page": page,
            "q": query,
            "status": status,
            "statuses": Santri.Status.choices,
            "is_admin": is_pesantren_admin(user=request.user, pesantren=pesantren),
            "imports": pesantren.santri_imports.select_related("created_by")[:5],
            "pending_consents": selectors.guardian_consents(pesantren=pesantren).filter(status="pending").count(),
        },
    )


@login_required
def santri_form(request, pesantren_pk=None, pk=None):
    santri = None
    if pk is not None:
        santri = selectors.santri_get(user=request.user, pk=pk)
        pesantren = santri.pesantren
    else:
        pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    require(is_pesantren_admin(user=request.user, pesantren=pesantren))
    data = request.POST if request.method == "POST" else None
    form = SantriForm.from_santri(santri, data) if santri else SantriForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.santri_save(user=request.user, pesantren=pesantren, santri=santri, **form.values())
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Santri %(name)s saved.") % {"name": saved.name})
            return redirect("santri:detail", saved.pk)
    return render(request, "santri/santri_form.html", {"form": form, "pesantren": pesantren, "santri": santri})


@login_required
def santri_detail(request, pk):
    """NIK and birth date are masked; the pesantren's admins show them with one POST to `santri_reveal`."""
    santri = selectors.santri_get(user=request.user, pk=pk)
    return _detail(request, santri, revealed=False)


@login_required
@require_POST
def santri_reveal(request, pk):
    """Show the full NIK and birth date once, on this response only; each reveal is an audit event."""
    santri = selectors.santri_get(user=request.user, pk=pk)
    services.santri_nik_reveal(user=request.user, santri=santri)
    response = _detail(request, santri, revealed=True)
    response["Cache-Control"] = "no-store"
    return response


def _detail(request, santri, *, revealed: bool):
    return render(
        request,
        "santri/santri_detail.html",
        {
            "santri": santri,
            "is_admin": is_pesantren_admin(user=request.user, pesantren=santri.pesantren),
            "revealed": revealed,
            "businesses": santri.businesses.all(),
            "registrations": santri.registrations.select_related("event"),
            "open_invitation": selectors.santri_open_invitation(santri=santri),
            "needs_guardian": services.santri_needs_guardian(santri),
        },
    )


@login_required
@require_POST
def santri_delete(request, pk):
    santri = selectors.santri_get(user=request.user, pk=pk)
    pesantren = santri.pesantren
    try:
        services.santri_delete(user=request.user, santri=santri)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("santri:detail", santri.pk)
    messages.success(request, _("Santri removed."))
    return redirect("santri:list", pesantren.pk)


@login_required
@require_POST
def track_complete(request, pk):
    from django.utils import timezone

    santri = selectors.santri_get(user=request.user, pk=pk)
    services.track_complete(user=request.user, santri=santri, completed_on=timezone.localdate())
    messages.success(request, _("%(name)s completed the entrepreneurship track.") % {"name": santri.name})
    return redirect("santri:detail", santri.pk)


# --- import and export ---------------------------------------------------------------------------


@login_required
def import_upload(request, pesantren_pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    require(is_pesantren_admin(user=request.user, pesantren=pesantren))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_preview(
                user=request.user, pesantren=pesantren, filename=upload.name, content=upload.read()
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            return redirect("santri:import_preview", batch.pk)
    return render(request, "santri/import_form.html", {"form": form, "pesantren": pesantren})


@login_required
def import_preview(request, pk):
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    return render(
        request,
        "santri/import_preview.html",
        {"batch": batch, "pesantren": batch.pesantren, "sample": batch.rows[:20], "errors": batch.errors},
    )


@login_required
@require_POST
def import_confirm(request, pk):
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    if request.POST.get("action") == "discard":
        services.import_discard(user=request.user, batch=batch)
        messages.info(request, _("The file was discarded; nothing was imported."))
        return redirect("santri:list", batch.pesantren_id)
    try:
        created, updated = services.import_confirm(user=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("santri:import_preview", batch.pk)
    messages.success(
        request, _("Imported: %(created)s new santri, %(updated)s updated.") % {"created": created, "updated": updated}
    )
    return redirect("santri:list", batch.pesantren_id)


@login_required
def export_csv(request, pesantren_pk):
    """The pesantren's santri as CSV, in the import's format (so it can be edited and re-imported)."""
    pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    require(is_pesantren_admin(user=request.user, pesantren=pesantren))
    return export_response(
        tables=rows_table(
            slug="santri",
            labels=HEADER_ID,
            rows=(
                santri_to_row(santri) for santri in selectors.santri_list(pesantren=pesantren).iterator(chunk_size=2000)
            ),
        ),
        file_format="csv",
        actor=request.user,
        dataset="santri",
        filename=f"santri-{pesantren.organisation.slug}",
        organisation=pesantren.organisation,
    )


# --- API tokens ----------------------------------------------------------------------------------


@login_required
def api_tokens(request, pesantren_pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    require(is_pesantren_admin(user=request.user, pesantren=pesantren))
    form = ApiTokenForm(request.POST or None)
    plain = None
    if request.method == "POST" and form.is_valid():
        _token, plain = services.api_token_create(
            user=request.user, pesantren=pesantren, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    response = render(
        request,
        "santri/api_tokens.html",
        {
            "pesantren": pesantren,
            "tokens": selectors.api_tokens(pesantren=pesantren),
            "form": form,
            "plain": plain,
            "endpoint": request.build_absolute_uri(reverse("santri:api_upsert")),
        },
    )
    response["Cache-Control"] = "no-store"  # the page that shows a token once must not be cached
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = selectors.api_token_get(user=request.user, pk=pk)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("santri:api_tokens", token.pesantren_id)


# --- Kartu Santri --------------------------------------------------------------------------------


@login_required
def card(request, pk):
    santri = selectors.santri_get(user=request.user, pk=pk)
    verify_url = request.build_absolute_uri(reverse("santri:card_verify", args=[santri.card_token]))
    return render(
        request,
        "santri/card.html",
        {"santri": santri, "verify_url": verify_url, "qr_svg": mark_safe(qr_svg(verify_url))},  # noqa: S308 - generated by qrcode
    )


@login_required
def card_download(request, pk):
    """The same card as a PNG file, to print or send."""
    santri = selectors.santri_get(user=request.user, pk=pk)
    verify_url = request.build_absolute_uri(reverse("santri:card_verify", args=[santri.card_token]))
    response = HttpResponse(card_png(santri, verify_url=verify_url), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="kartu-santri-{santri.card_number}.png"'
    return response


@rate_limited("public_check")
def card_verify(request, token):
    """Public: anyone scanning the QR sees the name, the pesantren and whether the card is valid."""
    santri = selectors.santri_for_card(token=token)
    return render(request, "santri/card_verify.html", {"santri": santri})


# --- businesses ----------------------------------------------------------------------------------


@login_required
def business_list(request, pesantren_pk):
    pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    return render(
        request,
        "santri/business_list.html",
        {
            "pesantren": pesantren,
            "businesses": selectors.businesses(pesantren=pesantren),
            "is_admin": is_pesantren_admin(user=request.user, pesantren=pesantren),
        },
    )


@login_required
def business_form(request, pesantren_pk=None, pk=None):
    business = None
    if pk is not None:
        business = selectors.business_get(user=request.user, pk=pk)
        pesantren = business.pesantren
    else:
        pesantren = selectors.pesantren_get(user=request.user, pk=pesantren_pk)
    require(is_pesantren_admin(user=request.user, pesantren=pesantren))
    initial = {}
    if business:
        initial = {
            "name": business.name,
            "sector": business.sector,
            "started_on": business.started_on,
            "monthly_omzet": business.monthly_omzet,
            "members": list(business.members.all()),
        }
    form = SantriBusinessForm(request.POST or None, initial=initial, pesantren=pesantren)

    def save(data):
        fields = dict(data)
        members = fields.pop("members")
        return services.santri_business_save(
            user=request.user, pesantren=pesantren, business=business, members=members, **fields
        )

    if form_saved(request, form, save, success=_("Santri business saved.")):
        return redirect("santri:business_list", pesantren.pk)
    return render(request, "santri/business_form.html", {"form": form, "pesantren": pesantren, "business": business})


@login_required
@require_POST
def business_store_open(request, pk):
    """The pesantren admin opens an OPOP Mart store for a santri business: its organisation first, then the form."""
    business = selectors.business_get(user=request.user, pk=pk)
    require(is_pesantren_admin(user=request.user, pesantren=business.pesantren))
    organisation = services.santri_business_organisation_open(user=request.user, business=business)
    request.user._opop_access = None  # the new membership counts from this request on
    return redirect("marketplace:seller_open", slug=organisation.slug)
