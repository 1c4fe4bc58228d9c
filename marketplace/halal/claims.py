"""Halal numbers typed by sellers: the claim waits, unseen by shoppers, until Diskop staff check it against
BPJPH's record and verify it (which records or links a `Certificate`, and so shows the badge through
`services.product_halal_sync`) or reject it with a reason the seller sees."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.halal.models import (
    CaseStatus,
    Certificate,
    ClaimStatus,
    HalalCase,
    HalalClaim,
    certificate_number_validator,
)
from marketplace.halal.notifications import business_emails
from marketplace.halal.selectors import BUSINESS_ROLES
from marketplace.halal.services import (
    certificate_record,
    is_business_member,
    is_staff_for,
    product_halal_sync,
    valid_certificate_for,
)
from marketplace.halal.uploads import clean_attachment
from marketplace.models import Product
from opop.mail import send_mail_on_commit
from opop.models import User
from opop.permissions import is_programme_staff, scope_queryset
from opop.services import DomainError, audit_record

# --- reads ---------------------------------------------------------------------------------------


def claims_for(*, user) -> QuerySet[HalalClaim]:
    """Claims the user may open: their businesses' products; Diskop staff by region (province: all)."""
    return scope_queryset(
        HalalClaim.objects.all(),
        user,
        organisation_field="product__store__organisation",
        region_field="product__store__organisation__kabupaten_kota",
        roles=BUSINESS_ROLES,
    ).select_related("product__store__organisation__kabupaten_kota", "submitted_by", "decided_by", "certificate")


def claim_for_staff_or_404(*, user, pk: int) -> HalalClaim:
    """A claim of the staff member's region; anything else (another region, not staff) answers 404."""
    if not is_programme_staff(user=user):
        raise Http404
    claim = claims_for(user=user).filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


def claim_current(product: Product) -> HalalClaim | None:
    """The product's latest claim that is not withdrawn (what the seller's editor shows)."""
    return product.halal_claims.exclude(status=ClaimStatus.WITHDRAWN).order_by("-created_at", "-id").first()


