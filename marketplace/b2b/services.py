"""Writes of B2B trade: every step of RFQ → quotation → award/PO → delivery → invoice → payment → rating.

Each service checks who acts (an owner or staff member of the side that may take the step), locks the row it
moves, writes one `Event` per state change, and mails the other side after the commit.
"""

import secrets
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.b2b.access import acts_for
from marketplace.b2b.models import (
    BUYER_KINDS,
    RFQ,
    SUPPLIER_KINDS,
    Delivery,
    DeliveryLine,
    Event,
    Invoice,
    InvoiceLine,
    PaymentTerms,
    POLine,
    PORevision,
    PurchaseOrder,
    Quotation,
    QuotationLine,
    Rating,
    RFQInvitation,
    RFQItem,
    SupplierProfile,
    SupplyOffer,
)
from marketplace.models import Category
from opop import organisations
from opop.figures import figures_mark_dirty
from opop.mail import send_mail_on_commit
from opop.models import KabupatenKota, Membership, Organisation, User
from opop.services import DomainError, audit_record
from opop.uploads import image_clean

# --- helpers --------------------------------------------------------------------------------------------------


def _number(prefix: str) -> str:
    return f"{prefix}-{timezone.localdate():%y%m%d}-{secrets.token_hex(3).upper()}"


def _require_member(actor: User, organisation: Organisation, message: str) -> None:
    if not acts_for(actor, organisation.pk):
        raise DomainError(message)


def _require_verified(organisation: Organisation) -> None:
    if organisation.kind == Organisation.Kind.DISKOP:
        return
    standing = organisations.organisation_standing(organisation)
    if not standing.verified:
        raise DomainError(standing.reason or _("This organisation is not verified in the OPOP programme."))


def _event(
    *,
    rfq: RFQ,
    subject: str,
    subject_id: int,
    actor: User | None,
    organisation,
    from_status: str,
    to_status: str,
    note="",
) -> Event:
    event = Event(
        rfq=rfq,
        subject=subject,
        subject_id=subject_id,
        actor=actor,
        organisation=organisation,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    event.save()
    return event


def _notify(organisation_ids, *, subject: str, headline: str, path: str, base_url: str = "", **params) -> None:
    """Mail the owners and staff of the organisations after the commit, in the portal's default language:
    `subject` and `headline` are msgids (marked with gettext_noop), filled in with `params` once translated."""
    with _default_language():
        subject, headline = _(subject) % params, _(headline) % params
    recipients = sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=list(organisation_ids), role__in=[Membership.Role.OWNER, Membership.Role.STAFF]
            ).values_list("user__email", flat=True)
        )
    )
    body = render_to_string("b2b/email/notice.txt", {"headline": headline, "link": base_url + path})
    send_mail_on_commit(subject=" ".join(str(subject).split()), body=body, recipients=recipients)


def _default_language():
    from django.conf import settings

    return translation.override(settings.LANGUAGE_CODE)


# --- supplier directory ---------------------------------------------------------------------------------------


@transaction.atomic
def supplier_profile_save(
    *, actor: User, organisation: Organisation, about: str = "", nib: str = "", contact_phone: str = ""
) -> SupplierProfile:
    """The supplier's own words and declared NIB in the directory."""
    _require_member(actor, organisation, _("Only the supplier's owners and staff can change its profile."))
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    creating = profile is None
    if creating:
        profile = SupplierProfile(organisation=organisation)
    profile.about, profile.nib, profile.contact_phone = about, nib.replace(" ", ""), contact_phone
    profile.full_clean()
    profile.save(update_fields=None if creating else ["about", "nib", "contact_phone", "updated_at"])
    return profile


@transaction.atomic
def supply_offer_save(
    *,
    actor: User,
    organisation: Organisation,
    category: Category,
    product_name: str,
    unit: str,
    min_quantity: int,
    price_per_unit: int,
    capacity_per_month: int,
    delivery_areas: list[KabupatenKota],
    description: str = "",
    is_active: bool = True,
    offer: SupplyOffer | None = None,
) -> SupplyOffer:
    """List (or change) what a verified supplier can deliver in bulk. Raises DomainError for a non-member, an
    unverified organisation or a kind that does not supply."""
    _require_member(actor, organisation, _("Only the supplier's owners and staff can list its supply."))
    if organisation.kind not in SUPPLIER_KINDS:
        raise DomainError(_("Only pesantren, santri businesses and alumni businesses list supply offers."))
    _require_verified(organisation)
    if offer is not None and offer.organisation_id != organisation.pk:
        raise DomainError(_("This offer belongs to another supplier."))
    if not delivery_areas:
        raise DomainError(_("Choose at least one regency/city the supplier delivers to."))
    if capacity_per_month < min_quantity:
        raise DomainError(_("The monthly capacity cannot be smaller than the minimum quantity."))
    creating = offer is None
    offer = offer or SupplyOffer(organisation=organisation)
    offer.category, offer.product_name, offer.unit = category, product_name, unit
    offer.min_quantity, offer.price_per_unit, offer.capacity_per_month = (
        min_quantity,
        price_per_unit,
        capacity_per_month,
    )
    offer.description, offer.is_active = description, is_active
    offer.full_clean()
    offer.save(
        update_fields=None
        if creating
        else [
            *("category", "product_name", "unit", "min_quantity", "price_per_unit", "capacity_per_month"),
            *("description", "is_active", "updated_at"),
        ]
    )
    offer.delivery_areas.set(delivery_areas)
    return offer


