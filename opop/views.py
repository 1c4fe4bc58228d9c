from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from opop import selectors
from opop.health import run_checks
from opop.permissions import access_for
from opop.readiness import pending_migrations


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
    organisations = selectors.organisation_list_for_user(user=request.user)
    return render(
        request,
        "opop/organisation_list.html",
        {"organisations": organisations, "access": access_for(request.user)},
    )


@login_required
def organisation_detail(request, slug):
    organisation = selectors.organisation_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "opop/organisation_detail.html",
        {"organisation": organisation, "memberships": selectors.membership_list(organisation=organisation)},
    )
