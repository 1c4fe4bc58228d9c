"""Flagship curation (produk unggulan OPOP): proposals, scored decisions and the catalogue's flagship flag."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.catalogue.fragments import catalogue_changed
from marketplace.halal.models import FlagshipProposal, FlagshipStatus
from marketplace.halal.services import is_business_member, is_staff_for
from marketplace.models import Product
from opop.figures import figures_mark_dirty
from opop.models import User
from opop.services import DomainError, audit_record


@transaction.atomic
def flagship_propose(*, actor: User, product: Product, motivation: str = "") -> FlagshipProposal:
    """Propose a product as OPOP flagship (its seller, or staff of its region)."""
    organisation = product.store.organisation
    if not (
        is_business_member(user=actor, organisation_id=organisation.pk)
        or is_staff_for(user=actor, organisation=organisation)
    ):
        raise DomainError(_("You may not propose this product."))
    if product.is_flagship:
        raise DomainError(_("This product is already an OPOP flagship product."))
    if FlagshipProposal.objects.filter(product=product, status=FlagshipStatus.PROPOSED).exists():
        raise DomainError(_("This product already has an open proposal."))
    proposal = FlagshipProposal.objects.create(product=product, proposed_by=actor, motivation=motivation)
    audit_record(actor=actor, action="halal.flagship.proposed", organisation=organisation, target=proposal)
    return proposal


@transaction.atomic
def flagship_decide(
    *, actor: User, proposal: FlagshipProposal, approve: bool, scores: dict, notes: str = "", reason: str = ""
) -> FlagshipProposal:
    """Score and decide a proposal (staff of the product's region). Approval sets the product's flagship flag."""
    proposal = (
        FlagshipProposal.objects.select_for_update().select_related("product__store__organisation").get(pk=proposal.pk)
    )
    organisation = proposal.product.store.organisation
    if not is_staff_for(user=actor, organisation=organisation):
        raise DomainError(_("Only Diskop staff of this region can curate flagship products."))
    if proposal.status != FlagshipStatus.PROPOSED:
        raise DomainError(_("This proposal has already been decided."))
    if not approve and not reason.strip():
        raise DomainError(_("Please give the reason."))
    for field, value in scores.items():
        setattr(proposal, field, value)
    if approve and any(value is None for value in scores.values()):
        raise DomainError(_("Score every criterion before approving."))
    proposal.notes = notes
    proposal.reason = reason
    proposal.status = FlagshipStatus.APPROVED if approve else FlagshipStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    try:
        proposal.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None
    proposal.save(update_fields=[*scores, "notes", "reason", "status", "decided_by", "decided_at", "updated_at"])
    if approve:
        product_flagship_set(actor=actor, product=proposal.product, flagship=True)
    audit_record(
        actor=actor,
        action=f"halal.flagship.{proposal.status}",
        organisation=organisation,
        target=proposal,
        data={"total": proposal.total_score, "reason": reason},
    )
    return proposal


@transaction.atomic
def product_flagship_set(*, actor: User, product: Product, flagship: bool) -> None:
    """Set the catalogue's flagship flag (marketplace has no service for it) and mark the region's figures."""
    changed = Product.objects.filter(pk=product.pk).exclude(is_flagship=flagship).update(is_flagship=flagship)
    product.is_flagship = flagship
    if changed:
        catalogue_changed(products=[product])
        organisation = product.store.organisation
        audit_record(
            actor=actor,
            action="halal.product.flagship_set",
            organisation=organisation,
            target=product,
            data={"flagship": flagship},
        )
        figures_mark_dirty(when=timezone.now(), kabupaten_kota_id=organisation.kabupaten_kota_id)