def matching_supplier_ids(*, category_ids, region_kode: str, exclude_id: int | None = None) -> list[int]:
    """Verified suppliers with a listed offer in one of the categories delivering to the region."""
    candidates = (
        Organisation.objects.filter(
            is_active=True,
            kind__in=SUPPLIER_KINDS,
            supply_offers__is_active=True,
            supply_offers__category_id__in=list(category_ids),
            supply_offers__delivery_areas__kode=region_kode,
        )
        .exclude(pk=exclude_id)
        .distinct()
    )
    return [org.pk for org in candidates if organisations.organisation_standing(org).verified]


# --- RFQ ------------------------------------------------------------------------------------------------------


@transaction.atomic
def rfq_post(
    *,
    actor: User,
    buyer: Organisation,
    title: str,
    items: list[dict],
    delivery_region: KabupatenKota,
    delivery_address: str,
    delivery_date: date,
    delivery_kecamatan: str = "",
    delivery_kecamatan_code: str = "",
    delivery_desa: str = "",
    delivery_desa_code: str = "",
    delivery_postal_code: str = "",
    payment_terms: str,
    payment_days: int,
    closes_at: datetime,
    audience: str = RFQ.Audience.OPEN,
    invited: list[Organisation] | None = None,
    note: str = "",
    base_url: str = "",
) -> RFQ:
    """Post a request for quotation. `items`: dicts with name, category, quantity, unit. Open RFQs invite every
    matching supplier (category and region); invited ones only the chosen suppliers. Everyone invited is
    mailed after the commit."""
    _require_member(actor, buyer, _("Only the buyer's owners and staff can post a request."))
    if buyer.kind not in BUYER_KINDS:
        raise DomainError(_("Only a pesantren (or its koppontren) and Diskop UKM post requests for quotation."))
    _require_verified(buyer)
    if not items:
        raise DomainError(_("Add at least one item."))
    now = timezone.now()
    if closes_at <= now:
        raise DomainError(_("The closing time must be in the future."))
    if delivery_date < timezone.localtime(closes_at).date():
        raise DomainError(_("The delivery date cannot be before quotations close."))
    if payment_terms == PaymentTerms.COD:
        payment_days = 0
    elif payment_days < 1:
        raise DomainError(_("Say within how many days the transfer is made."))
    rfq = RFQ(
        number=_number("RFQ-B2B"),
        buyer=buyer,
        created_by=actor,
        title=title,
        delivery_region=delivery_region,
        delivery_address=delivery_address,
        delivery_kecamatan=delivery_kecamatan,
        delivery_kecamatan_code=delivery_kecamatan_code,
        delivery_desa=delivery_desa,
        delivery_desa_code=delivery_desa_code,
        delivery_postal_code=delivery_postal_code,
        delivery_date=delivery_date,
        payment_terms=payment_terms,
        payment_days=payment_days,
        closes_at=closes_at,
        audience=audience,
        note=note,
    )
    rfq.full_clean()
    rfq.save()
    for position, item in enumerate(items):
        row = RFQItem(rfq=rfq, position=position, **item)
        row.full_clean()
        row.save()
    if audience == RFQ.Audience.INVITED:
        chosen = [org for org in (invited or []) if org.pk != buyer.pk and org.kind in SUPPLIER_KINDS]
        if not chosen:
            raise DomainError(_("Choose at least one supplier to invite."))
        for org in chosen:
            _require_verified(org)
        supplier_ids, flag = [org.pk for org in chosen], True
    else:
        supplier_ids = matching_supplier_ids(
            category_ids={item["category"].pk for item in items}, region_kode=delivery_region.kode, exclude_id=buyer.pk
        )
        flag = False
    RFQInvitation.objects.bulk_create([RFQInvitation(rfq=rfq, supplier_id=pk, chosen=flag) for pk in supplier_ids])
    _event(rfq=rfq, subject="rfq", subject_id=rfq.pk, actor=actor, organisation=buyer, from_status="", to_status="open")
    audit_record(
        actor=actor, action="b2b.rfq_posted", organisation=buyer, target=rfq, data={"invited": len(supplier_ids)}
    )
    _notify(
        supplier_ids,
        subject=gettext_noop("Request for quotation %(number)s from %(buyer)s"),
        headline=gettext_noop("%(buyer)s asks for a quotation: %(title)s. Quotations close %(closes)s."),
        path=reverse("b2b:rfq_detail", kwargs={"pk": rfq.pk}),
        base_url=base_url,
        number=rfq.number,
        buyer=buyer.name,
        title=title,
        closes=timezone.localtime(closes_at).strftime("%d-%m-%Y %H:%M"),
    )
    return rfq