def with_halal_states(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Annotate, in the same query, `halal_claim_pending` (a typed number awaiting verification) and
    `halal_needs_renewal` (a case in "certificate needs renewal") for the seller's product list."""
    pending = HalalClaim.objects.filter(product=OuterRef("pk"), status=ClaimStatus.PENDING)
    renewal = HalalCase.objects.filter(products=OuterRef("pk"), status=CaseStatus.NEEDS_RENEWAL)
    return queryset.annotate(halal_claim_pending=Exists(pending), halal_needs_renewal=Exists(renewal))


def seller_halal_attention(products: QuerySet[Product]) -> dict[str, list]:
    """For the seller's dashboard: products whose certificate needs renewal (with their case), numbers
    awaiting verification, and numbers staff rejected (the latest claim of its product). Three queries."""
    links = (
        HalalCase.products.through.objects.filter(product__in=products, halalcase__status=CaseStatus.NEEDS_RENEWAL)
        .select_related("product", "halalcase")
        .order_by("product__name")
    )
    newer = HalalClaim.objects.filter(product=OuterRef("product"), created_at__gt=OuterRef("created_at")).exclude(
        status=ClaimStatus.WITHDRAWN
    )
    return {
        "renewal": [(link.product, link.halalcase) for link in links],
        "pending": list(
            HalalClaim.objects.filter(product__in=products, status=ClaimStatus.PENDING).select_related("product")
        ),
        "rejected": list(
            HalalClaim.objects.filter(product__in=products, status=ClaimStatus.REJECTED)
            .exclude(Exists(newer))
            .select_related("product")
        ),
    }


# --- writes --------------------------------------------------------------------------------------


def _normalise(number: str) -> str:
    number = "".join((number or "").split()).upper()
    certificate_number_validator(number)
    return number


@transaction.atomic
def claim_submit(*, actor: User, product: Product, number: str, evidence=None) -> HalalClaim | None:
    """The seller states the product's halal certificate number (and may attach a scan of it).

    The number waits for staff verification and shoppers see nothing of it. An empty number withdraws a
    waiting claim; the number of the product's standing certificate needs no claim. A waiting claim with
    another number is replaced. Returns the waiting claim, or None. Raises ValidationError for a wrong
    format or file, DomainError when the actor does not act for the business or the number is another
    business's certificate.
    """
    organisation = product.store.organisation
    if not is_business_member(user=actor, organisation_id=organisation.pk):
        raise DomainError(_("Only the seller can state its product's halal certificate."))
    product = Product.objects.select_for_update().get(pk=product.pk)
    number = "".join((number or "").split()).upper()
    pending = product.halal_claims.filter(status=ClaimStatus.PENDING).first()
    standing = valid_certificate_for(product)
    if not number or (standing is not None and standing.number == number):
        if pending is not None:
            pending.status = ClaimStatus.WITHDRAWN
            pending.save(update_fields=["status", "updated_at"])
            audit_record(actor=actor, action="halal.claim.withdrawn", organisation=organisation, target=pending)
        return None
    number = _normalise(number)
    if Certificate.objects.filter(number=number).exclude(organisation=organisation).exists():
        raise DomainError(
            _("This certificate number belongs to another business. Check the number on your certificate.")
        )
    if evidence:
        evidence = clean_attachment(evidence)
    if pending is not None and pending.number == number:
        if evidence:
            pending.evidence = evidence
            pending.save(update_fields=["evidence", "updated_at"])
        return pending
    if pending is not None:
        pending.status = ClaimStatus.WITHDRAWN
        pending.save(update_fields=["status", "updated_at"])
    claim = HalalClaim(product=product, number=number, submitted_by=actor)
    if evidence:
        claim.evidence = evidence
    claim.full_clean()
    claim.save()
    audit_record(
        actor=actor, action="halal.claim.submitted", organisation=organisation, target=claim, data={"number": number}
    )
    return claim


def _claim_for_decision(actor: User, claim: HalalClaim) -> HalalClaim:
    claim = HalalClaim.objects.select_for_update().select_related("product__store__organisation").get(pk=claim.pk)
    if not is_staff_for(user=actor, organisation=claim.product.store.organisation):
        raise DomainError(_("Only Diskop staff of this region can verify halal certificates."))
    if claim.status != ClaimStatus.PENDING:
        raise DomainError(_("This number was decided already."))
    return claim


def _notify(claim: HalalClaim, subject: str, lines: list[str]) -> None:
    lines.append(
        _("Open the product: %(path)s")
        % {"path": reverse("marketplace:seller_product_edit", kwargs={"pk": claim.product_id})}
    )
    send_mail_on_commit(
        subject=subject, body="\n\n".join(lines), recipients=business_emails(claim.product.store.organisation_id)
    )


@transaction.atomic
def claim_verify(
    *,
    actor: User,
    claim: HalalClaim,
    issued_on: date | None = None,
    expires_on: date | None = None,
    valid_while_unchanged: bool = False,
) -> Certificate:
    """Staff found the number in BPJPH's register: record the certificate (issuer BPJPH, issue date, valid
    until or valid while composition and process are unchanged) for the product, or link the business's
    certificate with that number already on file. The badge then shows. E-mails the seller after the commit.
    Raises DomainError for missing, future or lapsed dates, or when the actor is not staff of the region.
    """
    claim = _claim_for_decision(actor, claim)
    product = claim.product
    organisation = product.store.organisation
    today = timezone.localdate()
    certificate = Certificate.objects.filter(number=claim.number, organisation=organisation, revoked=False).first()
    if certificate is not None and certificate.is_valid_on(today):
        certificate.products.add(product)
        product_halal_sync(product=product, actor=actor)
    else:
        if issued_on is None:
            raise DomainError(_("Enter the issue date printed on the certificate."))
        if issued_on > today:
            raise DomainError(_("The issue date cannot be in the future."))
        if valid_while_unchanged:
            expires_on = None
        elif expires_on is None:
            raise DomainError(_('Enter the valid-until date, or tick "valid while nothing changes".'))
        elif expires_on < issued_on:
            raise DomainError(_("The valid-until date is before the issue date."))
        elif expires_on < today:
            raise DomainError(_("This certificate has expired: it cannot be verified. Reject it with that reason."))
        try:
            certificate = certificate_record(
                actor=actor,
                number=claim.number,
                organisation=organisation,
                products=[product],
                issued_on=issued_on,
                expires_on=expires_on,
            )
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from None
    claim.status = ClaimStatus.VERIFIED
    claim.certificate = certificate
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.reason = ""
    claim.save(update_fields=["status", "certificate", "decided_by", "decided_at", "reason", "updated_at"])
    audit_record(
        actor=actor,
        action="halal.claim.verified",
        organisation=organisation,
        target=claim,
        data={"number": claim.number, "certificate": certificate.pk},
    )
    _notify(
        claim,
        _("[OPOP Halal] Certificate %(number)s verified") % {"number": claim.number},
        [
            _("Diskop UKM verified the halal certificate %(number)s of %(product)s. Shoppers now see the Halal badge.")
            % {"number": claim.number, "product": product.name}
        ],
    )
    return certificate


@transaction.atomic
def claim_reject(*, actor: User, claim: HalalClaim, reason: str) -> HalalClaim:
    """Staff could not confirm the number (not in BPJPH's register, another business, expired…): the seller
    sees the reason on the product and by e-mail. Raises DomainError without a reason."""
    claim = _claim_for_decision(actor, claim)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason."))
    claim.status = ClaimStatus.REJECTED
    claim.reason = reason
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="halal.claim.rejected",
        organisation=claim.product.store.organisation,
        target=claim,
        data={"number": claim.number, "reason": reason},
    )
    _notify(
        claim,
        _("[OPOP Halal] Certificate %(number)s not verified") % {"number": claim.number},
        [
            _("Diskop UKM could not verify the halal certificate %(number)s of %(product)s.")
            % {"number": claim.number, "product": claim.product.name},
            _("Reason: %(reason)s") % {"reason": reason},
        ],
    )
    return claim
