"""Programme activities: events, registration (quota enforced under a row lock), attendance."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.mail import send_mail_on_commit
from opop.models import User
from opop.services import DomainError, audit_record
from pesantren.services import is_pesantren_admin, is_programme_staff, is_programme_staff_for
from santri.certificate_numbers import ACTIVITY_SERIES
from santri.models import Event, ExpoBooth, Registration, Santri, SantriBusiness, WaitingListEntry
from santri.services.certificates import certificate_numbers_take


def _require_event_staff(user: User, event: Event | None = None, kabupaten_kota_id: str | None = None) -> None:
    from opop.permissions import is_programme_staff_for_region

    region = event.kabupaten_kota_id if event is not None else kabupaten_kota_id
    if not is_programme_staff_for_region(user=user, kabupaten_kota_id=region):
        raise PermissionDenied


@transaction.atomic
def event_create(*, user: User, invited_pesantren=(), invited_santri=(), **fields) -> Event:
    """Staff create an event (regional staff only in their own regency/city)."""
    if not is_programme_staff(user=user):
        raise PermissionDenied
    event = Event(created_by=user, **fields)
    event.full_clean()
    _require_event_staff(user, kabupaten_kota_id=event.kabupaten_kota_id)
    event.save()
    event.invited_pesantren.set(invited_pesantren)
    event.invited_santri.set(invited_santri)
    audit_record(actor=user, action="santri.event_created", target=event, data={"title": event.title})
    return event


EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_on",
    "ends_on",
    "place",
    "kabupaten_kota",
    "organiser",
    "partner",
    "quota",
    "completes_track",
)


@transaction.atomic
def event_update(*, user: User, event: Event, invited_pesantren=None, **fields) -> Event:
    """The staff who manage the event (its region's staff, province staff) change it after creation.

    The quota may not go below the confirmed registrations; a raised quota moves the waiting list up.
    The region may only move within what the staff member manages. Raises ValidationError per field."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_event_staff(user, event)
    unknown = set(fields) - set(EDITABLE_FIELDS) - {f"{name}_id" for name in EDITABLE_FIELDS}
    if unknown:
        raise ValueError(sorted(unknown))
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    try:
        _require_event_staff(user, kabupaten_kota_id=event.kabupaten_kota_id)
    except PermissionDenied:
        raise ValidationError({"kabupaten_kota": _("You can only hold events in your own regency/city.")}) from None
    confirmed = Registration.objects.filter(event=event).count()
    if event.quota < confirmed:
        raise ValidationError(
            {"quota": _("%(count)s santri are already registered; the quota cannot be lower.") % {"count": confirmed}}
        )
    attended = Registration.objects.filter(event=event, attended=True).exists()
    if attended and event.starts_on > timezone.localdate():
        raise ValidationError({"starts_on": _("Attendance is already recorded; the event cannot move to the future.")})
    event.save(update_fields=[*fields, "updated_at"])
    if invited_pesantren is not None:
        event.invited_pesantren.set(invited_pesantren)
    audit_record(actor=user, action="santri.event_updated", target=event, data={"fields": sorted(fields)})
    _promote_waiting(event=event)
    return event


def santri_may_join(event: Event, santri: Santri) -> bool:
    """Open events take anyone; otherwise the santri or their pesantren must be invited."""
    invited_p = set(event.invited_pesantren.values_list("pk", flat=True))
    invited_s = set(event.invited_santri.values_list("pk", flat=True))
    if not invited_p and not invited_s:
        return True
    return santri.pesantren_id in invited_p or santri.pk in invited_s


def _require_actor(user: User, santri: Santri) -> dict:
    """The santri themselves, or an admin of their pesantren acting on their behalf (returned as audit
    data, so every such write says for whom it was done)."""
    if user.is_authenticated and santri.user_id is not None and user.pk == santri.user_id:
        return {}
    if is_pesantren_admin(user=user, pesantren=santri.pesantren):
        return {"on_behalf_of": santri.pk}
    raise PermissionDenied


def event_is_full(event: Event) -> bool:
    """Uses the `registered` count the selectors annotate when there is one."""
    registered = getattr(event, "registered", None)
    if registered is None:
        registered = Registration.objects.filter(event=event).count()
    return registered >= event.quota


def _check_may_register(event: Event, santri: Santri) -> None:
    if event.ends_on < timezone.localdate():
        raise DomainError(_("This event is over; registration is closed."))
    if santri.status != Santri.Status.ACTIVE:
        raise DomainError(_("Only active santri can be registered."))
    if not santri_may_join(event, santri):
        raise DomainError(_("This event is by invitation, and this santri's pesantren is not invited."))
    if Registration.objects.filter(event=event, santri=santri).exists():
        raise DomainError(_("%(name)s is already registered.") % {"name": santri.name})


@transaction.atomic
def registration_create(*, user: User, event: Event, santri: Santri) -> Registration:
    """The santri registers themselves, or a pesantren admin registers one of its active santri (recorded
    as on the santri's behalf). The event row is locked while the quota is counted, so two people cannot
    both take the last place."""
    acting = _require_actor(user, santri)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_may_register(event, santri)
    if Registration.objects.filter(event=event).count() >= event.quota:
        raise DomainError(_("The event is full (quota %(quota)s).") % {"quota": event.quota})
    try:
        with transaction.atomic():
            registration = Registration.objects.create(event=event, santri=santri, registered_by=user)
    except IntegrityError:
        raise DomainError(_("%(name)s is already registered.") % {"name": santri.name}) from None
    WaitingListEntry.objects.filter(event=event, santri=santri).delete()
    audit_record(
        actor=user,
        action="santri.event_registered",
        organisation=santri.pesantren.organisation,
        target=registration,
        data=acting,
    )
    return registration


@transaction.atomic
def waiting_list_join(*, user: User, event: Event, santri: Santri) -> WaitingListEntry:
    """A full event takes names on its waiting list, first come first served."""
    acting = _require_actor(user, santri)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_may_register(event, santri)
    if Registration.objects.filter(event=event).count() < event.quota:
        raise DomainError(_("There are still places: register instead."))
    entry, created = WaitingListEntry.objects.get_or_create(event=event, santri=santri, defaults={"added_by": user})
    if not created:
        raise DomainError(_("%(name)s is already on the waiting list.") % {"name": santri.name})
    audit_record(
        actor=user,
        action="santri.event_waiting_list_joined",
        organisation=santri.pesantren.organisation,
        target=entry,
        data={"event": event.pk, **acting},
    )
    return entry


@transaction.atomic
def waiting_list_leave(*, user: User, entry: WaitingListEntry) -> None:
    acting = _require_actor(user, entry.santri)
    audit_record(
        actor=user,
        action="santri.event_waiting_list_left",
        organisation=entry.santri.pesantren.organisation,
        target=entry,
        data={"event": entry.event_id, **acting},
    )
    entry.delete()


def waiting_position(entry: WaitingListEntry) -> int:
    return (
        WaitingListEntry.objects.filter(event_id=entry.event_id)
        .filter(Q(joined_at__lt=entry.joined_at) | Q(joined_at=entry.joined_at, id__lt=entry.id))
        .count()
        + 1
    )


def _promote_waiting(*, event: Event) -> list[Registration]:
    """Fill free places from the head of the waiting list. Call inside the transaction that holds the
    event row lock; the promoted santri are told by e-mail after the commit."""
    promoted = []
    free = event.quota - Registration.objects.filter(event=event).count()
    if free <= 0 or event.ends_on < timezone.localdate():
        return promoted
    queue = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .filter(event=event)
        .select_related("santri", "santri__pesantren", "santri__pesantren__organisation", "santri__user")
        .order_by("joined_at", "id")[:free]
    )
    for entry in list(queue):
        santri = entry.santri
        registration = Registration.objects.create(event=event, santri=santri, registered_by=entry.added_by)
        entry.delete()
        promoted.append(registration)
        audit_record(
            actor=None,
            action="santri.event_waiting_list_promoted",
            organisation=santri.pesantren.organisation,
            target=registration,
            data={"on_behalf_of": santri.pk},
        )
        recipients = [u.email for u in (santri.user, entry.added_by) if u is not None and u.email]
        recipients = [r for r in dict.fromkeys(recipients) if not r.endswith(".invalid")]
        send_mail_on_commit(
            subject=_("[OPOP Jatim] A place at %(event)s") % {"event": event.title},
            body=_(
                "A place became free at %(event)s (%(dates)s, %(place)s) and %(name)s moved up from the "
                "waiting list: the registration is confirmed.\n"
            )
            % {
                "event": event.title,
                "dates": f"{event.starts_on:%d/%m/%Y} - {event.ends_on:%d/%m/%Y}",
                "place": event.place,
                "name": santri.name,
            },
            recipients=recipients,
        )
    return promoted