@transaction.atomic
def rfq_cancel(*, actor: User, rfq: RFQ, reason: str) -> RFQ:
    """The buyer withdraws an RFQ that is not awarded yet; suppliers who quoted are told."""
    locked = RFQ.objects.select_for_update().get(pk=rfq.pk)
    _require_member(actor, locked.buyer, _("Only the buyer can cancel its request."))
    if locked.status != RFQ.Status.OPEN:
        raise DomainError(_("Only an open request can be cancelled."))
    if not reason.strip():
        raise DomainError(_("Say why the request is cancelled."))
    locked.status = RFQ.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    _event(
        rfq=locked, subject="rfq", subject_id=locked.pk, actor=actor, organisation=locked.buyer,
        from_status="open", to_status="cancelled", note=reason,
    )  # fmt: skip
    quoted = list(locked.quotations.values_list("supplier_id", flat=True))
    _notify(
        quoted,
        subject=gettext_noop("Request %(number)s was cancelled"),
        headline=gettext_noop("The buyer cancelled the request: %(reason)s"),
        path=reverse("b2b:rfq_detail", kwargs={"pk": locked.pk}),
        number=locked.number,
        reason=reason,
    )
    rfq.refresh_from_db()
    return locked


def supplier_may_quote(rfq: RFQ, supplier: Organisation) -> bool:
    """Invited, or (open RFQ) with a listed offer matching one of its categories and its region."""
    if supplier.pk == rfq.buyer_id or supplier.kind not in SUPPLIER_KINDS:
        return False
    if rfq.invitations.filter(supplier=supplier).exists():
        return True
    if rfq.audience != RFQ.Audience.OPEN:
        return False
    return SupplyOffer.objects.filter(
        organisation=supplier,
        is_active=True,
        category_id__in=rfq.items.values("category_id"),
        delivery_areas__kode=rfq.delivery_region_id,
    ).exists()


@transaction.atomic
def quotation_submit(
    *,
    actor: User,
    rfq: RFQ,
    supplier: Organisation,
    lines: dict[int, tuple[int, int]],
    delivery_date: date,
    valid_until: date,
    payment_terms: str,
    payment_days: int = 0,
    note: str = "",
) -> Quotation:
    """Quote (or revise the quotation) for an open RFQ before it closes. `lines`: RFQ item id → (unit price,
    quantity it can deliver); items left out are not quoted. A revision replaces the lines, counts up
    `revision` and leaves an event with the previous total."""
    locked = RFQ.objects.select_for_update().get(pk=rfq.pk)
    _require_member(actor, supplier, _("Only the supplier's owners and staff can quote."))
    if not locked.accepts_quotes:
        raise DomainError(_("This request is closed: quotations are no longer accepted."))
    _require_verified(supplier)
    if not supplier_may_quote(locked, supplier):
        raise DomainError(_("This request is not open to your organisation."))
    items = {item.pk: item for item in locked.items.all()}
    quoted = {pk: value for pk, value in lines.items() if value and value[1]}
    if not quoted:
        raise DomainError(_("Quote at least one item."))
    for pk, (price, quantity) in quoted.items():
        if pk not in items:
            raise DomainError(_("An item of this quotation is not in the request."))
        if price < 1:
            raise DomainError(_("Every quoted item needs a price."))
        if price > 10**12:
            raise DomainError(_("A quantity or a price is far too large."))
        if quantity > items[pk].quantity:
            raise DomainError(
                _("%(item)s: you cannot quote more than the %(quantity)s requested.")
                % {"item": items[pk].name, "quantity": items[pk].quantity}
            )
    today = timezone.localdate()
    if valid_until < timezone.localtime(locked.closes_at).date() or valid_until < today:
        raise DomainError(_("The quotation must stay valid at least until the request closes."))
    if payment_terms == PaymentTerms.COD:
        payment_days = 0
    quotation = Quotation.objects.select_for_update().filter(rfq=locked, supplier=supplier).first()
    previous_total = None
    creating = quotation is None
    if creating:
        quotation = Quotation(rfq=locked, supplier=supplier)
        from_status = ""
    else:
        previous_total, from_status = quotation.total, quotation.status
        quotation.revision += 1
        quotation.revised_at = timezone.now()
        quotation.lines.all().delete()
    quotation.submitted_by = actor
    quotation.delivery_date, quotation.valid_until = delivery_date, valid_until
    quotation.payment_terms, quotation.payment_days, quotation.note = payment_terms, payment_days, note
    quotation.status = Quotation.Status.SUBMITTED
    quotation.total = sum(price * quantity for price, quantity in quoted.values())
    quotation.full_clean(exclude=["rfq", "supplier"])
    quotation.save(
        update_fields=None
        if creating
        else [
            *("revision", "revised_at", "submitted_by", "delivery_date", "valid_until"),
            *("payment_terms", "payment_days", "note", "status", "total", "updated_at"),
        ]
    )
    QuotationLine.objects.bulk_create(
        [QuotationLine(quotation=quotation, item_id=pk, unit_price=p, quantity=q) for pk, (p, q) in quoted.items()]
    )
    note_text = (
        ""
        if previous_total is None
        else _("Revision %(n)d; the total was Rp%(total)s.")
        % {
            "n": quotation.revision,
            "total": f"{previous_total:,}".replace(",", "."),
        }
    )
    _event(
        rfq=locked, subject="quotation", subject_id=quotation.pk, actor=actor, organisation=supplier,
        from_status=from_status, to_status="submitted", note=note_text,
    )  # fmt: skip
    return quotation


