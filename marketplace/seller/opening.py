"""Opening a store: who may apply, the application's life (draft → submitted → approved, or returned → resubmitted),
who decides it, and the reads the pages share.

- An owner of a pesantren, santri business or alumni business without a store applies, once the organisation
  is verified in the programme (opop.organisations: each pillar app answers for its kinds).
- Diskop UKM staff decide pesantren and alumni businesses (region-scoped staff only in their kabupaten/kota);
  a santri business is decided by the admins (owner or staff) of the pesantren supervising it, never by Diskop.
- Nobody decides an application of an organisation they are a member of.
- The store exists only once approved: approval creates it, with an audit event, in one transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.images import render, validate_image_upload
from marketplace.models import PILLAR_BY_KIND, Store, StoreApplication
from opop.mail import send_mail_on_commit
from opop.models import Membership, Organisation, User
from opop.organisations import Standing, organisation_standing
from opop.permissions import access_for, is_programme_staff_for_region
from opop.services import DomainError, audit_record

S = StoreApplication.Status
APPLICANT_ROLES = ("owner",)
SUPERVISOR_ROLES = ("owner", "staff")
SELLER_KINDS = tuple(PILLAR_BY_KIND)
# Kinds Diskop UKM staff decide; a santri business is decided by its supervising pesantren.
DISKOP_KINDS = (Organisation.Kind.PESANTREN, Organisation.Kind.ALUMNI_BUSINESS)
# Where the store ships from: its regency/city, pickup address (street) and the kecamatan/desa codes a courier
# quotes from; the address widget fills them in (StoreApplicationForm), the approval copies them to the store.
ORIGIN_FIELDS = (
    "origin",
    "pickup_address",
    "origin_kecamatan",
    "origin_kecamatan_code",
    "origin_desa",
    "origin_desa_code",
    "origin_postal_code",
    "origin_latitude",
    "origin_longitude",
)
APPLICATION_FIELDS = (
    "name",
    "slug",
    "description",
    *ORIGIN_FIELDS,
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)
SLUG_MIN, SLUG_MAX = 3, 60
LOGO_SIDE = 320


# --- reads: the applicant's side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An organisation the user may open a store for, where it stands, and its application if any."""

    organisation: Organisation
    standing: Standing
    application: StoreApplication | None


def _applicant_organisations(user) -> QuerySet[Organisation]:
    org_ids = access_for(user).organisation_ids(roles=APPLICANT_ROLES, kinds=SELLER_KINDS)
    return (
        Organisation.objects.filter(pk__in=org_ids, is_active=True, store__isnull=True)
        .select_related("kabupaten_kota", "parent", "store_application", "store_application__origin")
        .order_by("name")
    )


def opening_candidates(*, user) -> list[Candidate]:
    """The user's organisations (as owner) that sell on OPOP Mart by kind but have no store yet."""
    candidates = []
    for organisation in _applicant_organisations(user):
        application = getattr(organisation, "store_application", None)
        candidates.append(Candidate(organisation, organisation_standing(organisation), application))
    return candidates


def applicant_organisation_or_404(*, user, slug: str) -> Organisation:
    """One organisation the user owns and may open a store for; anything else (foreign, has a store) is 404."""
    organisation = _applicant_organisations(user).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


# --- reads: the deciding side -------------------------------------------------------------------------------


def _decider_condition(user) -> Q | None:
    """Which applications `user` decides, as a filter; None when they decide none."""
    access = access_for(user)
    if access.superuser:
        return Q()
    condition = Q(pk__in=[])
    if access.programme_staff:
        staff = Q(organisation__kind__in=DISKOP_KINDS)
        if access.region is not None:
            staff &= Q(organisation__kabupaten_kota_id=access.region)
        condition |= staff
    supervised = access.organisation_ids(roles=SUPERVISOR_ROLES, kinds=(Organisation.Kind.PESANTREN,))
    if supervised:
        condition |= Q(organisation__kind=Organisation.Kind.SANTRI_BUSINESS, organisation__parent_id__in=supervised)
    if not access.programme_staff and not supervised:
        return None
    return condition


def is_store_decider(*, user) -> bool:
    """Programme staff, superusers and pesantren admins (who decide their santri businesses) have a queue."""
    return _decider_condition(user) is not None


