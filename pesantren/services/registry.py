"""The pesantren registry: who may act, the profile and the participation lifecycle."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from opop import wilayah
from opop.figures import figures_mark_dirty
from opop.formatting import normalise_phone
from opop.mail import send_mail_on_commit
from opop.models import Membership, Organisation, User
from opop.permissions import access_for, is_organisation_member, is_programme_staff, is_programme_staff_for_region
from opop.services import DomainError, audit_record, organisation_create
from pesantren.models import (
    Pesantren,
    StatusChange,
)

logger = logging.getLogger(__name__)

S = Pesantren.Status
ADMIN_ROLES = (Membership.Role.OWNER, Membership.Role.STAFF)
# Least privilege: the profile (and its business units) is the owner's; staff of the organisation — often
# store staff of the same pesantren — report and sell but do not change what the pesantren says it is.
PROFILE_ROLES = (Membership.Role.OWNER,)

PROFILE_FIELDS = (
    "name",
    "nspp",
    "street",
    "rt_rw",
    "desa",
    "desa_code",
    "kecamatan",
    "kecamatan_code",
    "kabupaten_kota",
    "postal_code",
    "latitude",
    "longitude",
    "pengasuh",
    "santri_count",
    "phone",
    "email",
    "logo",
    "description",
    "flagship_product",
)

ADDRESS_FIELDS = {"kecamatan", "kecamatan_code", "desa", "desa_code"}

# (from, to): who may make the step. "admin" = the pesantren's owner or staff; "staff" = Diskop UKM
# staff whose region covers the pesantren (or province-wide), and superusers.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.REGISTERED, S.SUBMITTED): "admin",
    (S.RETURNED, S.SUBMITTED): "admin",
    (S.SUBMITTED, S.VERIFIED): "staff",
    (S.SUBMITTED, S.RETURNED): "staff",
    (S.VERIFIED, S.ACTIVE): "staff",
    (S.VERIFIED, S.INACTIVE): "staff",
    (S.ACTIVE, S.INACTIVE): "staff",
    (S.INACTIVE, S.ACTIVE): "staff",
}
# Steps that must say why.
REASON_REQUIRED = {S.RETURNED, S.INACTIVE}


# --- who may act --------------------------------------------------------------------------------


def is_pesantren_admin(*, user: User, pesantren: Pesantren) -> bool:
    return is_organisation_member(user=user, organisation_id=pesantren.organisation_id, roles=ADMIN_ROLES)


def is_pesantren_owner(*, user: User, pesantren: Pesantren) -> bool:
    """May change the pesantren's profile and business units (PROFILE_ROLES)."""
    return is_organisation_member(user=user, organisation_id=pesantren.organisation_id, roles=PROFILE_ROLES)


def is_programme_staff_for(*, user: User, pesantren: Pesantren) -> bool:
    return is_programme_staff_for_region(user=user, kabupaten_kota_id=pesantren.kabupaten_kota_id)


def _require_admin(user: User, pesantren: Pesantren) -> None:
    if not is_pesantren_admin(user=user, pesantren=pesantren):
        raise DomainError(_("Only the pesantren's admins can do this."))


def _require_staff(user: User, pesantren: Pesantren | None = None) -> None:
    allowed = is_programme_staff_for(user=user, pesantren=pesantren) if pesantren else is_programme_staff(user=user)
    if not allowed:
        raise DomainError(_("Only Diskop UKM staff responsible for this region can do this."))