@transaction.atomic
def quotation_withdraw(*, actor: User, quotation: Quotation) -> Quotation:
    locked = Quotation.objects.select_for_update().select_related("rfq").get(pk=quotation.pk)
    _require_member(actor, locked.supplier, _("Only the supplier can withdraw its quotation."))
    if locked.status != Quotation.Status.SUBMITTED or not locked.rfq.accepts_quotes:
        raise DomainError(_("This quotation can no longer be withdrawn."))
    locked.status = Quotation.Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    _event(
        rfq=locked.rfq, subject="quotation", subject_id=locked.pk, actor=actor, organisation=locked.supplier,
        from_status="submitted", to_status="withdrawn",
    )  # fmt: skip
    return locked


# --- award and purchase orders --------------------------------------------------------------------------------


@transaction.atomic
def rfq_award(*, actor: User, rfq: RFQ, allocation: dict[int, int], base_url: str = "") -> list[PurchaseOrder]:
    """Award a closed RFQ: `allocation` maps RFQ item id → quotation id (one quote for all, or items split
    between suppliers). Creates one purchase order per awarded supplier at its quoted prices and quantities;
    items left out are not bought. Raises DomainError before closing, twice, or for an expired quotation."""
    locked = RFQ.objects.select_for_update().select_related("buyer").get(pk=rfq.pk)
    _require_member(actor, locked.buyer, _("Only the buyer can award its request."))
    if locked.status != RFQ.Status.OPEN:
        raise DomainError(_("This request is already awarded or cancelled."))
    if not locked.is_closed:
        raise DomainError(_("Quotations stay sealed until the request closes; award after closing."))
    if not allocation:
        raise DomainError(_("Choose a quotation for at least one item."))
    quotations = {
        q.pk: q
        for q in locked.quotations.filter(status=Quotation.Status.SUBMITTED)
        .select_related("supplier")
        .prefetch_related("lines")
    }
    today = timezone.localdate()
    by_quote: dict[int, list[QuotationLine]] = {}
    for item_id, quotation_id in allocation.items():
        quotation = quotations.get(quotation_id)
        if quotation is None:
            raise DomainError(_("A chosen quotation is not a standing quotation of this request."))
        if quotation.valid_until < today:
            raise DomainError(
                _("The quotation of %(supplier)s expired on %(date)s.")
                % {"supplier": quotation.supplier.name, "date": quotation.valid_until.strftime("%d-%m-%Y")}
            )
        line = next((line for line in quotation.lines.all() if line.item_id == item_id), None)
        if line is None:
            raise DomainError(_("%(supplier)s did not quote that item.") % {"supplier": quotation.supplier.name})
        by_quote.setdefault(quotation_id, []).append(line)
    items = {item.pk: item for item in locked.items.all()}
    orders = []
    for quotation_id, lines in by_quote.items():
        quotation = quotations[quotation_id]
        order = PurchaseOrder.objects.create(
            number=_number("PO-B2B"),
            rfq=locked,
            quotation=quotation,
            buyer=locked.buyer,
            supplier=quotation.supplier,
            delivery_region_id=locked.delivery_region_id,
            delivery_address=locked.delivery_address,
            delivery_kecamatan=locked.delivery_kecamatan,
            delivery_kecamatan_code=locked.delivery_kecamatan_code,
            delivery_desa=locked.delivery_desa,
            delivery_desa_code=locked.delivery_desa_code,
            delivery_postal_code=locked.delivery_postal_code,
            delivery_date=quotation.delivery_date,
            payment_terms=quotation.payment_terms,
            payment_days=quotation.payment_days,
            total=sum(line.amount for line in lines),
            issued_by=actor,
        )
        POLine.objects.bulk_create(
            [
                POLine(
                    purchase_order=order,
                    item_id=line.item_id,
                    name=items[line.item_id].name,
                    unit=items[line.item_id].unit,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                )
                for line in lines
            ]
        )
        all_items = {line.item_id for line in quotation.lines.all()} <= {
            pk for pk, qid in allocation.items() if qid == quotation_id
        }
        quotation.status = Quotation.Status.AWARDED if all_items else Quotation.Status.PARTLY_AWARDED
        quotation.save(update_fields=["status", "updated_at"])
        _event(
            rfq=locked, subject="quotation", subject_id=quotation.pk, actor=actor, organisation=locked.buyer,
            from_status="submitted", to_status=quotation.status,
        )  # fmt: skip
        _event(
            rfq=locked, subject="po", subject_id=order.pk, actor=actor, organisation=locked.buyer,
            from_status="", to_status="issued", note=order.number,
        )  # fmt: skip
        _notify(
            [quotation.supplier_id],
            subject=gettext_noop("Purchase order %(number)s from %(buyer)s"),
            headline=gettext_noop("Your quotation won. Confirm the purchase order %(number)s."),
            path=order.get_absolute_url(),
            base_url=base_url,
            number=order.number,
            buyer=locked.buyer.name,
        )
        orders.append(order)
    for quotation in quotations.values():
        if quotation.pk not in by_quote:
            quotation.status = Quotation.Status.NOT_AWARDED
            quotation.save(update_fields=["status", "updated_at"])
    locked.status = RFQ.Status.AWARDED
    locked.save(update_fields=["status", "updated_at"])
    _event(
        rfq=locked, subject="rfq", subject_id=locked.pk, actor=actor, organisation=locked.buyer,
        from_status="open", to_status="awarded",
    )  # fmt: skip
    audit_record(
        actor=actor, action="b2b.rfq_awarded", organisation=locked.buyer, target=locked,
        data={"orders": [order.number for order in orders]},
    )  # fmt: skip
    rfq.refresh_from_db()
    return orders


