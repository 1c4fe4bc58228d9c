"""Writes of the Sosiopreneur pillar: alumni, their businesses, monthly reports, collaborations."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from alumni.models import AlumniBusiness, AlumniReport, Alumnus, Collaboration
from opop.figures import figures_mark_dirty
from opop.mail import send_mail_on_commit
from opop.models import KabupatenKota, Organisation, User
from opop.permissions import is_organisation_member
from opop.reviewed_reports import (
    ReportWorkflow,
    reviewed_report_correct,
    reviewed_report_review,
    reviewed_report_submit,
)
from opop.services import DomainError, audit_record, organisation_create
from pesantren.models import Pesantren
from pesantren.services import is_pesantren_admin
from santri.models import Santri

REPORT_FIELDS = ("omzet", "workers")
BUSINESS_ROLES = ("owner", "staff")


def is_business_member(*, user: User, business: AlumniBusiness) -> bool:
    """An owner or staff member of the business's organisation."""
    return is_organisation_member(user=user, organisation_id=business.organisation_id, roles=BUSINESS_ROLES)


# --- alumni --------------------------------------------------------------------------------------


@transaction.atomic
def alumnus_register(*, user: User, pesantren: Pesantren, graduation_year: int) -> Alumnus:
    """A person says they graduated from `pesantren`; its admins verify the claim."""
    if Alumnus.objects.filter(user=user).exists():
        raise DomainError(_("You are already registered as an alumnus."))
    if not 1950 <= graduation_year <= timezone.localdate().year:
        raise ValidationError({"graduation_year": [_("Give the year you graduated.")]})
    alumnus = Alumnus.objects.create(user=user, pesantren=pesantren, graduation_year=graduation_year)
    audit_record(actor=user, action="alumni.registered", organisation=pesantren.organisation, target=alumnus)
    return alumnus


@transaction.atomic
def alumnus_verify(*, user: User, alumnus: Alumnus, verify: bool, note: str = "") -> Alumnus:
    """The pesantren's admin recognises (or not) a person as its alumnus."""
    alumnus = Alumnus.objects.select_for_update().select_related("pesantren").get(pk=alumnus.pk)
    if not is_pesantren_admin(user=user, pesantren=alumnus.pesantren):
        raise PermissionDenied
    if alumnus.status != Alumnus.Status.PENDING:
        raise DomainError(_("This alumnus was already reviewed."))
    if not verify and not (note or "").strip():
        raise DomainError(_("Please give a reason, so the person knows why."))
    alumnus.status = Alumnus.Status.VERIFIED if verify else Alumnus.Status.REJECTED
    alumnus.verified_by = user
    alumnus.verified_at = timezone.now()
    alumnus.note = (note or "").strip()
    alumnus.save(update_fields=["status", "verified_by", "verified_at", "note", "updated_at"])
    audit_record(
        actor=user,
        action="alumni.verified" if verify else "alumni.rejected",
        organisation=alumnus.pesantren.organisation,
        target=alumnus,
    )
    return alumnus


@transaction.atomic
def alumnus_from_santri(*, user: User, santri: Santri, email: str, graduation_year: int | None = None) -> Alumnus:
    """A graduating santri becomes a verified alumnus without retyping: the name and pesantren come
    from the registry; an account is made for `email` (or the existing one is used) and the person
    is mailed how to set a password."""
    if not is_pesantren_admin(user=user, pesantren=santri.pesantren):
        raise PermissionDenied
    if Alumnus.objects.filter(santri=santri).exists():
        raise DomainError(_("%(name)s is already an alumnus.") % {"name": santri.name})
    email = User.objects.normalize_email((email or "").strip()).lower()
    if "@" not in email:
        raise ValidationError({"email": [_("Give the graduate's e-mail address.")]})
    person = User.objects.filter(email=email).first()
    created = person is None
    if created:
        person = User.objects.create_user(email=email, password=None, full_name=santri.name)
    elif Alumnus.objects.filter(user=person).exists():
        raise DomainError(_("This e-mail address already belongs to an alumnus."))
    if santri.status != Santri.Status.GRADUATED:
        Santri.objects.filter(pk=santri.pk).update(status=Santri.Status.GRADUATED, updated_at=timezone.now())
    alumnus = Alumnus.objects.create(
        user=person,
        pesantren=santri.pesantren,
        graduation_year=graduation_year or timezone.localdate().year,
        santri=santri,
        status=Alumnus.Status.VERIFIED,
        verified_by=user,
        verified_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="alumni.graduated",
        organisation=santri.pesantren.organisation,
        target=alumnus,
        data={"nis": santri.nis},
    )
    with override("id"):
        subject = _("[OPOP] Welcome to the OPOP alumni network")
        body = _(
            "%(pesantren)s registered you as its alumnus on the OPOP Jatim portal. "
            "Set your password at %(url)s with this e-mail address, then register your business."
        ) % {"pesantren": santri.pesantren.name, "url": reverse("account_reset_password")}
    send_mail_on_commit(subject=subject, body=body, recipients=[email])
    return alumnus


# --- alumni businesses ---------------------------------------------------------------------------