def store_applications_for_decider(*, user, status: str = "") -> QuerySet[StoreApplication]:
    """Applications the user decides (drafts are the applicant's own), waiting ones first, oldest first."""
    condition = _decider_condition(user)
    if condition is None:
        return StoreApplication.objects.none()
    queryset = (
        StoreApplication.objects.filter(condition)
        .exclude(status=S.DRAFT)
        .select_related("organisation__kabupaten_kota", "organisation__parent", "origin", "applicant", "decided_by")
    )
    if status == "waiting":
        queryset = queryset.filter(status__in=StoreApplication.WAITING)
    elif status in S.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("submitted_at", "id")


def store_application_for_decider_or_404(*, user, pk) -> StoreApplication:
    try:
        return store_applications_for_decider(user=user).select_related("store").get(pk=pk)
    except (StoreApplication.DoesNotExist, ValueError):
        raise Http404 from None


def may_decide(*, user, application: StoreApplication) -> bool:
    """Whether `user` may approve or return `application`: never a member of the applying organisation."""
    access = access_for(user)
    organisation = application.organisation
    if organisation.pk in access.organisation_ids():
        return False
    if access.superuser:
        return True
    if organisation.kind == Organisation.Kind.SANTRI_BUSINESS:
        return organisation.parent_id is not None and organisation.parent_id in access.organisation_ids(
            roles=SUPERVISOR_ROLES, kinds=(Organisation.Kind.PESANTREN,)
        )
    if organisation.kind in DISKOP_KINDS:
        return is_programme_staff_for_region(user=user, kabupaten_kota_id=organisation.kabupaten_kota_id)
    return False


# --- writes -------------------------------------------------------------------------------------------------


def slug_suggest(name: str) -> str:
    return slugify(name)[:SLUG_MAX].strip("-")


def _clean_slug(slug: str, name: str, *, application: StoreApplication) -> str:
    slug = (slug or "").strip().lower() or slug_suggest(name)
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        raise ValidationError(
            {"slug": _("The store address needs %(min)d to %(max)d characters.") % {"min": SLUG_MIN, "max": SLUG_MAX}}
        )
    taken = StoreApplication.objects.filter(slug=slug).exclude(pk=application.pk).exists()
    if taken or Store.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another store already uses this address; choose another.")})
    return slug


