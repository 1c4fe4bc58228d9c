"""Programme activities: event list, creation (staff), registration (admins), attendance, certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opop.permissions import access_for
from opop.services import DomainError
from pesantren.services import is_programme_staff
from santri import selectors, services
from santri.forms import EventForm, RegistrationForm
from santri.models import Event, Registration, Santri
from santri.views.common import form_error, form_saved, qr_svg, require


@login_required
def event_list(request):
    return render(
        request,
        "santri/event_list.html",
        {"events": selectors.event_list(user=request.user), "is_staff": is_programme_staff(user=request.user)},
    )


@login_required
def event_create(request):
    require(is_programme_staff(user=request.user))
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


def _manages(access, event) -> bool:
    return access.superuser or (access.programme_staff and access.region in (None, event.kabupaten_kota_id))


@login_required
def event_edit(request, pk):
    """The staff who manage an event change it; the quota cannot drop below the registrations."""
    event = selectors.event_get(user=request.user, pk=pk)
    require(_manages(access_for(request.user), event))
    form = EventForm(request.POST or None, instance=event)

    def save(data):
        fields = dict(data)
        invited = fields.pop("invited_pesantren")
        return services.event_update(user=request.user, event=event, invited_pesantren=invited, **fields)

    if form_saved(request, form, save, success=_("Event saved.")):
        return redirect("santri:event_detail", event.pk)
    return render(request, "santri/event_form.html", {"form": form, "event": event})


@login_required
def event_detail(request, pk):
    """A full event shows "Full" and the waiting list instead of the registration form."""
    event = selectors.event_get(user=request.user, pk=pk)
    access = access_for(request.user)
    own_santri = Santri.objects.filter(
        pesantren__organisation_id__in=access.organisation_ids(roles=("owner", "staff")), status="active"
    ).select_related("pesantren")
    full = services.event_is_full(event)
    form = RegistrationForm(request.POST or None, santri_qs=own_santri)
    if request.method == "POST" and form.is_valid():
        santri = form.cleaned_data["santri"]
        try:
            if full or request.POST.get("waiting") == "1":
                services.waiting_list_join(user=request.user, event=event, santri=santri)
                message = _("%(name)s is on the waiting list.") % {"name": santri.name}
            else:
                services.registration_create(user=request.user, event=event, santri=santri)
                message = _("Registered.")
        except DomainError as exc:
            form.add_error("santri", str(exc))
        else:
            messages.success(request, message)
            return redirect("santri:event_detail", event.pk)
    me = Santri.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    mine = {"registration": None, "waiting": None}
    if me is not None:
        mine["registration"] = event.registrations.filter(santri=me).first()
        mine["waiting"] = event.waiting_list.filter(santri=me).first()
        if mine["waiting"]:
            mine["position"] = services.waiting_position(mine["waiting"])
    return render(
        request,
        "santri/event_detail.html",
        {
            "event": event,
            "full": full,
            "open": event.ends_on >= timezone.localdate(),
            "registrations": selectors.event_registrations(user=request.user, event=event),
            "waiting_list": selectors.event_waiting_list(user=request.user, event=event),
            "form": form if own_santri.exists() else None,
            "can_mark": _manages(access, event),
            "me": me,
            "mine": mine,
            "invited": event.invited_pesantren.all(),
        },
    )


@login_required
@require_POST
def waiting_leave(request, pk):
    """An admin takes their santri off a waiting list."""
    entry = selectors.waiting_entry_get(user=request.user, pk=pk)
    services.waiting_list_leave(user=request.user, entry=entry)
    messages.success(request, _("Removed from the waiting list."))
    return redirect("santri:event_detail", entry.event_id)


@login_required
def event_booths(request, pk):
    """OPOP Expo: the booth plan by product category; staff (re)assign it with one POST."""
    event = selectors.event_get(user=request.user, pk=pk)
    require(_manages(access_for(request.user), event) and event.kind == Event.Kind.EXPO)
    if request.method == "POST":
        booths = services.expo_booths_assign(user=request.user, event=event)
        messages.success(request, _("%(count)s booths assigned.") % {"count": len(booths)})
        return redirect("santri:event_booths", event.pk)
    template = "santri/expo_floor_list.html" if request.GET.get("print") else "santri/expo_booths.html"
    return render(request, template, {"event": event, "booths": selectors.expo_booths(event=event)})


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
        promoted = services.registration_cancel(user=request.user, registration=registration)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration cancelled."))
        for moved in promoted:
            messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": moved.santri.name})
    return redirect("santri:event_detail", registration.event_id)


@login_required
def certificate(request, pk):
    """Printable certificate of attendance; only for a registration marked as attended."""
    registration = selectors.registration_get(user=request.user, pk=pk)
    if not registration.attended:
        messages.error(request, _("A certificate is issued once attendance is recorded."))
        return redirect("santri:event_detail", registration.event_id)
    return render_activity_certificate(request, registration)


def render_activity_certificate(request, registration: Registration):
    """The printable certificate of attendance with its number and a QR to the public check."""
    context = {"registration": registration}
    if registration.certificate_number:
        check_path = reverse("santri:certificate_check", args=[registration.certificate_number])
        check_url = request.build_absolute_uri(check_path)
        context |= {"check_url": check_url, "qr_svg": mark_safe(qr_svg(check_url))}  # noqa: S308 - generated by qrcode
    return render(request, "santri/certificate.html", context)


__all__ = ["Registration"]
