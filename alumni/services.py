"""Writes of the Sosiopreneur pillar: alumni, their businesses, monthly reports, collaborations."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from alumni.models import AlumniBusiness, AlumniReport, AlumniReportRevision, Alumnus, Collaboration
from opop.figures import figures_mark_dirty
from opop.mail import send_mail_on_commit
from opop.models import KabupatenKota, Organisation, User
from opop.permissions import access_for
from opop.services import DomainError, audit_record, organisation_create
from pesantren.models import Pesantren
from pesantren.services import is_pesantren_admin
from santri.models import Santri

REPORT_FIELDS = ("omzet", "workers")


def is_business_member(user: User, business: AlumniBusiness) -> bool:
    return business.organisation_id in access_for(user).organisation_ids(roles=("owner", "staff"))


def is_staff_for_region(user: User, kabupaten_kota_id: str) -> bool:
    access = access_for(user)
    return access.superuser or (access.programme_staff and access.region in (None, kabupaten_kota_id))


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
    if not is_pesantren_admin(user, alumnus.pesantren):
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
    if not is_pesantren_admin(user, santri.pesantren):
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


# --- monthly reports (the pesantren reports' rules: verify, revisions, no silent overwrite) --------


def _clean_figures(figures: dict) -> dict:
    errors, clean = {}, {}
    for field in REPORT_FIELDS:
        value = figures.get(field)
        if value in (None, ""):
            errors[field] = [_("Fill in this figure.")]
            continue
        value = int(value)
        if value < 0:
            errors[field] = [_("A figure cannot be negative.")]
        clean[field] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def report_submit(*, user: User, business: AlumniBusiness, month: date, **figures) -> AlumniReport:
    """Submit one month's figures. A month already reported is corrected, never overwritten."""
    if not is_business_member(user, business):
        raise PermissionDenied
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": [_("You cannot report a month in the future.")]})
    clean = _clean_figures(figures)
    message = _("A report for this month already exists. Correct that report instead.")
    if AlumniReport.objects.filter(business=business, month=month).exists():
        raise ValidationError({"month": [message]})
    report = AlumniReport(business=business, month=month, submitted_by=user, **clean)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"month": [message]}) from None
    AlumniReportRevision.objects.create(report=report, number=1, created_by=user, **clean)
    audit_record(
        actor=user,
        action="alumni.report_submitted",
        organisation=business.organisation,
        target=report,
        data={"month": month.isoformat(), **clean},
    )
    return report


@transaction.atomic
def report_correct(*, user: User, report: AlumniReport, reason: str = "", **figures) -> AlumniReport:
    """A correction is a new revision; a verified report needs a reason and is verified again."""
    report = AlumniReport.objects.select_for_update().select_related("business").get(pk=report.pk)
    if not is_business_member(user, report.business):
        raise PermissionDenied
    reason = (reason or "").strip()
    if report.status == AlumniReport.Status.VERIFIED and not reason:
        raise ValidationError({"reason": [_("Say why a verified report is corrected.")]})
    clean = _clean_figures(figures)
    if all(getattr(report, k) == v for k, v in clean.items()):
        raise ValidationError({"__all__": [_("Nothing changed: the figures are the same as the current revision.")]})
    was_verified = report.status == AlumniReport.Status.VERIFIED
    report.revision += 1
    for key, value in clean.items():
        setattr(report, key, value)
    report.status = AlumniReport.Status.SUBMITTED
    report.submitted_by = user
    report.save(update_fields=[*REPORT_FIELDS, "revision", "status", "submitted_by", "updated_at"])
    AlumniReportRevision.objects.create(report=report, number=report.revision, created_by=user, reason=reason, **clean)
    if was_verified:  # the verified figure left the programme's totals until it is verified again
        figures_mark_dirty(when=report.month, kabupaten_kota_id=report.business.kabupaten_kota_id)
    audit_record(
        actor=user,
        action="alumni.report_corrected",
        organisation=report.business.organisation,
        target=report,
        data={"revision": report.revision, "reason": reason, **clean},
    )
    return report


@transaction.atomic
def report_review(*, user: User, report: AlumniReport, verify: bool, note: str = "") -> AlumniReport:
    """Diskop staff of the business's region verify a submitted report or return it with a note."""
    report = AlumniReport.objects.select_for_update().select_related("business").get(pk=report.pk)
    if not is_staff_for_region(user, report.business.kabupaten_kota_id):
        raise PermissionDenied
    if report.status != AlumniReport.Status.SUBMITTED:
        raise DomainError(_("Only a submitted report can be verified or returned."))
    note = (note or "").strip()
    if not verify and not note:
        raise DomainError(_("Please give a reason, so the business knows what to do."))
    report.status = AlumniReport.Status.VERIFIED if verify else AlumniReport.Status.RETURNED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_note = note
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    if verify:
        figures_mark_dirty(when=report.month, kabupaten_kota_id=report.business.kabupaten_kota_id)
    audit_record(
        actor=user,
        action="alumni.report_verified" if verify else "alumni.report_returned",
        organisation=report.business.organisation,
        target=report,
        data={"revision": report.revision},
    )
    return report


# --- collaborations ------------------------------------------------------------------------------


def _side(user: User, collaboration: Collaboration) -> str | None:
    if is_business_member(user, collaboration.business):
        return "business"
    if is_pesantren_admin(user, collaboration.pesantren):
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
    collaboration.save()
    audit_record(
        actor=user,
        action="alumni.collaboration_" + ("confirmed" if accept else "declined"),
        organisation=collaboration.business.organisation,
        target=collaboration,
        data={"side": side},
    )
    return collaboration
