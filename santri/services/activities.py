"""Programme activities: events, registration (quota enforced under a row lock), attendance."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.models import User
from opop.services import DomainError, audit_record
from pesantren.services import is_pesantren_admin, is_programme_staff, is_programme_staff_for
from santri.models import Event, Registration, Santri


def _require_event_staff(user: User, event: Event | None = None, kabupaten_kota_id: str | None = None) -> None:
    from opop.permissions import access_for

    access = access_for(user)
    if access.superuser:
        return
    region = event.kabupaten_kota_id if event is not None else kabupaten_kota_id
    if not (access.programme_staff and access.region in (None, region)):
        raise PermissionDenied


@transaction.atomic
def event_create(*, user: User, invited_pesantren=(), invited_santri=(), **fields) -> Event:
    """Staff create an event (regional staff only in their own regency/city)."""
    if not is_programme_staff(user):
        raise PermissionDenied
    event = Event(created_by=user, **fields)
    event.full_clean()
    _require_event_staff(user, kabupaten_kota_id=event.kabupaten_kota_id)
    event.save()
    event.invited_pesantren.set(invited_pesantren)
    event.invited_santri.set(invited_santri)
    audit_record(actor=user, action="santri.event_created", target=event, data={"title": event.title})
    return event


def santri_may_join(event: Event, santri: Santri) -> bool:
    """Open events take anyone; otherwise the santri or their pesantren must be invited."""
    invited_p = set(event.invited_pesantren.values_list("pk", flat=True))
    invited_s = set(event.invited_santri.values_list("pk", flat=True))
    if not invited_p and not invited_s:
        return True
    return santri.pesantren_id in invited_p or santri.pk in invited_s


@transaction.atomic
def registration_create(*, user: User, event: Event, santri: Santri) -> Registration:
    """A pesantren admin registers one of its active santri. The event row is locked while the
    quota is counted, so two admins cannot both take the last place."""
    if not is_pesantren_admin(user, santri.pesantren):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.ends_on < timezone.localdate():
        raise DomainError(_("This event is over; registration is closed."))
    if santri.status != Santri.Status.ACTIVE:
        raise DomainError(_("Only active santri can be registered."))
    if not santri_may_join(event, santri):
        raise DomainError(_("This event is by invitation, and this santri's pesantren is not invited."))
    if Registration.objects.filter(event=event, santri=santri).exists():
        raise DomainError(_("%(name)s is already registered.") % {"name": santri.name})
    if Registration.objects.filter(event=event).count() >= event.quota:
        raise DomainError(_("The event is full (quota %(quota)s).") % {"quota": event.quota})
    try:
        with transaction.atomic():
            registration = Registration.objects.create(event=event, santri=santri, registered_by=user)
    except IntegrityError:
        raise DomainError(_("%(name)s is already registered.") % {"name": santri.name}) from None
    audit_record(
        actor=user,
        action="santri.event_registered",
        organisation=santri.pesantren.organisation,
        target=registration,
    )
    return registration


@transaction.atomic
def registration_cancel(*, user: User, registration: Registration) -> None:
    if not is_pesantren_admin(user, registration.santri.pesantren):
        raise PermissionDenied
    if registration.attended:
        raise DomainError(_("Attendance is already recorded; the registration stays."))
    registration.delete()


@transaction.atomic
def attendance_mark(*, user: User, registration: Registration, attended: bool) -> Registration:
    """Staff of the event's region mark who came. Attending a track event completes the track."""
    event = registration.event
    _require_event_staff(user, event)
    if not is_programme_staff_for(user, registration.santri.pesantren) and not _covers(user, event):
        raise PermissionDenied
    if event.starts_on > timezone.localdate():
        raise ValidationError(_("Attendance can be marked once the event has started."))
    registration.attended = attended
    registration.attendance_marked_at = timezone.now() if attended else None
    registration.save(update_fields=["attended", "attendance_marked_at"])
    if attended and event.completes_track:
        from santri.services.registry import santripreneur_mark

        santri = registration.santri
        if santri.track_completed_on is None:
            Santri.objects.filter(pk=santri.pk).update(track_completed_on=event.ends_on)
        santripreneur_mark(santri_ids=[santri.pk], when=event.ends_on, pesantren=santri.pesantren)
    audit_record(
        actor=user,
        action="santri.attendance_marked",
        target=registration,
        data={"attended": attended},
    )
    return registration


def _covers(user: User, event: Event) -> bool:
    from opop.permissions import access_for

    access = access_for(user)
    return access.superuser or (access.programme_staff and access.region in (None, event.kabupaten_kota_id))
