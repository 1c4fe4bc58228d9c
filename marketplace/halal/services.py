"""Writes of the halal app: the facilitation workflow, certificates, product sync, reminders, flagship curation."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.catalogue.fragments import catalogue_changed
from marketplace.halal.models import (
    BUSINESS_KINDS,
    CaseAttachment,
    CaseEvent,
    CaseStatus,
    Certificate,
    HalalCase,
    Scheme,
)
from marketplace.halal.notifications import case_notify
from marketplace.halal.policy import self_declare_reasons
from marketplace.halal.uploads import clean_attachment
from marketplace.models import Product
from opop.figures import figures_mark_dirty
from opop.models import Membership, Organisation, User
from opop.permissions import is_organisation_member, is_programme_staff_for_region
from opop.services import DomainError, audit_record

BUSINESS_ROLES = (Membership.Role.OWNER, Membership.Role.STAFF)
OPEN_STATES = (CaseStatus.SUBMITTED, CaseStatus.ASSIGNED, CaseStatus.VERIFICATION, CaseStatus.FATWA)


# --- who may do what -----------------------------------------------------------------------------


def is_business_member(*, user, organisation_id: int) -> bool:
    """An owner or staff member of the business."""
    return is_organisation_member(user=user, organisation_id=organisation_id, roles=BUSINESS_ROLES)


def is_staff_for(*, user, organisation: Organisation) -> bool:
    """Diskop staff of the province, or of the business's kabupaten/kota; superusers."""
    return is_programme_staff_for_region(user=user, kabupaten_kota_id=organisation.kabupaten_kota_id)


def is_assignee(*, user, case: HalalCase) -> bool:
    return user.is_authenticated and case.assignee_id == user.pk


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: object  # lazy translation


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", (CaseStatus.DRAFT,), CaseStatus.SUBMITTED, gettext_lazy("Submit to Diskop")),
        Transition("assign", (CaseStatus.SUBMITTED,), CaseStatus.ASSIGNED, gettext_lazy("Assign companion/auditor")),
        Transition(
            "start_verification", (CaseStatus.ASSIGNED,), CaseStatus.VERIFICATION, gettext_lazy("Start verification")
        ),
        Transition(
            "send_to_fatwa", (CaseStatus.VERIFICATION,), CaseStatus.FATWA, gettext_lazy("Verified: send to fatwa")
        ),
        Transition("issue", (CaseStatus.FATWA,), CaseStatus.ISSUED, gettext_lazy("Record certificate")),
        Transition("return", OPEN_STATES, CaseStatus.DRAFT, gettext_lazy("Return for fixes")),
        Transition("reject", OPEN_STATES, CaseStatus.REJECTED, gettext_lazy("Reject")),
        Transition(
            "reopen",
            (CaseStatus.ISSUED,),
            CaseStatus.NEEDS_RENEWAL,
            gettext_lazy("Composition or process changed: the certificate needs renewal"),
        ),
        Transition("renew", (CaseStatus.NEEDS_RENEWAL,), CaseStatus.DRAFT, gettext_lazy("Start the renewal")),
    )
}


def may_transition(*, user, case: HalalCase, name: str) -> bool:
    """Whether `user` may take transition `name` on `case` now (state and role)."""
    transition = TRANSITIONS.get(name)
    if transition is None or case.status not in transition.sources:
        return False
    if name in ("submit", "reopen", "renew"):
        return is_business_member(user=user, organisation_id=case.organisation_id)
    if name in ("start_verification", "send_to_fatwa"):
        return is_assignee(user=user, case=case)
    if name == "return":
        return is_staff_for(user=user, organisation=case.organisation) or (
            is_assignee(user=user, case=case) and case.status in (CaseStatus.ASSIGNED, CaseStatus.VERIFICATION)
        )
    return is_staff_for(user=user, organisation=case.organisation)  # assign, issue, reject


def allowed_transitions(*, user, case: HalalCase) -> list[str]:
    return [name for name in TRANSITIONS if may_transition(user=user, case=case, name=name)]


def may_edit(*, user, case: HalalCase) -> bool:
    return case.status == CaseStatus.DRAFT and is_business_member(user=user, organisation_id=case.organisation_id)


def may_attach(*, user, case: HalalCase) -> bool:
    """The business while it prepares the file; the companion/auditor while verifying."""
    if case.status == CaseStatus.DRAFT:
        return is_business_member(user=user, organisation_id=case.organisation_id)
    return case.status in (CaseStatus.ASSIGNED, CaseStatus.VERIFICATION) and is_assignee(user=user, case=case)


