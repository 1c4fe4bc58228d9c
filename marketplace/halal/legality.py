"""Validation of legal identifiers (NIB, P-IRT, BPOM MD/ML) and their records' writes."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.catalogue.fragments import catalogue_changed
from marketplace.halal.models import LegalityKind, LegalityRecord, LegalityStatus
from marketplace.halal.services import is_business_member, is_staff_for
from marketplace.models import Product
from opop.models import User
from opop.services import DomainError, audit_record


def normalise_number(kind: str, raw: str) -> str:
    """Return the number in its standard form, or raise ValidationError with a message for the seller."""
    value = " ".join((raw or "").split()).upper()
    if kind == LegalityKind.NIB:
        digits = value.replace(" ", "")
        if not re.fullmatch(r"\d{13}", digits):
            raise ValidationError(_("An NIB has exactly 13 digits, e.g. 9120001234567."))
        return digits
    if kind == LegalityKind.PIRT:
        value = value.removeprefix("P-IRT").strip().removeprefix("NO.").strip()
        if not re.fullmatch(r"[\d\-. ]+", value) or len(re.sub(r"\D", "", value)) < 15:
            raise ValidationError(_("A P-IRT (SPP-IRT) number has at least 15 digits, e.g. 2063517020456-26."))
        return value
    if kind in (LegalityKind.BPOM_MD, LegalityKind.BPOM_ML):
        prefix = "MD" if kind == LegalityKind.BPOM_MD else "ML"
        match = re.fullmatch(rf"{prefix}\s?(\d{{12}})", value)
        if not match:
            raise ValidationError(
                _("A BPOM %(prefix)s number is %(prefix)s followed by 12 digits, e.g. %(prefix)s 251128001234.")
                % {"prefix": prefix}
            )
        return f"{prefix} {match.group(1)}"
    if not value:
        raise ValidationError(_("Enter the number."))
    return value


@transaction.atomic
def legality_record_submit(*, actor: User, product: Product, kind: str, number: str) -> LegalityRecord:
    """The seller records (or corrects) a legal identifier of its product; it waits for verification."""
    organisation = product.store.organisation
    if not is_business_member(user=actor, organisation_id=organisation.pk):
        raise DomainError(_("Only the seller can record its product's legality."))
    number = normalise_number(kind, number)
    record, _created = LegalityRecord.objects.update_or_create(
        product=product,
        kind=kind,
        defaults={
            "number": number,
            "status": LegalityStatus.PENDING,
            "submitted_by": actor,
            "verified_by": None,
            "verified_at": None,
            "note": "",
        },
    )
    catalogue_changed()  # a verified mark on the product page may go
    audit_record(
        actor=actor,
        action="halal.legality.submitted",
        organisation=organisation,
        target=record,
        data={"number": number},
    )
    return record


@transaction.atomic
def legality_record_verify(*, actor: User, record: LegalityRecord, verified: bool, note: str = "") -> LegalityRecord:
    """Staff of the product's region confirm the number against the source register, or reject it with a note."""
    record = LegalityRecord.objects.select_for_update().select_related("product__store__organisation").get(pk=record.pk)
    organisation = record.product.store.organisation
    if not is_staff_for(user=actor, organisation=organisation):
        raise DomainError(_("Only Diskop staff of this region can verify legality."))
    if not verified and not note.strip():
        raise DomainError(_("Please give the reason."))
    record.status = LegalityStatus.VERIFIED if verified else LegalityStatus.REJECTED
    record.note = note
    record.verified_by = actor
    record.verified_at = timezone.now()
    record.save(update_fields=["status", "note", "verified_by", "verified_at", "updated_at"])
    catalogue_changed()  # the product page shows the verified mark
    audit_record(actor=actor, action=f"halal.legality.{record.status}", organisation=organisation, target=record)
    return record


# The product's own legal-number fields and the record kind each is checked as.
PRODUCT_FIELDS = (("nib", LegalityKind.NIB), ("pirt", LegalityKind.PIRT), ("bpom_md", LegalityKind.BPOM_MD))


def _kind_of(field: str, kind: str, number: str) -> str:
    return LegalityKind.BPOM_ML if field == "bpom_md" and number.startswith("ML") else kind


def legality_numbers_submit(*, actor: User, product: Product, numbers: dict[str, str]) -> list[LegalityRecord]:
    """The legal numbers typed on the product form (`numbers`: field → normalised number) go to the legality
    page for staff verification, like numbers recorded there; unchanged numbers keep their verification."""
    records = {record.kind: record for record in product.legality_records.all()}
    submitted = []
    for field, kind in PRODUCT_FIELDS:
        number = numbers.get(field) or ""
        if not number:
            continue
        kind = _kind_of(field, kind, number)
        record = records.get(kind)
        if record is not None and record.number == number:
            continue
        submitted.append(legality_record_submit(actor=actor, product=product, kind=kind, number=number))
    return submitted


def verified_numbers(product: Product) -> list[tuple[str, str]]:
    """(label, number) of the product's legal numbers that staff verified and that the product still shows.
    A number without a verified record is not shown to shoppers as a claim."""
    verified = {
        (record.kind, record.number): record
        for record in LegalityRecord.objects.filter(product=product, status=LegalityStatus.VERIFIED)
    }
    rows = []
    for field, kind in PRODUCT_FIELDS:
        number = getattr(product, field)
        kind = _kind_of(field, kind, number)
        record = verified.get((kind, number))
        if number and record is not None:
            rows.append((LegalityKind(kind).label, record.display_number))
    return rows
