"""Business units, potential mapping, mentoring and partners."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.models import User
from opop.services import DomainError, audit_record
from pesantren.models import (
    Aspect,
    BusinessUnit,
    MentoringSession,
    Partner,
    Pesantren,
    PotentialMapping,
)
from pesantren.services.registry import (
    _full_clean,
    _require_staff,
    is_pesantren_admin,
    is_pesantren_owner,
    is_programme_staff,
    is_programme_staff_for,
)

# --- business units -----------------------------------------------------------------------------


def _validate_unit(unit: BusinessUnit) -> None:
    if unit.kind == BusinessUnit.Kind.KOPPONTREN:
        errors = {}
        if not unit.legal_entity_number:
            errors["legal_entity_number"] = [_("A koppontren needs its legal-entity number.")]
        if not unit.nib:
            errors["nib"] = [_("A koppontren needs its NIB.")]
        if errors:
            raise ValidationError(errors)


UNIT_FIELDS = ("kind", "name", "sector", "products", "legal_entity_number", "nib", "is_active")


@transaction.atomic
def business_unit_save(*, user: User, pesantren: Pesantren, unit: BusinessUnit | None = None, **fields) -> BusinessUnit:
    """Add a business unit to `pesantren`, or change `unit`. The pesantren's owner only (part of the profile)."""
    if not is_pesantren_owner(user=user, pesantren=pesantren):
        raise DomainError(_("Only the pesantren's owner changes its business units."))
    creating = unit is None
    if creating:
        unit = BusinessUnit(pesantren=pesantren)
    elif unit.pesantren_id != pesantren.pk:
        raise DomainError(_("This business unit belongs to another pesantren."))
    changed = [key for key in fields if key in UNIT_FIELDS]
    for key in changed:
        setattr(unit, key, fields[key])
    _validate_unit(unit)
    unit.full_clean()
    unit.save(update_fields=None if creating else [*changed, "updated_at"])
    audit_record(
        actor=user,
        action="pesantren.unit_added" if creating else "pesantren.unit_changed",
        organisation=pesantren.organisation,
        target=unit,
        data={"name": unit.name, "kind": unit.kind},
    )
    return unit


# --- mapping, mentoring, partners ---------------------------------------------------------------


@transaction.atomic
def mapping_record(
    *, user: User, pesantren: Pesantren, assessed_on: date, scores: dict[str, int], notes: dict[str, str] | None = None
) -> PotentialMapping:
    """Record a new potential mapping on all five aspects (scores 1 to 5). Staff of the region only.
    Earlier mappings stay, so progress shows."""
    _require_staff(user, pesantren)
    if assessed_on > timezone.localdate():
        raise DomainError(_("A mapping cannot be dated in the future."))
    notes = notes or {}
    mapping = PotentialMapping(pesantren=pesantren, assessed_on=assessed_on, assessed_by=user)
    for aspect in Aspect.values:
        score = scores.get(aspect)
        if score is None or not 1 <= int(score) <= 5:
            raise DomainError(_("Give %(aspect)s a score from 1 to 5.") % {"aspect": Aspect(aspect).label})
        setattr(mapping, f"{aspect}_score", int(score))
        setattr(mapping, f"{aspect}_notes", notes.get(aspect, ""))
    mapping.save()
    audit_record(
        actor=user,
        action="pesantren.mapped",
        organisation=pesantren.organisation,
        target=mapping,
        data={aspect: getattr(mapping, f"{aspect}_score") for aspect in Aspect.values},
    )
    return mapping


@transaction.atomic
def mentoring_record(
    *,
    user: User,
    pesantren: Pesantren,
    held_on: date,
    aspect: str,
    activity: str,
    follow_up: str = "",
    mentor: User | None = None,
    partner: Partner | None = None,
) -> MentoringSession:
    """Log one mentoring session. Staff of the region only; the mentor is a staff member or a partner."""
    _require_staff(user, pesantren)
    if mentor is None and partner is None:
        raise DomainError(_("Name the mentor: a staff member or a partner."))
    if mentor is not None and not is_programme_staff(user=mentor):
        raise DomainError(_("A staff mentor must be Diskop UKM staff."))
    if held_on > timezone.localdate():
        raise DomainError(_("A mentoring session cannot be dated in the future."))
    session = MentoringSession(
        pesantren=pesantren,
        held_on=held_on,
        aspect=aspect,
        mentor=mentor,
        partner=partner,
        activity=activity,
        follow_up=follow_up,
        recorded_by=user,
    )
    _full_clean(session)
    session.save()
    audit_record(
        actor=user,
        action="pesantren.mentored",
        organisation=pesantren.organisation,
        target=session,
        data={"aspect": aspect, "partner": partner.name if partner else None},
    )
    return session


@transaction.atomic
def partner_create(*, user: User, name: str, kind: str, description: str = "", website: str = "") -> Partner:
    """Add a pentahelix partner. Programme staff only."""
    _require_staff(user)
    partner = Partner(name=name.strip(), kind=kind, description=description, website=website)
    _full_clean(partner)
    partner.save()
    audit_record(actor=user, action="pesantren.partner_added", target=partner, data={"name": partner.name})
    return partner


@transaction.atomic
def collaborators_set(*, user: User, pesantren: Pesantren, partners) -> list[Partner]:
    """Name the partners the pesantren works with. Its admins or the staff of its region."""
    if not (
        is_pesantren_admin(user=user, pesantren=pesantren) or is_programme_staff_for(user=user, pesantren=pesantren)
    ):
        raise DomainError(_("Only the pesantren's admins can do this."))
    partners = list(partners)
    pesantren.collaborators.set(partners)
    audit_record(
        actor=user,
        action="pesantren.collaborators_set",
        organisation=pesantren.organisation,
        target=pesantren,
        data={"partners": sorted(partner.name for partner in partners)},
    )
    return partners