# --- the case ------------------------------------------------------------------------------------


def _check_products(organisation: Organisation, products) -> list[Product]:
    products = list(products)
    if not products:
        raise DomainError(_("Choose at least one product."))
    if any(p.store.organisation_id != organisation.pk for p in products):
        raise DomainError(_("A case covers only the business's own products."))
    return products


@transaction.atomic
def case_create(
    *,
    actor: User,
    organisation: Organisation,
    products,
    scheme: str,
    business_unit: str = "",
    annual_turnover: int = 0,
    production_sites: int = 1,
    sells_goods: bool = True,
    uses_risky_materials: bool = False,
) -> HalalCase:
    """Open a draft case for `organisation` (a business the actor owns or works for)."""
    if organisation.kind not in BUSINESS_KINDS:
        raise DomainError(_("Only a pesantren, santri or alumni business can request halal facilitation."))
    if not is_business_member(user=actor, organisation_id=organisation.pk):
        raise DomainError(_("You do not act for this business."))
    products = _check_products(organisation, products)
    case = HalalCase(
        organisation=organisation,
        scheme=scheme,
        business_unit=business_unit,
        annual_turnover=annual_turnover,
        production_sites=production_sites,
        sells_goods=sells_goods,
        uses_risky_materials=uses_risky_materials,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    case.products.set(products)
    CaseEvent.objects.create(
        case=case, actor=actor, action="create", to_status=CaseStatus.DRAFT, occurred_on=timezone.localdate()
    )
    audit_record(actor=actor, action="halal.case.created", organisation=organisation, target=case)
    return case


@transaction.atomic
def case_update(*, actor: User, case: HalalCase, products, **fields) -> HalalCase:
    """Change a draft's details and products (the business, while the case is a draft)."""
    case = HalalCase.objects.select_for_update().get(pk=case.pk)
    if not may_edit(user=actor, case=case):
        raise DomainError(_("Only the business can change its case, and only while it is a draft."))
    products = _check_products(case.organisation, products)
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save(update_fields=[*fields, "updated_at"])
    case.products.set(products)
    audit_record(actor=actor, action="halal.case.updated", organisation=case.organisation, target=case)
    return case


def _store_attachments(case, event, actor, attachments) -> None:
    for kind, upload in attachments or ():
        CaseAttachment.objects.create(
            case=case,
            event=event,
            kind=kind,
            file=clean_attachment(upload),
            original_name=upload.name[:200],
            uploaded_by=actor,
        )


@transaction.atomic
def case_attach(*, actor: User, case: HalalCase, kind: str, upload) -> CaseAttachment:
    """Add a document to a case (business while draft; companion/auditor while verifying)."""
    case = HalalCase.objects.select_for_update().get(pk=case.pk)
    if not may_attach(user=actor, case=case):
        raise DomainError(_("You cannot add documents to this case now."))
    attachment = CaseAttachment.objects.create(
        case=case, kind=kind, file=clean_attachment(upload), original_name=upload.name[:200], uploaded_by=actor
    )
    audit_record(
        actor=actor,
        action="halal.case.attached",
        organisation=case.organisation,
        target=case,
        data={"kind": kind, "name": attachment.original_name},
    )
    return attachment


REQUIRED_ON_SUBMIT = ("ingredients", "process_flow")


@transaction.atomic
def case_transition(
    *,
    actor: User,
    case: HalalCase,
    action: str,
    note: str = "",
    occurred_on: date | None = None,
    attachments=(),
    assignee: User | None = None,
    inspection_body: str = "",
    certificate: dict | None = None,
) -> HalalCase:
    """Move `case` one step along its workflow.

    Needs the right role for the step (see `may_transition`). `return` and `reject` need a reason in
    `note`; `assign` needs `assignee`; `issue` needs `certificate` (number, issued_on, expires_on, pdf).
    Records a `CaseEvent` with the attachments, an audit event, and e-mails the people involved after
    the commit. Raises DomainError (or ValidationError for a bad certificate or file).
    """
    case = HalalCase.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(_("Unknown step."))
    if case.status not in transition.sources:
        raise DomainError(
            _("This step is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
        )
    if not may_transition(user=actor, case=case, name=action):
        raise DomainError(_("You may not take this step on this case."))
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."))
    note = note.strip()
    if action in ("return", "reject") and not note:
        raise DomainError(_("Please give the reason."))
    if action == "reopen" and not note:
        raise DomainError(_("Describe what changed in the composition or the process."))
    if action == "submit":
        kinds = set(case.attachments.values_list("kind", flat=True)) | {kind for kind, _u in attachments or ()}
        missing = [k for k in REQUIRED_ON_SUBMIT if k not in kinds]
        if missing:
            raise DomainError(_("Attach the ingredient list and the process flow before submitting."))
        if case.scheme == Scheme.SELF_DECLARE:
            reasons = self_declare_reasons(case=case, on=occurred_on)
            if reasons:
                raise DomainError(
                    _("This business cannot use self-declare: %(reasons)s") % {"reasons": " ".join(reasons)}
                )
    if action == "assign":
        if assignee is None:
            raise DomainError(_("Choose the companion or auditor."))
        if is_business_member(user=assignee, organisation_id=case.organisation_id):
            raise DomainError(_("A member of the business cannot verify its own case."))
        if case.scheme == Scheme.REGULER and not inspection_body.strip():
            raise DomainError(_("Name the LPH (halal inspection body) that audits this case."))
        case.assignee = assignee
        case.inspection_body = inspection_body.strip()
    source = case.status
    case.status = transition.target
    case.status_changed_at = timezone.now()
    changed = ["status", "status_changed_at", "updated_at"]
    if action == "assign":
        changed += ["assignee", "inspection_body"]
    if action in ("return", "reject", "reopen"):
        case.reason = note
        changed.append("reason")
    elif action == "submit":
        case.reason = ""
        changed.append("reason")
    case.save(update_fields=changed)
    event = CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_status=source,
        to_status=case.status,
        occurred_on=occurred_on,
        note=note,
    )
    _store_attachments(case, event, actor, attachments)
    cert = None
    if action == "reopen":
        # The certificate no longer describes the product: hide the badge until an update is certified.
        certificate = Certificate.objects.filter(case=case, revoked=False).first()
        if certificate is not None:
            certificate_revoke(actor=actor, certificate=certificate, reason=note)
    if action == "issue":
        if not certificate:
            raise DomainError(_("Enter the certificate details."))
        cert = certificate_record(actor=actor, case=case, **certificate)
    audit_record(
        actor=actor,
        action=f"halal.case.{action}",
        organisation=case.organisation,
        target=case,
        data={"from": source, "to": case.status, "note": note, "on": occurred_on.isoformat()},
    )
    case_notify(case=case, action=action, note=note, certificate=cert)
    return case


# --- certificates and the product badge ----------------------------------------------------------


@transaction.atomic
def certificate_record(
    *,
    actor: User,
    number: str,
    issued_on: date,
    case: HalalCase | None = None,
    organisation: Organisation | None = None,
    products=None,
    expires_on: date | None = None,
    issuer: str = "BPJPH",
    pdf=None,
) -> Certificate:
    """Record a BPJPH certificate covering `products` (default: the case's) and show their halal badge.

    A renewal that keeps the SH number (BPJPH keeps it when the composition changes) re-validates the
    business's withdrawn certificate row with the new dates instead of failing on the unique number."""
    organisation = organisation or case.organisation
    products = list(products if products is not None else case.products.all())
    if pdf:
        pdf = clean_attachment(pdf, pdf_only=True)
    number = (number or "").strip().upper()
    cert = Certificate.objects.filter(number=number, organisation=organisation, revoked=True).first()
    creating = cert is None
    if creating:
        cert = Certificate(number=number, organisation=organisation)
    cert.issuer = issuer
    cert.case = case
    cert.issued_on = issued_on
    cert.expires_on = expires_on
    cert.revoked = False
    changed = ["issuer", "case", "issued_on", "expires_on", "revoked", "updated_at"]
    if pdf:
        cert.pdf = pdf
        changed.append("pdf")
    cert.full_clean()
    cert.save(update_fields=None if creating else changed)
    cert.products.set(_check_products(organisation, products))
    for product in products:
        product_halal_sync(product=product, actor=actor)
    figures_mark_dirty(when=cert.issued_on, kabupaten_kota_id=organisation.kabupaten_kota_id)
    audit_record(
        actor=actor,
        action="halal.certificate.recorded",
        organisation=organisation,
        target=cert,
        data={"number": cert.number},
    )
    return cert


def valid_certificate_for(product: Product, *, on: date | None = None) -> Certificate | None:
    on = on or timezone.localdate()
    return (
        product.halal_certificates.filter(revoked=False, issued_on__lte=on)
        .exclude(expires_on__lt=on)
        .order_by("-issued_on", "-id")
        .first()
    )


@transaction.atomic
def product_composition_changed(*, actor: User, product: Product, note: str) -> HalalCase | None:
    """The seller confirms that a certified product's ingredients or process changed.

    The certificate no longer describes the product: it is withdrawn (the badge disappears) and the product's
    case goes to "certificate needs renewal", from which the seller starts the renewal through the case
    workflow. A certificate without a case (a number staff verified) gets a new case in that state. Returns
    the case, or None when nothing certifies the product. Raises DomainError when `note` is empty or the
    actor does not act for the business.
    """
    certificate = valid_certificate_for(product)
    if certificate is None:
        return None
    if certificate.case is not None and certificate.case.status == CaseStatus.ISSUED:
        return case_transition(actor=actor, case=certificate.case, action="reopen", note=note)
    note = note.strip()
    if not note:
        raise DomainError(_("Describe what changed in the composition or the process."))
    organisation = product.store.organisation
    case = case_create(
        actor=actor, organisation=organisation, products=certificate.products.all(), scheme=Scheme.SELF_DECLARE
    )
    case.status = CaseStatus.NEEDS_RENEWAL
    case.reason = note
    case.status_changed_at = timezone.now()
    case.save(update_fields=["status", "reason", "status_changed_at", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        action="reopen",
        from_status=CaseStatus.DRAFT,
        to_status=CaseStatus.NEEDS_RENEWAL,
        occurred_on=timezone.localdate(),
        note=note,
    )
    certificate_revoke(actor=actor, certificate=certificate, reason=note)
    audit_record(
        actor=actor,
        action="halal.case.reopen",
        organisation=organisation,
        target=case,
        data={"certificate": certificate.number, "note": note},
    )
    case_notify(case=case, action="reopen", note=note)
    return case


def renewal_cases_for_products(product_ids) -> dict[int, HalalCase]:
    """{product id: its case in "certificate needs renewal"} for the given products (one query)."""
    links = HalalCase.products.through.objects.filter(
        product_id__in=list(product_ids), halalcase__status=CaseStatus.NEEDS_RENEWAL
    ).select_related("halalcase")
    return {link.product_id: link.halalcase for link in links}


@transaction.atomic
def product_halal_sync(*, product: Product, actor: User | None = None, on: date | None = None) -> str:
    """The one place that decides whether a product is halal for shoppers.

    Writes `Product.halal_certificate_number` (denormalised, indexed) from the product's valid certificate —
    recorded by a case (`certificate_record`) or by staff verifying a seller's number (`claims.claim_verify`) —
    or empties it. The card chip (`Product.is_halal`), the catalogue filter, the product page's halal line and
    its structured data all read that one field; nothing else writes it. Bumps the catalogue cache on a change.
    """
    cert = valid_certificate_for(product, on=on)
    number = cert.number if cert else ""
    if (
        Product.objects.filter(pk=product.pk)
        .exclude(halal_certificate_number=number)
        .update(halal_certificate_number=number)
    ):
        catalogue_changed(products=[product])
        audit_record(
            actor=actor,
            action="halal.product.badge_synced",
            organisation=product.store.organisation,
            target=product,
            data={"number": number},
        )
    product.halal_certificate_number = number
    return number


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate (composition or process changed, or BPJPH revoked it): the badge disappears."""
    if not is_staff_for(user=actor, organisation=certificate.organisation) and not is_business_member(
        user=actor, organisation_id=certificate.organisation_id
    ):
        raise DomainError(_("You may not change this certificate."))
    if not reason.strip():
        raise DomainError(_("Please give the reason."))
    certificate.revoked = True
    certificate.save(update_fields=["revoked", "updated_at"])
    figures_mark_dirty(when=certificate.issued_on, kabupaten_kota_id=certificate.organisation.kabupaten_kota_id)
    for product in certificate.products.select_related("store__organisation"):
        product_halal_sync(product=product, actor=actor)
    audit_record(
        actor=actor,
        action="halal.certificate.revoked",
        organisation=certificate.organisation,
        target=certificate,
        data={"reason": reason},
    )
    return certificate
