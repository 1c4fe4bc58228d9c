import io
import zipfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET, require_POST

from opop import privacy, selectors, wilayah
from opop.exports import write_csv
from opop.filters import OrganisationFilter
from opop.formatting import format_date
from opop.forms import DeletionRequestForm, ProfileForm
from opop.health import run_checks
from opop.models import DeletionRequest
from opop.permissions import access_for
from opop.readiness import pending_migrations
from opop.services import DomainError
from opop.tables import Column, Table

ORGANISATION_PAGE_SIZE = 50


def home(request):
    return render(request, "opop/home.html", {"kabupaten_kota_count": selectors.kabupaten_kota_list().count()})


@never_cache
@require_GET
def healthz(request):
    """Liveness and monitoring: 200 "ok", 200 "degraded" (cache or broker down, the portal still serves;
    `failing` names them), 503 "error" (the database is down)."""
    status, report = run_checks()
    return JsonResponse({"status": status, **report}, status=503 if status == "error" else 200)


@never_cache
@require_GET
def readyz(request):
    """For the load balancer: 503 until the database answers and every migration is applied. A node whose
    cache or broker is down stays in rotation ("degraded"): those are shared, so every node has the same
    problem, and the portal still takes orders without them."""
    status, report = run_checks()
    pending = pending_migrations() if report.get("database") == "ok" else []
    ready = status != "error" and not pending
    body = {"status": "ready" if ready else "not ready", "health": status, **report, "pending_migrations": pending}
    return JsonResponse(body, status=200 if ready else 503)


@login_required
def organisation_list(request):
    """The organisations the user may see, filtered by name, kind and regency/city, 50 a page."""
    organisation_filter = OrganisationFilter(
        request.GET or None, queryset=selectors.organisation_list_for_user(user=request.user)
    )
    page = Paginator(organisation_filter.qs, ORGANISATION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "opop/organisation_list.html",
        {
            "filter": organisation_filter,
            "page": page,
            "organisations": page.object_list,
            "filtered": any(request.GET.get(name) for name in organisation_filter.filters),
            "access": access_for(request.user),
        },
    )


@login_required
def organisation_detail(request, slug):
    organisation = selectors.organisation_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "opop/organisation_detail.html",
        {"organisation": organisation, "memberships": selectors.membership_list(organisation=organisation)},
    )


# --- the person's own account: profile, their data, deletion; the privacy notice ---------------------


@login_required
def profile(request):
    """Display name and phone, the download of one's own data, and the deletion request."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("opop:profile")
    pending = request.user.deletion_requests.filter(status=DeletionRequest.Status.PENDING).first()
    return render(
        request,
        "opop/profile.html",
        {"form": form, "pending_deletion": pending, "deletion_form": DeletionRequestForm()},
    )


@never_cache
@login_required
@require_GET
def data_export(request):
    """The person's own data as JSON (`?format=zip`: one CSV per section in a zip). Audited."""
    as_zip = request.GET.get("format") == "zip"
    data = privacy.user_data_export(user=request.user, file_format="zip" if as_zip else "json")
    stamp = timezone.localdate().isoformat()
    if as_zip:
        response = HttpResponse(personal_data_zip(data), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="data-pribadi-opop-{stamp}.zip"'
        return response
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-opop-{stamp}.json"'
    return response


def personal_data_zip(data: dict) -> bytes:
    """One CSV per list section (orders flattened to one row per line), plus profile.csv; UTF-8 with BOM."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        sections = {"profile": [data["profile"]]}
        for key, value in data.items():
            if not isinstance(value, list):
                continue
            if key == "orders":
                value = [
                    {**{k: v for k, v in order.items() if k != "lines"}, **{f"line_{k}": v for k, v in line.items()}}
                    for order in value
                    for line in order["lines"] or [{}]
                ]
            sections[key] = value
        for key, rows in sections.items():
            text = io.StringIO()
            columns = [Column(name, name, "text") for name in dict.fromkeys(column for row in rows for column in row)]
            write_csv(text, [Table(slug=key, title=key, columns=columns, rows=rows)])
            archive.writestr(f"{key}.csv", text.getvalue())
    return buffer.getvalue()


@login_required
@require_POST
def deletion_request(request):
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you want your account deleted."))
        return redirect("opop:profile")
    try:
        created = privacy.deletion_request_create(user=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Your request is received. Diskop UKM processes it by %(date)s; until then you can withdraw it.")
            % {"date": format_date(created.due_at, get_language() or "id")},
        )
    return redirect("opop:profile")


@login_required
@require_POST
def deletion_withdraw(request):
    pending = request.user.deletion_requests.filter(status=DeletionRequest.Status.PENDING).first()
    if pending is None:
        raise Http404
    try:
        privacy.deletion_request_withdraw(user=request.user, request=pending)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your deletion request is withdrawn."))
    return redirect("opop:profile")


def privacy_notice(request):
    return render(
        request,
        "opop/privacy_notice.html",
        {"deadline_days": settings.PRIVACY_DELETION_DEADLINE_DAYS, "contact_email": settings.PRIVACY_CONTACT_EMAIL},
    )


@login_required
def deletion_queue(request):
    if not privacy.can_process_deletions(user=request.user):
        raise PermissionDenied
    page = Paginator(privacy.deletion_queue(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "opop/deletion_queue.html", {"page": page, "now": timezone.now()})


@login_required
@require_POST
def deletion_process(request, pk):
    if not privacy.can_process_deletions(user=request.user):
        raise PermissionDenied
    deletion = get_object_or_404(privacy.deletion_queue(user=request.user), pk=pk)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Confirm the erasure first."))
        return redirect("opop:deletion_queue")
    try:
        privacy.user_erase(actor=request.user, request=deletion)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Request #%(pk)s is processed: the account is erased.") % {"pk": deletion.pk})
    return redirect("opop:deletion_queue")


def _wilayah_etag(request, kode):
    return f"{wilayah.DATA_VERSION}:{kode}"


@require_GET
@condition(etag_func=_wilayah_etag)
def wilayah_children(request, kode):
    """The regions directly under `kode` (a province's kabupaten/kota, a kabupaten's kecamatan, a kecamatan's
    desa/kelurahan with postal codes) for the address widget's script. The data changes only with a release, so
    browsers and proxies may keep it for a day and revalidate by ETag."""
    parent = wilayah.get(kode)
    if parent is None:
        return JsonResponse({"error": _("Unknown region code.")}, status=404)
    rows = wilayah.children(kode).values_list("kode", "nama", "kodepos")
    response = JsonResponse(
        {
            "kode": parent.kode,
            "nama": parent.nama,
            "tingkat": parent.tingkat,
            "anak": [{"kode": k, "nama": n, "kodepos": p} for k, n, p in rows],
        },
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    patch_cache_control(response, public=True, max_age=86400)
    return response