def _full_clean(instance, **kwargs) -> None:
    """`full_clean()`, with the errors joined into one readable domain error."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise DomainError(" ".join(" ".join(messages) for messages in exc.message_dict.values())) from exc


# --- profile ------------------------------------------------------------------------------------


def _validate_profile(pesantren: Pesantren) -> None:
    errors = {}
    if pesantren.phone:
        try:
            pesantren.phone = normalise_phone(pesantren.phone)
        except ValueError as exc:
            errors["phone"] = [str(exc)]
    region = pesantren.kabupaten_kota if pesantren.kabupaten_kota_id else None
    code = pesantren.postal_code or ""
    if region and len(code) == 5 and not region.kodepos_min <= code <= region.kodepos_max:
        errors["postal_code"] = [
            _("Postal codes in %(region)s run from %(low)s to %(high)s.")
            % {"region": region.label, "low": region.kodepos_min, "high": region.kodepos_max}
        ]
    if region and (pesantren.kecamatan_code or pesantren.kecamatan):
        # Chosen in the widget (codes) or typed by a service caller (names): either way the code and the name
        # Kemendagri writes end up on the row.
        kecamatan = (
            wilayah.get(pesantren.kecamatan_code)
            if pesantren.kecamatan_code
            else wilayah.child_named(region.kode, pesantren.kecamatan)
        )
        if kecamatan is None or kecamatan.induk_id != region.kode:
            errors["kecamatan"] = [
                _("There is no kecamatan “%(name)s” in %(region)s.")
                % {"name": pesantren.kecamatan or pesantren.kecamatan_code, "region": region.label}
            ]
        else:
            pesantren.kecamatan, pesantren.kecamatan_code = kecamatan.nama, kecamatan.kode
            villages = list(wilayah.children(kecamatan.kode))
            desa = next(
                (
                    d
                    for d in villages
                    if (
                        d.kode == pesantren.desa_code
                        if pesantren.desa_code
                        else wilayah.name_key(d.nama) == wilayah.name_key(pesantren.desa)
                    )
                ),
                None,
            )
            if (pesantren.desa or pesantren.desa_code) and desa is None:
                errors["desa"] = [
                    _("There is no desa/kelurahan “%(name)s” in Kecamatan %(kecamatan)s.")
                    % {"name": pesantren.desa or pesantren.desa_code, "kecamatan": kecamatan.nama}
                ]
            elif desa is not None:
                pesantren.desa, pesantren.desa_code = desa.nama, desa.kode
            codes = {d.kodepos for d in villages if d.kodepos}
            if "postal_code" not in errors and len(code) == 5 and codes and code not in codes:
                errors["postal_code"] = [
                    _("Kecamatan %(kecamatan)s uses the postal codes %(codes)s.")
                    % {"kecamatan": kecamatan.nama, "codes": ", ".join(sorted(codes))}
                ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pesantren_register(*, user: User, organisation: Organisation | None = None, **fields) -> Pesantren:
    """Register a pesantren's profile. Without `organisation`, a new pesantren organisation is
    created with `user` as its owner; with one, `user` must be its owner or staff.

    Raises ValidationError (per field) for an invalid profile, DomainError when not allowed.
    """
    if organisation is not None:
        if organisation.kind != Organisation.Kind.PESANTREN:
            raise DomainError(_("Only a pesantren organisation can register as a pesantren."))
        if organisation.pk not in access_for(user).organisation_ids(roles=ADMIN_ROLES):
            raise DomainError(_("Only the pesantren's admins can do this."))
        if Pesantren.objects.filter(organisation=organisation).exists():
            raise DomainError(_("This pesantren is already registered."))
    pesantren = Pesantren(**{key: value for key, value in fields.items() if key in PROFILE_FIELDS})
    _validate_profile(pesantren)
    pesantren.full_clean(exclude=["organisation"])
    if organisation is None:
        organisation = organisation_create(
            name=pesantren.name,
            kind=Organisation.Kind.PESANTREN,
            kabupaten_kota=pesantren.kabupaten_kota,
            owner=user,
            actor=user,
        )
        user.__dict__.pop("_opop_access", None)
    pesantren.organisation = organisation
    pesantren.status_changed_at = timezone.now()
    pesantren.save()
    StatusChange.objects.create(pesantren=pesantren, from_status="", to_status=S.REGISTERED, actor=user)
    audit_record(actor=user, action="pesantren.registered", organisation=organisation, target=pesantren)
    return pesantren


@transaction.atomic
def pesantren_update(*, user: User, pesantren: Pesantren, **fields) -> Pesantren:
    """Change the profile. The pesantren's owner, or staff of its region, may do it; the region
    can only change while the pesantren is not yet verified (staff scoping follows it)."""
    if not (
        is_pesantren_owner(user=user, pesantren=pesantren) or is_programme_staff_for(user=user, pesantren=pesantren)
    ):
        raise DomainError(_("Only the pesantren's owner or Diskop UKM staff change its profile."))
    for name in ("kecamatan", "desa"):
        if name in fields and f"{name}_code" not in fields:
            fields[f"{name}_code"] = ""  # a typed name: validation finds its code
    changed = []
    for key, value in fields.items():
        if key == "logo" and value is False:  # "clear" ticked on the form
            value = ""
        if key in PROFILE_FIELDS and getattr(pesantren, key) != value:
            setattr(pesantren, key, value)
            changed.append(key)
    if "kabupaten_kota" in changed and pesantren.status not in (S.REGISTERED, S.RETURNED):
        raise ValidationError(
            {"kabupaten_kota": [_("The regency/city of a submitted or verified pesantren cannot change.")]}
        )
    if not changed:
        return pesantren
    _validate_profile(pesantren)
    pesantren.full_clean()
    if ADDRESS_FIELDS & set(changed):
        changed = [*changed, *(ADDRESS_FIELDS - set(changed))]  # validation writes the codes and the names
    pesantren.save(update_fields=[*changed, "updated_at"])
    if "kabupaten_kota" in changed:
        # The organisation's region follows, so kernel-level scoping agrees with ours.
        organisation = pesantren.organisation
        organisation.kabupaten_kota = pesantren.kabupaten_kota
        organisation.save(update_fields=["kabupaten_kota", "updated_at"])
    audit_record(
        actor=user,
        action="pesantren.updated",
        organisation=pesantren.organisation,
        target=pesantren,
        data={"fields": [key for key in changed if key != "logo"] + (["logo"] if "logo" in changed else [])},
    )
    return pesantren


# --- lifecycle ----------------------------------------------------------------------------------


def allowed_transitions(*, user: User, pesantren: Pesantren) -> list[str]:
    """The statuses `user` may move `pesantren` to now."""
    result = []
    for (source, target), who in TRANSITIONS.items():
        if source != pesantren.status:
            continue
        allowed = is_pesantren_admin if who == "admin" else is_programme_staff_for
        if allowed(user=user, pesantren=pesantren):
            result.append(target)
    return result


def _card_number(pesantren: Pesantren) -> str:
    prefix = f"OPOP-{pesantren.kabupaten_kota_id.replace('.', '')}-{pesantren.cohort}-"
    taken = Pesantren.objects.filter(card_number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _notify_admins(pesantren: Pesantren, subject: str, body: str) -> None:
    recipients = list(
        Membership.objects.filter(organisation_id=pesantren.organisation_id, role__in=ADMIN_ROLES)
        .select_related("user")
        .values_list("user__email", flat=True)
    )
    send_mail_on_commit(subject=subject, body=body, recipients=recipients)


@transaction.atomic
def pesantren_transition(
    *, user: User, pesantren: Pesantren, to_status: str, reason: str = "", cohort: int | None = None
) -> Pesantren:
    """Move `pesantren` one step in its lifecycle.

    Only the steps in TRANSITIONS, each by its role. Returning and deactivating need a reason;
    verifying needs a cohort year (not in the future) and issues the Kartu OPOP number. Records a
    StatusChange and an audit event and e-mails the pesantren's admins once the transaction commits.
    Raises DomainError otherwise.
    """
    pesantren = Pesantren.objects.select_for_update().select_related("kabupaten_kota").get(pk=pesantren.pk)
    source = pesantren.status
    who = TRANSITIONS.get((source, to_status))
    if who is None:
        raise DomainError(
            _("A pesantren that is “%(source)s” cannot become “%(target)s”.")
            % {"source": S(source).label, "target": S(to_status).label if to_status in S.values else to_status}
        )
    if who == "admin":
        _require_admin(user, pesantren)
    else:
        _require_staff(user, pesantren)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise DomainError(_("Please give a reason, so the pesantren knows what to do."))
    update_fields = ["status", "status_changed_at", "updated_at"]
    if to_status == S.VERIFIED:
        this_year = timezone.localdate().year
        if cohort is None:
            raise DomainError(_("Choose the cohort (angkatan) the pesantren joins."))
        if not 2019 <= cohort <= this_year:
            raise DomainError(_("The cohort must be a year from 2019 to %(year)s.") % {"year": this_year})
        pesantren.cohort = cohort
        update_fields.append("cohort")
        if not pesantren.card_number:
            pesantren.card_number = _card_number(pesantren)
            update_fields.append("card_number")
    pesantren.status = to_status
    pesantren.status_changed_at = timezone.now()
    pesantren.save(update_fields=update_fields)
    StatusChange.objects.create(pesantren=pesantren, from_status=source, to_status=to_status, actor=user, reason=reason)
    if {source, to_status} & {S.VERIFIED, S.ACTIVE}:
        figures_mark_dirty(when=pesantren.status_changed_at, kabupaten_kota_id=pesantren.kabupaten_kota_id)
    audit_record(
        actor=user,
        action=f"pesantren.{to_status}",
        organisation=pesantren.organisation,
        target=pesantren,
        data={"from": source, "to": to_status, "reason": reason, "cohort": pesantren.cohort},
    )
    with override("id"):
        subject = _("[OPOP] %(name)s is now “%(status)s”") % {"name": pesantren.name, "status": S(to_status).label}
        body = _("The status of %(name)s changed from “%(source)s” to “%(target)s”.") % {
            "name": pesantren.name,
            "source": S(source).label,
            "target": S(to_status).label,
        }
        if reason:
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": reason}
        body += "\n\n" + reverse("pesantren:detail", args=[pesantren.pk])
    _notify_admins(pesantren, subject, body)
    logger.info("pesantren.transition", extra={"pesantren": pesantren.pk, "from": source, "to": to_status})
    return pesantren