@transaction.atomic
def business_create(
    *,
    user: User,
    name: str,
    sector: str,
    kabupaten_kota: KabupatenKota,
    workers: int,
    nib: str = "",
    description: str = "",
) -> AlumniBusiness:
    """A verified alumnus registers a business; it gets its own organisation with them as owner."""
    alumnus = Alumnus.objects.filter(user=user, status=Alumnus.Status.VERIFIED).first()
    if alumnus is None:
        raise DomainError(_("Your pesantren must verify you as an alumnus before you register a business."))
    business = AlumniBusiness(
        alumnus=alumnus,
        name=name,
        sector=sector,
        kabupaten_kota=kabupaten_kota,
        workers=workers,
        nib=nib,
        description=description,
    )
    business.full_clean(exclude=["organisation"])
    business.organisation = organisation_create(
        name=name, kind=Organisation.Kind.ALUMNI_BUSINESS, kabupaten_kota=kabupaten_kota, owner=user, actor=user
    )
    business.save()
    figures_mark_dirty(when=business.created_at, kabupaten_kota_id=business.kabupaten_kota_id)
    user.__dict__.pop("_opop_access", None)
    audit_record(actor=user, action="alumni.business_created", organisation=business.organisation, target=business)
    return business


# --- monthly reports: the shared workflow of opop.reviewed_reports, scoped to the business ---------

WORKFLOW = ReportWorkflow(
    model=AlumniReport,
    owner_field="business",
    figure_fields=REPORT_FIELDS,
    audit_prefix="alumni",
    return_needs_note=gettext_lazy("Please give a reason, so the business knows what to do."),
    submitter_roles=BUSINESS_ROLES,
)


def report_submit(*, user: User, business: AlumniBusiness, month: date, **figures) -> AlumniReport:
    """Submit one month's figures. A month already reported is corrected, never overwritten."""
    return reviewed_report_submit(workflow=WORKFLOW, user=user, owner=business, month=month, figures=figures)


def report_correct(*, user: User, report: AlumniReport, reason: str = "", **figures) -> AlumniReport:
    """A correction is a new revision; a verified report needs a reason and is verified again."""
    return reviewed_report_correct(workflow=WORKFLOW, user=user, report=report, reason=reason, figures=figures)


def report_review(*, user: User, report: AlumniReport, verify: bool, note: str = "") -> AlumniReport:
    """Diskop staff of the business's region verify a submitted report or return it with a note."""
    return reviewed_report_review(workflow=WORKFLOW, user=user, report=report, verify=verify, note=note)


# --- collaborations ------------------------------------------------------------------------------


def _side(user: User, collaboration: Collaboration) -> str | None:
    if is_business_member(user=user, business=collaboration.business):
        return "business"
    if is_pesantren_admin(user=user, pesantren=collaboration.pesantren):
        return "pesantren"
    return None


@transaction.atomic
def collaboration_propose(
    *, user: User, business: AlumniBusiness, pesantren: Pesantren, kind: str, description: str = ""
) -> Collaboration:
    """Either side proposes; the proposer's confirmation is recorded, the other side must confirm."""
    collaboration = Collaboration(business=business, pesantren=pesantren, kind=kind, description=description)
    side = _side(user, collaboration)
    if side is None:
        raise PermissionDenied
    collaboration.full_clean(validate_constraints=False)
    if Collaboration.objects.filter(
        business=business, pesantren=pesantren, kind=kind, status__in=["proposed", "active"]
    ).exists():
        raise DomainError(_("This collaboration is already proposed or active."))
    now = timezone.now()
    setattr(collaboration, f"{side}_confirmed_by", user)
    setattr(collaboration, f"{side}_confirmed_at", now)
    collaboration.save()
    audit_record(
        actor=user,
        action="alumni.collaboration_proposed",
        organisation=business.organisation,
        target=collaboration,
        data={"side": side},
    )
    return collaboration


@transaction.atomic
def collaboration_respond(*, user: User, collaboration: Collaboration, accept: bool) -> Collaboration:
    """The other side confirms (the collaboration becomes active) or declines."""
    collaboration = (
        Collaboration.objects.select_for_update().select_related("business", "pesantren").get(pk=collaboration.pk)
    )
    side = _side(user, collaboration)
    if side is None:
        raise PermissionDenied
    if collaboration.status != Collaboration.Status.PROPOSED:
        raise DomainError(_("This collaboration is no longer waiting for confirmation."))
    if getattr(collaboration, f"{side}_confirmed_at") is not None:
        raise DomainError(_("Your side has already confirmed; the other side must confirm now."))
    if accept:
        setattr(collaboration, f"{side}_confirmed_by", user)
        setattr(collaboration, f"{side}_confirmed_at", timezone.now())
        collaboration.status = Collaboration.Status.ACTIVE
    else:
        collaboration.status = Collaboration.Status.DECLINED
    collaboration.save(update_fields=["status", f"{side}_confirmed_by", f"{side}_confirmed_at", "updated_at"])
    audit_record(
        actor=user,
        action="alumni.collaboration_" + ("confirmed" if accept else "declined"),
        organisation=collaboration.business.organisation,
        target=collaboration,
        data={"side": side},
    )
    return collaboration