@transaction.atomic
def store_application_save(
    *, actor: User, organisation: Organisation, submit: bool, logo=None, **fields
) -> StoreApplication:
    """Write the organisation's store application and, with `submit`, send it to whoever decides it.

    Needs an owner of a verified seller organisation without a store; raises DomainError (with the standing's
    reason when unverified) or ValidationError per field. A draft or returned application is edited in place;
    submitting again a returned one makes it `resubmitted`. Idempotent: submitting one already waiting changes
    nothing and returns it."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one writer per organisation
    if organisation.pk not in access_for(actor).organisation_ids(roles=APPLICANT_ROLES, kinds=SELLER_KINDS):
        raise PermissionDenied
    standing = organisation_standing(organisation)
    if not standing.verified:
        raise DomainError(standing.reason)
    if Store.objects.filter(organisation=organisation).exists():
        raise DomainError(_("This organisation has a store already."))
    application = StoreApplication.objects.filter(organisation=organisation).first()
    if application is not None and application.status == S.APPROVED:
        raise DomainError(_("This application was approved already."))
    if application is not None and application.is_waiting:
        if submit:
            return application
        raise DomainError(_("This application is waiting for a decision; it can be changed if it is returned."))
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise DomainError(_("This field cannot be changed here."))
    creating = application is None
    if creating:
        application = StoreApplication(organisation=organisation, applicant=actor)
    changed = [*fields, "slug", "updated_at"]
    for name, value in fields.items():
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    if not application.origin_id and organisation.kabupaten_kota_id:
        application.origin_id = organisation.kabupaten_kota_id
        changed.append("origin")
    application.slug = _clean_slug(application.slug, application.name, application=application)
    if logo is not None:
        application.logo = render(validate_image_upload(logo, min_side=64), LOGO_SIDE, f"{application.slug}-logo")
        changed.append("logo")
    if submit:
        changed += ["status", "submitted_at", "submission_count", "applicant", "language"]
        first = application.submission_count == 0
        application.status = S.SUBMITTED if first else S.RESUBMITTED
        application.submitted_at = timezone.now()
        application.submission_count += 1
        application.applicant = actor
        application.language = translation.get_language() or application.language
    application.full_clean()
    application.save(update_fields=None if creating else changed)
    if submit:
        audit_record(
            actor=actor,
            action=f"marketplace.store_application_{application.status}",
            organisation=organisation,
            target=application,
            data={"name": application.name, "slug": application.slug, "times": application.submission_count},
        )
    return application


def _locked(application: StoreApplication) -> StoreApplication:
    return (
        StoreApplication.objects.select_for_update(of=("self",))
        .select_related("organisation", "store", "applicant")
        .get(pk=application.pk)
    )


def _require_decider(actor: User, application: StoreApplication) -> None:
    if not may_decide(user=actor, application=application):
        raise PermissionDenied


@transaction.atomic
def store_application_approve(*, actor: User, application: StoreApplication, base_url: str = "") -> Store:
    """Open the store the application asks for: slug, name, logo, description, origin, pickup address and bank
    account, in the same transaction as the approval and its audit event; the applicant is e-mailed.

    Only whoever decides it (see `may_decide`; PermissionDenied otherwise). Idempotent: an approved application
    returns its store and changes nothing. DomainError when it is not waiting, the organisation is no longer
    verified (with the reason), or the address was taken."""
    locked = _locked(application)
    _require_decider(actor, locked)
    if locked.status == S.APPROVED:
        # Read the store afresh: after waiting for the lock, PostgreSQL re-reads the locked row but not the rows
        # it was joined to, so a store opened by the transaction we waited for is not in the join.
        return Store.objects.get(pk=locked.store_id)
    if not locked.is_waiting:
        raise DomainError(_("This application is not waiting for a decision."))
    standing = organisation_standing(locked.organisation)
    if not standing.verified:  # verified when it applied, no longer now
        raise DomainError(standing.reason)
    if Store.objects.filter(organisation_id=locked.organisation_id).exists():
        raise DomainError(_("This organisation has a store already."))
    if Store.objects.filter(slug=locked.slug).exists():
        raise DomainError(_("Another store took this address meanwhile; return the application to change it."))
    store = Store(
        organisation=locked.organisation,
        name=locked.name,
        slug=locked.slug,
        description=locked.description,
        **{name: getattr(locked, name) for name in ORIGIN_FIELDS if name != "origin"},
        origin_id=locked.origin_id,
        bank_name=locked.bank_name,
        bank_account_number=locked.bank_account_number,
        bank_account_name=locked.bank_account_name,
    )
    if locked.logo:
        with locked.logo.open("rb") as handle:
            store.logo.save(locked.logo.name.rsplit("/", 1)[-1], ContentFile(handle.read()), save=False)
    store.full_clean()
    store.save()
    locked.status, locked.store = S.APPROVED, store
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "store", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="marketplace.store_application_approved",
        organisation=locked.organisation,
        target=locked,
        data={"store": store.slug, "store_id": store.pk},
    )
    _notify(locked, "approved", base_url)
    return store


@transaction.atomic
def store_application_return(
    *, actor: User, application: StoreApplication, reason: str, base_url: str = ""
) -> StoreApplication:
    """Send the application back to its owner with `reason` (required), who may edit and submit it again.

    Only whoever decides it. Idempotent: returning one already returned changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the applicant why the application is returned."))
    locked = _locked(application)
    _require_decider(actor, locked)
    if locked.status == S.RETURNED:
        return locked
    if not locked.is_waiting:
        raise DomainError(_("This application is not waiting for a decision."))
    locked.status, locked.return_reason = S.RETURNED, reason[:1000]
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="marketplace.store_application_returned",
        organisation=locked.organisation,
        target=locked,
        data={"reason": locked.return_reason},
    )
    _notify(locked, "returned", base_url)
    return locked


def _notify(application: StoreApplication, decision: str, base_url: str) -> None:
    """Tell the applicant and the organisation's owners, in the applicant's language, after the commit."""
    owners = Membership.objects.filter(organisation=application.organisation, role=Membership.Role.OWNER)
    recipients = sorted({application.applicant.email, *owners.values_list("user__email", flat=True)})
    if decision == "approved":
        link = base_url + reverse("marketplace:store", kwargs={"slug": application.slug})
    else:
        link = base_url + reverse("marketplace:seller_open", kwargs={"slug": application.organisation.slug})
    context = {"application": application, "decision": decision, "link": link}
    with translation.override(application.language or None):
        subject = render_to_string("marketplace/email/store_application_subject.txt", context)
        body = render_to_string("marketplace/email/store_application.txt", context)
    send_mail_on_commit(subject=" ".join(subject.split()), body=body, recipients=recipients)