def _lock_po(po: PurchaseOrder) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update().select_related("rfq", "buyer", "supplier").get(pk=po.pk)


def _po_event(po: PurchaseOrder, actor, organisation, from_status, to_status, note="", subject="po", subject_id=None):
    _event(
        rfq=po.rfq, subject=subject, subject_id=subject_id or po.pk, actor=actor, organisation=organisation,
        from_status=from_status, to_status=to_status, note=note,
    )  # fmt: skip


@transaction.atomic
def po_confirm(*, actor: User, po: PurchaseOrder) -> PurchaseOrder:
    """The supplier accepts the purchase order as issued."""
    locked = _lock_po(po)
    _require_member(actor, locked.supplier, _("Only the supplier confirms a purchase order."))
    if locked.status != PurchaseOrder.Status.ISSUED:
        raise DomainError(_("This purchase order is not waiting for confirmation."))
    locked.status, locked.confirmed_by, locked.confirmed_at = PurchaseOrder.Status.CONFIRMED, actor, timezone.now()
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    _po_event(locked, actor, locked.supplier, "issued", "confirmed")
    _notify(
        [locked.buyer_id],
        subject=gettext_noop("Purchase order %(number)s confirmed"),
        headline=gettext_noop("%(supplier)s confirmed the purchase order."),
        path=locked.get_absolute_url(),
        number=locked.number,
        supplier=locked.supplier.name,
    )
    po.refresh_from_db()
    return locked


@transaction.atomic
def po_decline(*, actor: User, po: PurchaseOrder, reason: str) -> PurchaseOrder:
    """The supplier refuses an issued purchase order (e.g. stock gone); the buyer may post a new request."""
    locked = _lock_po(po)
    _require_member(actor, locked.supplier, _("Only the supplier declines a purchase order."))
    if locked.status != PurchaseOrder.Status.ISSUED:
        raise DomainError(_("Only a purchase order waiting for confirmation can be declined."))
    if not reason.strip():
        raise DomainError(_("Say why the purchase order is declined."))
    locked.status = PurchaseOrder.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    _po_event(locked, actor, locked.supplier, "issued", "cancelled", reason)
    po.refresh_from_db()
    return locked


def line_progress(po: PurchaseOrder) -> dict[int, dict[str, int]]:
    """Per PO line: quantity ordered, sent in lots not yet received, accepted, rejected, invoiced, and what is
    still open (ordered - accepted - pending) and invoiceable (accepted - invoiced)."""
    progress = {
        line.pk: {"ordered": line.quantity, "pending": 0, "accepted": 0, "rejected": 0, "invoiced": 0}
        for line in po.lines.all()
    }
    for row in DeliveryLine.objects.filter(delivery__purchase_order=po).values(
        "po_line_id", "quantity", "accepted", "rejected"
    ):
        entry = progress[row["po_line_id"]]
        if row["accepted"] is None:
            entry["pending"] += row["quantity"]
        else:
            entry["accepted"] += row["accepted"]
            entry["rejected"] += row["rejected"]
    for row in (
        InvoiceLine.objects.filter(invoice__purchase_order=po).values("po_line_id").annotate(total=Sum("quantity"))
    ):
        progress[row["po_line_id"]]["invoiced"] = row["total"]
    for entry in progress.values():
        entry["open"] = max(entry["ordered"] - entry["accepted"] - entry["pending"], 0)
        entry["invoiceable"] = entry["accepted"] - entry["invoiced"]
    return progress


