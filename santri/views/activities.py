"""Programme activities: event list, creation (staff), registration (admins), attendance, certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.permissions import access_for
from opop.services import DomainError
from pesantren.services import is_programme_staff
from santri import selectors, services
from santri.forms import EventForm, RegistrationForm
from santri.models import Registration, Santri
from santri.views.common import form_error, require


@login_required
def event_list(request):
    return render(
        request,
        "santri/event_list.html",
        {"events": selectors.event_list(user=request.user), "is_staff": is_programme_staff(request.user)},
    )


@login_required
def event_create(request):
    require(is_programme_staff(request.user))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        invited = fields.pop("invited_pesantren")
        try:
            event = services.event_create(user=request.user, invited_pesantren=invited, **fields)
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        except PermissionDenied:
            form.add_error("kabupaten_kota", _("You can only create events in your own regency/city."))
        else:
            messages.success(request, _("Event created."))
            return redirect("santri:event_detail", event.pk)
    return render(request, "santri/event_form.html", {"form": form})


@login_required
def event_detail(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    access = access_for(request.user)
    own_santri = Santri.objects.filter(
        pesantren__organisation_id__in=access.organisation_ids(roles=("owner", "staff")), status="active"
    ).select_related("pesantren")
    form = RegistrationForm(request.POST or None, santri_qs=own_santri)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_create(user=request.user, event=event, santri=form.cleaned_data["santri"])
        except DomainError as exc:
            form.add_error("santri", str(exc))
        else:
            messages.success(request, _("Registered."))
            return redirect("santri:event_detail", event.pk)
    return render(
        request,
        "santri/event_detail.html",
        {
            "event": event,
            "registrations": selectors.event_registrations(user=request.user, event=event),
            "form": form if own_santri.exists() else None,
            "can_mark": access.superuser
            or (access.programme_staff and access.region in (None, event.kabupaten_kota_id)),
            "invited": event.invited_pesantren.all(),
        },
    )


@login_required
@require_POST
def attendance(request, pk):
    registration = selectors.registration_get(user=request.user, pk=pk)
    try:
        services.attendance_mark(
            user=request.user, registration=registration, attended=request.POST.get("attended") == "1"
        )
    except (ValidationError, DomainError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("santri:event_detail", registration.event_id)


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = selectors.registration_get(user=request.user, pk=pk)
    try:
        services.registration_cancel(user=request.user, registration=registration)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("santri:event_detail", registration.event_id)


@login_required
def certificate(request, pk):
    """Printable certificate of attendance; only for a registration marked as attended."""
    registration = selectors.registration_get(user=request.user, pk=pk)
    if not registration.attended:
        messages.error(request, _("A certificate is issued once attendance is recorded."))
        return redirect("santri:event_detail", registration.event_id)
    return render(request, "santri/certificate.html", {"registration": registration})


__all__ = ["Registration"]