@transaction.atomic
def registration_cancel(*, user: User, registration: Registration) -> list[Registration]:
    """The santri or their admin cancels; the first on the waiting list takes the place (under the
    event row lock, so two cancellations cannot promote the same santri twice). Returns who moved up."""
    acting = _require_actor(user, registration.santri)
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_related("santri__pesantren__organisation").get(pk=registration.pk)
    if registration.attended:
        raise DomainError(_("Attendance is already recorded; the registration stays."))
    audit_record(
        actor=user,
        action="santri.event_registration_cancelled",
        organisation=registration.santri.pesantren.organisation,
        target=registration,
        data={"event": event.pk, **acting},
    )
    registration.delete()
    return _promote_waiting(event=event)


# --- OPOP Expo booths -------------------------------------------------------------------------------


def _zone_letter(index: int) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return letters[index] if index < len(letters) else f"Z{index - len(letters) + 1}"[:2]


@transaction.atomic
def expo_booths_assign(*, user: User, event: Event) -> list[ExpoBooth]:
    """Give each pesantren with santri registered at an OPOP Expo one booth, in zones by product category
    (the sector of the registered santri's businesses, else the pesantren's business units, else Other):
    one zone a category in the catalogue's order, booths numbered by pesantren name. Running it again
    re-plans the floor from the current registrations."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_event_staff(user, event)
    if event.kind != Event.Kind.EXPO:
        raise DomainError(_("Booths are assigned only for an OPOP Expo."))
    from collections import Counter

    from pesantren.models import BusinessUnit

    registrations = Registration.objects.filter(event=event).select_related("santri__pesantren")
    pesantren = {r.santri.pesantren_id: r.santri.pesantren for r in registrations}
    santri_ids = [r.santri_id for r in registrations]
    votes: dict[int, Counter] = {pk: Counter() for pk in pesantren}
    for sector, pes_id in (
        SantriBusiness.objects.filter(members__in=santri_ids).values_list("sector", "pesantren_id").distinct()
    ):
        votes.setdefault(pes_id, Counter())[sector] += 1
    for sector, pes_id in BusinessUnit.objects.filter(pesantren_id__in=list(pesantren)).values_list(
        "sector", "pesantren_id"
    ):
        if not any(votes[pes_id].values()):
            votes[pes_id][sector] += 0.5
    order = list(BusinessUnit.Sector.values)

    def category(pes_id: int) -> str:
        if not votes[pes_id]:
            return BusinessUnit.Sector.OTHER
        return max(votes[pes_id].items(), key=lambda item: (item[1], -order.index(item[0])))[0]

    by_category: dict[str, list] = {}
    for pes_id, pes in pesantren.items():
        by_category.setdefault(category(pes_id), []).append(pes)
    ExpoBooth.objects.filter(event=event).delete()
    booths = []
    for zone_index, sector in enumerate(s for s in order if s in by_category):
        for number, pes in enumerate(sorted(by_category[sector], key=lambda p: p.name), start=1):
            booths.append(
                ExpoBooth(event=event, pesantren=pes, category=sector, zone=_zone_letter(zone_index), number=number)
            )
    ExpoBooth.objects.bulk_create(booths)
    audit_record(actor=user, action="santri.expo_booths_assigned", target=event, data={"booths": len(booths)})
    return booths


@transaction.atomic
def attendance_mark(*, user: User, registration: Registration, attended: bool) -> Registration:
    """Staff of the event's region mark who came. Attending a track event completes the track."""
    event = registration.event
    _require_event_staff(user, event)
    if not is_programme_staff_for(user=user, pesantren=registration.santri.pesantren) and not _covers(user, event):
        raise PermissionDenied
    if event.starts_on > timezone.localdate():
        raise ValidationError(_("Attendance can be marked once the event has started."))
    registration.attended = attended
    registration.attendance_marked_at = timezone.now() if attended else None
    fields = ["attended", "attendance_marked_at"]
    if attended and not registration.certificate_number:
        registration.certificate_number = activity_certificate_number(registration=registration)
        fields.append("certificate_number")
    registration.save(update_fields=fields)
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


def activity_certificate_number(*, registration: Registration) -> str:
    """The next `SK-<year>-<region>-<seq>-<check>` number, counted per year of the event and kabupaten/kota of the
    santri's pesantren, like the competition certificates. Call inside the attendance transaction."""
    (number,) = certificate_numbers_take(
        series=ACTIVITY_SERIES,
        year=registration.event.starts_on.year,
        kabupaten_kota_id=registration.santri.pesantren.kabupaten_kota_id,
    )
    return number


def _covers(user: User, event: Event) -> bool:
    from opop.permissions import is_programme_staff_for_region

    return is_programme_staff_for_region(user=user, kabupaten_kota_id=event.kabupaten_kota_id)