@transaction.atomic
def po_revision_propose(
    *,
    actor: User,
    po: PurchaseOrder,
    side: Organisation,
    changes: dict[int, tuple[int, int]],
    delivery_date: date,
    reason: str,
) -> PORevision:
    """One side of a confirmed PO proposes new quantities/prices (`changes`: PO line id → (quantity, unit
    price)) and delivery date; nothing changes until the other side accepts. A quantity can never go below
    what is already accepted or on its way."""
    locked = _lock_po(po)
    if side.pk not in (locked.buyer_id, locked.supplier_id):
        raise DomainError(_("Only the buyer or the supplier of this order can propose a change."))
    _require_member(actor, side, _("Only the buyer's or the supplier's owners and staff can propose a change."))
    if locked.status != PurchaseOrder.Status.CONFIRMED:
        raise DomainError(_("Only a confirmed, not fully received purchase order can be revised."))
    if locked.revisions.filter(status=PORevision.Status.PROPOSED).exists():
        raise DomainError(_("A proposed change is already waiting for an answer."))
    if not reason.strip():
        raise DomainError(_("Say why the order changes."))
    progress = line_progress(locked)
    clean = {}
    for line_id, (quantity, unit_price) in changes.items():
        if line_id not in progress:
            raise DomainError(_("A changed line is not on this purchase order."))
        floor = progress[line_id]["accepted"] + progress[line_id]["pending"]
        if quantity > 2_000_000_000 or unit_price > 10**12:
            raise DomainError(_("A quantity or a price is far too large."))
        if quantity < floor or unit_price < 1:
            raise DomainError(_("A quantity cannot go below the %(n)s already received or on its way.") % {"n": floor})
        if progress[line_id]["invoiced"] and unit_price != locked.lines.get(pk=line_id).unit_price:
            raise DomainError(_("The price of an item already invoiced cannot change."))
        clean[str(line_id)] = {"quantity": quantity, "unit_price": unit_price}
    number = (locked.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = PORevision.objects.create(
        purchase_order=locked,
        number=number,
        proposed_by_org=side,
        proposed_by=actor,
        changes=clean,
        delivery_date=delivery_date,
        reason=reason,
    )
    _po_event(locked, actor, side, "confirmed", "revision_proposed", reason)
    other = locked.supplier_id if side.pk == locked.buyer_id else locked.buyer_id
    _notify(
        [other],
        subject=gettext_noop("Change proposed to purchase order %(number)s"),
        headline=gettext_noop("A change to the purchase order waits for your answer: %(reason)s"),
        path=locked.get_absolute_url(),
        number=locked.number,
        reason=reason,
    )
    return revision


@transaction.atomic
def po_revision_decide(*, actor: User, revision: PORevision, accept: bool) -> PORevision:
    """The other side accepts (the PO takes the new lines and date and counts up its revision) or rejects."""
    locked_rev = PORevision.objects.select_for_update().get(pk=revision.pk)
    po = _lock_po(locked_rev.purchase_order)
    other = po.supplier if locked_rev.proposed_by_org_id == po.buyer_id else po.buyer
    _require_member(actor, other, _("The other side of the order answers a proposed change."))
    if locked_rev.status != PORevision.Status.PROPOSED:
        raise DomainError(_("This change was already answered."))
    if accept:
        if po.status != PurchaseOrder.Status.CONFIRMED:
            raise DomainError(_("Only a confirmed, not fully received purchase order can be revised."))
        progress = line_progress(po)
        lines = {line.pk: line for line in po.lines.all()}
        for key, change in locked_rev.changes.items():
            line = lines[int(key)]
            if change["quantity"] < progress[line.pk]["accepted"] + progress[line.pk]["pending"]:
                raise DomainError(_("Goods were received since the change was proposed; propose it again."))
            line.quantity, line.unit_price = change["quantity"], change["unit_price"]
            line.save(update_fields=["quantity", "unit_price"])
        po.delivery_date = locked_rev.delivery_date
        po.revision = locked_rev.number
        po.total = sum(line.amount for line in lines.values())
        po.save(update_fields=["delivery_date", "revision", "total", "updated_at"])
    locked_rev.status = PORevision.Status.ACCEPTED if accept else PORevision.Status.REJECTED
    locked_rev.decided_by, locked_rev.decided_at = actor, timezone.now()
    locked_rev.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _po_event(po, actor, other, "revision_proposed", f"revision_{locked_rev.status}", str(locked_rev.number))
    if accept:
        _maybe_delivered(po, actor, other)
    return locked_rev


def _maybe_delivered(po: PurchaseOrder, actor, organisation) -> None:
    """A confirmed PO whose every line is accepted in full becomes fully received."""
    if po.status != PurchaseOrder.Status.CONFIRMED:
        return
    if all(entry["accepted"] >= entry["ordered"] for entry in line_progress(po).values()):
        po.status = PurchaseOrder.Status.DELIVERED
        po.save(update_fields=["status", "updated_at"])
        _po_event(po, actor, organisation, "confirmed", "delivered")


# --- deliveries -----------------------------------------------------------------------------------------------


@transaction.atomic
def delivery_record(
    *,
    actor: User,
    po: PurchaseOrder,
    quantities: dict[int, int],
    delivery_note: str,
    shipped_on: date,
    note: str = "",
) -> Delivery:
    """The supplier sends a lot (`quantities`: PO line id → quantity). A lot never exceeds what is still open
    on each line (ordered - accepted - on its way); rejected goods reopen."""
    locked = _lock_po(po)
    _require_member(actor, locked.supplier, _("Only the supplier records deliveries."))
    if locked.status != PurchaseOrder.Status.CONFIRMED:
        raise DomainError(_("Deliveries are recorded on a confirmed purchase order that is not fully received."))
    if not delivery_note.strip():
        raise DomainError(_("Enter the delivery note number."))
    progress = line_progress(locked)
    wanted = {pk: qty for pk, qty in quantities.items() if qty}
    if not wanted:
        raise DomainError(_("Enter the quantity sent of at least one item."))
    for pk, qty in wanted.items():
        if pk not in progress:
            raise DomainError(_("A delivered line is not on this purchase order."))
        if qty < 0 or qty > progress[pk]["open"]:
            raise DomainError(
                _("A lot cannot exceed what is still open on the order (%(n)s).") % {"n": progress[pk]["open"]}
            )
    number = (locked.deliveries.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    delivery = Delivery.objects.create(
        purchase_order=locked,
        number=number,
        delivery_note=delivery_note,
        shipped_on=shipped_on,
        note=note,
        recorded_by=actor,
    )
    DeliveryLine.objects.bulk_create(
        [DeliveryLine(delivery=delivery, po_line_id=pk, quantity=qty) for pk, qty in wanted.items()]
    )
    _po_event(locked, actor, locked.supplier, "", "sent", delivery_note, subject="delivery", subject_id=delivery.pk)
    _notify(
        [locked.buyer_id],
        subject=gettext_noop("Lot %(n)s of %(number)s is on its way"),
        headline=gettext_noop("Confirm what you receive, per item, when the lot arrives."),
        path=locked.get_absolute_url(),
        n=number,
        number=locked.number,
    )
    return delivery


@transaction.atomic
def delivery_receive(*, actor: User, delivery: Delivery, results: dict[int, tuple[int, int, str]]) -> Delivery:
    """The buyer records, per delivery line id, (accepted, rejected, reason). Accepted + rejected must equal
    what was sent; a rejection needs a reason."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    po = _lock_po(locked.purchase_order)
    _require_member(actor, po.buyer, _("Only the buyer confirms what it received."))
    if locked.status != Delivery.Status.SENT:
        raise DomainError(_("This lot was already received."))
    lines = list(locked.lines.all())
    for line in lines:
        if line.pk not in results:
            raise DomainError(_("Record every item of the lot."))
        accepted, rejected, reason = results[line.pk]
        if accepted < 0 or rejected < 0 or accepted + rejected != line.quantity:
            raise DomainError(_("Accepted and rejected together must make the %(n)s sent.") % {"n": line.quantity})
        if rejected and not reason.strip():
            raise DomainError(_("Say why goods were rejected."))
        line.accepted, line.rejected, line.reject_reason = accepted, rejected, reason.strip()
    DeliveryLine.objects.bulk_update(lines, ["accepted", "rejected", "reject_reason"])
    locked.status, locked.received_by, locked.received_at = Delivery.Status.RECEIVED, actor, timezone.now()
    locked.save(update_fields=["status", "received_by", "received_at", "updated_at"])
    rejected_total = sum(line.rejected for line in lines)
    note = _("%(n)s rejected") % {"n": rejected_total} if rejected_total else ""
    _po_event(po, actor, po.buyer, "sent", "received", note, subject="delivery", subject_id=locked.pk)
    _maybe_delivered(po, actor, po.buyer)
    delivery.refresh_from_db()
    return locked


# --- invoices and payment -------------------------------------------------------------------------------------


@transaction.atomic
def invoice_issue(*, actor: User, po: PurchaseOrder, quantities: dict[int, int] | None = None) -> Invoice:
    """The supplier bills accepted goods not billed before (`quantities`: PO line id → quantity; None bills
    everything invoiceable). The due date follows the PO's terms: the issue day for cash on delivery, else
    the issue day plus the agreed days."""
    locked = _lock_po(po)
    _require_member(actor, locked.supplier, _("Only the supplier issues invoices."))
    if locked.status not in (PurchaseOrder.Status.CONFIRMED, PurchaseOrder.Status.DELIVERED):
        raise DomainError(_("Invoices are issued on a confirmed purchase order."))
    progress = line_progress(locked)
    if quantities is None:
        quantities = {pk: entry["invoiceable"] for pk, entry in progress.items()}
    wanted = {pk: qty for pk, qty in quantities.items() if qty}
    if not wanted:
        raise DomainError(_("Nothing received is left to invoice."))
    prices = dict(locked.lines.values_list("pk", "unit_price"))
    for pk, qty in wanted.items():
        if pk not in progress:
            raise DomainError(_("An invoiced line is not on this purchase order."))
        if qty < 0 or qty > progress[pk]["invoiceable"]:
            raise DomainError(
                _("An invoice covers accepted goods not invoiced before: at most %(n)s here.")
                % {"n": progress[pk]["invoiceable"]}
            )
    today = timezone.localdate()
    invoice = Invoice.objects.create(
        number=_number("INV-B2B"),
        purchase_order=locked,
        issued_on=today,
        due_on=today + timedelta(days=locked.payment_days),
        total=sum(prices[pk] * qty for pk, qty in wanted.items()),
        issued_by=actor,
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(invoice=invoice, po_line_id=pk, quantity=qty, unit_price=prices[pk], amount=prices[pk] * qty)
            for pk, qty in wanted.items()
        ]
    )
    _po_event(locked, actor, locked.supplier, "", "issued", invoice.number, subject="invoice", subject_id=invoice.pk)
    _notify(
        [locked.buyer_id],
        subject=gettext_noop("Invoice %(number)s from %(supplier)s"),
        headline=gettext_noop("Due on %(date)s."),
        path=invoice.get_absolute_url(),
        number=invoice.number,
        supplier=locked.supplier.name,
        date=invoice.due_on.strftime("%d-%m-%Y"),
    )
    return invoice


@transaction.atomic
def invoice_pay(*, actor: User, invoice: Invoice, proof, reference: str = "") -> Invoice:
    """The buyer records that it paid (outside the portal) with the transfer proof. The paid invoice counts as
    bilateral trade in the programme figures of both sides' regions, in the month paid."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    po = _lock_po(locked.purchase_order)
    _require_member(actor, po.buyer, _("Only the buyer records a payment."))
    if locked.status != Invoice.Status.ISSUED:
        raise DomainError(_("This invoice is already paid."))
    if proof is None:
        raise DomainError(_("Upload the proof of payment."))
    try:
        cleaned = image_clean(proof, longest_side=1600, name=f"{locked.number}-proof", min_side=100)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None
    locked.proof.save(cleaned.name, cleaned, save=False)
    locked.status, locked.paid_at, locked.paid_by = Invoice.Status.PAID, timezone.now(), actor
    locked.payment_reference = reference
    locked.save(update_fields=["proof", "status", "paid_at", "paid_by", "payment_reference", "updated_at"])
    _po_event(po, actor, po.buyer, "issued", "paid", reference, subject="invoice", subject_id=locked.pk)
    audit_record(
        actor=actor, action="b2b.invoice_paid", organisation=po.buyer, target=locked,
        data={"number": locked.number, "total": locked.total, "supplier": po.supplier_id},
    )  # fmt: skip
    for kode in {po.buyer.kabupaten_kota_id, po.supplier.kabupaten_kota_id}:
        figures_mark_dirty(when=locked.paid_at, kabupaten_kota_id=kode)
    _notify(
        [po.supplier_id],
        subject=gettext_noop("Invoice %(number)s paid"),
        headline=gettext_noop("%(buyer)s recorded the payment with its proof."),
        path=locked.get_absolute_url(),
        number=locked.number,
        buyer=po.buyer.name,
    )
    invoice.refresh_from_db()
    return locked


# --- ratings --------------------------------------------------------------------------------------------------


@transaction.atomic
def rating_give(*, actor: User, po: PurchaseOrder, side: Organisation, stars: int, comment: str = "") -> Rating:
    """After a paid invoice on the PO, each side rates the other once."""
    locked = _lock_po(po)
    if side.pk not in (locked.buyer_id, locked.supplier_id):
        raise DomainError(_("Only the buyer or the supplier of this order can rate it."))
    _require_member(actor, side, _("Only the owners and staff of a side rate the trade."))
    if not locked.invoices.filter(status=Invoice.Status.PAID).exists():
        raise DomainError(_("A trade is rated after payment."))
    if locked.ratings.filter(rater=side).exists():
        raise DomainError(_("Your organisation already rated this trade."))
    if not 1 <= stars <= 5:
        raise DomainError(_("Give one to five stars."))
    rated = locked.supplier if side.pk == locked.buyer_id else locked.buyer
    rating = Rating.objects.create(
        purchase_order=locked, rater=side, rated=rated, stars=stars, comment=comment, created_by=actor
    )
    _po_event(locked, actor, side, "", "rated", str(stars), subject="rating", subject_id=rating.pk)
    return rating
