"""Writes of Samsat OPOP: outlets, inquiry, payment, advice, reversal, reprint, day close.

Each is a keyword-only function that checks who acts, writes append-only rows and an audit event,
and raises `DomainError` with a message for the person at the counter. `now` is injectable so tests
and the demo can place actions on any day; business days and the cut-off are in WIB.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.figures import figures_mark_dirty
from opop.models import Membership, Organisation, User
from opop.permissions import access_for
from opop.services import DomainError, audit_record
from pesantren.samsat.biller import BillerRefusal, BillerTimeout, DailyFileRow, get_biller
from pesantren.samsat.models import (
    Bill,
    DayClose,
    ETbpkp,
    Outlet,
    Payment,
    PaymentOutcome,
    PaymentState,
    ReceiptPrint,
    ReconciliationItem,
    Reversal,
)
from pesantren.samsat.plates import plate_normalise
from pesantren.samsat.policy import outlet_fee_per_payment

logger = logging.getLogger(__name__)

Role = Membership.Role
COUNTER_ROLES = (Role.CASHIER, Role.SUPERVISOR, Role.OWNER)
SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.OWNER)


def mask_name(name: str) -> str:
    """`Muhammad Rizki` → `Mu****** Ri***`: enough for the owner to recognise, not to read off."""
    return " ".join(word[:2] + "*" * max(len(word) - 2, 0) for word in name.split())


def _require_role(user: User, outlet: Outlet, roles) -> None:
    if outlet.organisation_id not in access_for(user).organisation_ids(roles=roles):
        if set(roles) == set(SUPERVISOR_ROLES):
            raise DomainError(_("Only a supervisor of this outlet may do this."))
        raise DomainError(_("Only a cashier of this outlet may do this."))


def _day_closed(outlet: Outlet, day: date) -> bool:
    return DayClose.objects.filter(outlet=outlet, business_day=day).exists()


# --- Outlets -------------------------------------------------------------------------------------


def _require_programme_staff(actor: User, organisation: Organisation) -> None:
    access = access_for(actor)
    if access.province_wide:
        return
    if not access.programme_staff or access.region != organisation.kabupaten_kota_id:
        raise DomainError(_("Only Diskop UKM staff for this regency/city may register Samsat OPOP outlets."))


@transaction.atomic
def samsat_outlet_register(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    address: str,
    opening_hours: str,
    latitude=None,
    longitude=None,
    takes_samsat_payments: bool = True,
    is_laku_pandai_agent: bool = False,
) -> Outlet:
    """Register a pesantren's koppontren as an outlet. Diskop staff only (region-scoped staff: their region)."""
    _require_programme_staff(actor, organisation)
    if organisation.kind != Organisation.Kind.PESANTREN:
        raise DomainError(_("A Samsat OPOP outlet belongs to a pesantren."))
    region = organisation.kabupaten_kota_id or "00.00"
    prefix = f"SMO{region.replace('.', '')}"
    count = Outlet.objects.filter(code__startswith=prefix).count()
    outlet = Outlet(
        organisation=organisation,
        code=f"{prefix}{count + 1:03d}",
        name=name,
        address=address,
        opening_hours=opening_hours,
        latitude=latitude,
        longitude=longitude,
        takes_samsat_payments=takes_samsat_payments,
        is_laku_pandai_agent=is_laku_pandai_agent,
        registered_by=actor,
    )
    _check_listing(outlet)
    outlet.full_clean()
    outlet.save()
    audit_record(actor=actor, action="samsat.outlet.registered", organisation=organisation, target=outlet)
    return outlet


def _check_listing(outlet: Outlet) -> None:
    if not outlet.takes_samsat_payments and not outlet.is_laku_pandai_agent:
        raise DomainError(_("A listed point is a Samsat OPOP counter, a Laku Pandai agent, or both."))


OUTLET_FIELDS = (
    "name",
    "address",
    "opening_hours",
    "latitude",
    "longitude",
    "takes_samsat_payments",
    "is_laku_pandai_agent",
    "is_active",
)


@transaction.atomic
def samsat_outlet_update(*, actor: User, outlet: Outlet, **changes) -> Outlet:
    """Change an outlet's public details, Laku Pandai flag or active flag. Diskop staff only."""
    _require_programme_staff(actor, outlet.organisation)
    unknown = set(changes) - set(OUTLET_FIELDS)
    if unknown:
        raise DomainError(f"Unknown outlet fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(outlet, field, value)
    _check_listing(outlet)
    outlet.full_clean()
    outlet.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        action="samsat.outlet.updated",
        organisation=outlet.organisation,
        target=outlet,
        data={key: str(value) for key, value in changes.items()},
    )
    return outlet


# --- Inquiry and payment -------------------------------------------------------------------------


def _has_open_payment(plate: str, day: date) -> bool:
    """An uncertain or pending payment of this plate (any outlet, last week): paying again could pay twice."""
    from pesantren.samsat.selectors import payments_with_state

    recent = payments_with_state(Payment.objects.filter(plate=plate, business_day__gte=day - timedelta(days=7)))
    return any(p.state in (PaymentState.UNCERTAIN, PaymentState.PENDING) for p in recent)


def samsat_bill_inquire(*, outlet: Outlet, cashier: User, plate: str, now: datetime | None = None) -> Bill:
    """Ask the biller for a plate's bill and keep it, with the idempotency key its payment will use.

    Raises DomainError for a bad or non-East-Java plate, a closed day, and every biller refusal
    (not found, blocked, STNK due, more than 12 months late, already paid). Nothing is charged.
    """
    now = now or timezone.now()
    _require_role(cashier, outlet, COUNTER_ROLES)
    if not outlet.is_active or not outlet.takes_samsat_payments:
        raise DomainError(_("This outlet is not an active Samsat OPOP counter."))
    plate = plate_normalise(plate)
    if _day_closed(outlet, timezone.localdate(now)):
        raise DomainError(_("Today's business day is closed at this outlet; no more payments until tomorrow."))
    if _has_open_payment(plate, timezone.localdate(now)):
        raise DomainError(
            _("A payment for %(plate)s is still uncertain: run its status check before taking another.")
            % {"plate": plate}
        )
    try:
        answer = get_biller().inquire(plate=plate, on=timezone.localdate(now))
    except BillerRefusal as refusal:
        audit_record(
            actor=cashier,
            action="samsat.inquiry.refused",
            organisation=outlet.organisation,
            data={"plate": plate, "code": refusal.code},
        )
        raise DomainError(refusal.message) from None
    with transaction.atomic():
        bill = Bill(
            outlet=outlet,
            cashier=cashier,
            pay_code=answer.pay_code,
            plate=answer.plate,
            owner_masked=mask_name(answer.owner_name),
            vehicle_type=answer.vehicle_type,
            vehicle_description=answer.vehicle_description,
            ownership_order=answer.ownership_order,
            due_date=answer.due_date,
            period_end=answer.period_end,
            months_late=answer.months_late,
            pkb=answer.pkb,
            opsen_pkb=answer.opsen_pkb,
            pkb_late_fee=answer.pkb_late_fee,
            swdkllj=answer.swdkllj,
            swdkllj_late_fee=answer.swdkllj_late_fee,
            total=answer.total,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.SAMSAT_PAY_CODE_MINUTES),
        )
        bill.save()
        audit_record(
            actor=cashier,
            action="samsat.inquiry.made",
            organisation=outlet.organisation,
            target=bill,
            data={"plate": plate, "total": bill.total},
        )
    return bill


def _outcome_record(*, payment: Payment, status: str, source: str, actor: User, now, biller_ref="", message=""):
    with transaction.atomic():
        outcome = PaymentOutcome.objects.create(
            payment=payment,
            status=status,
            source=source,
            biller_ref=biller_ref,
            message=message[:300],
            actor=actor,
            created_at=now,
        )
        if status == PaymentOutcome.Status.CONFIRMED:
            samsat_etbpkp_issue(payment=payment, biller_ref=biller_ref, now=now)
            figures_mark_dirty(
                when=payment.business_day, kabupaten_kota_id=payment.outlet.organisation.kabupaten_kota_id
            )
        audit_record(
            actor=actor,
            action=f"samsat.payment.{status}",
            organisation=payment.outlet.organisation,
            target=payment,
            data={"source": source, "biller_ref": biller_ref, "total": payment.total},
        )
    return outcome


def samsat_etbpkp_issue(*, payment: Payment, biller_ref: str = "", now: datetime | None = None) -> ETbpkp:
    """Issue the simulated e-TBPKP of a paid payment, once: asking again returns the one already issued.

    Called in the paid path (payment answer or status check, inside its transaction); refuses a payment that
    is not paid. The number is derived from the payment, so a concurrent second issue hits the unique row.
    """
    existing = ETbpkp.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    if not PaymentOutcome.objects.filter(payment=payment, status=PaymentOutcome.Status.CONFIRMED).exists():
        raise DomainError(_("An e-TBPKP is issued only for a paid payment."))
    try:
        with transaction.atomic():
            return ETbpkp.objects.create(
                payment=payment,
                number=ETbpkp.number_for(payment),
                biller_ref=biller_ref,
                issued_at=now or timezone.now(),
            )
    except IntegrityError:
        return ETbpkp.objects.get(payment=payment)


def samsat_payment_make(
    *,
    outlet: Outlet,
    cashier: User,
    idempotency_key,
    nik: str = "",
    chassis_last5: str = "",
    now: datetime | None = None,
) -> Payment:
    """Pay the bill shown with `idempotency_key`, exactly once.

    The same key again — a double click, a refresh, a resubmission, or a concurrent request — returns
    the one payment made with it and never calls the biller a second time. The attempt row is
    committed before the biller is called (no transaction is held open across the network); the
    answer is then appended as an outcome: confirmed, failed (nothing charged), or uncertain on a
    timeout, which only a status check (`samsat_payment_advise`) resolves.

    Raises DomainError (nothing written) when the bill is unknown or expired, the day is closed,
    the NIK or chassis number does not match, or the user is not a cashier of the outlet.
    """
    now = now or timezone.now()
    _require_role(cashier, outlet, COUNTER_ROLES)
    existing = Payment.objects.filter(idempotency_key=idempotency_key, outlet=outlet).first()
    if existing is not None:
        return existing
    bill = Bill.objects.filter(idempotency_key=idempotency_key, outlet=outlet).first()
    if bill is None:
        raise DomainError(_("This bill is not known at this outlet; run the inquiry again."))
    if now >= bill.expires_at:
        raise DomainError(_("The pay code has expired (2 hours); run the inquiry again."))
    day = timezone.localdate(now)
    if _day_closed(outlet, day):
        raise DomainError(_("Today's business day is closed at this outlet; no more payments until tomorrow."))
    nik, chassis_last5 = (nik or "").strip(), (chassis_last5 or "").strip().upper()
    if not nik and not chassis_last5:
        raise DomainError(_("Enter the owner's NIK, or the last 5 characters of the chassis number."))
    biller = get_biller()
    if not biller.owner_verify(plate=bill.plate, nik=nik, chassis_last5=chassis_last5):
        raise DomainError(_("The NIK or chassis number does not match this vehicle; nothing was charged."))
    try:
        with transaction.atomic():
            # The outlet row is the day's lock: a day close waits for this insert, and sees it.
            Outlet.objects.select_for_update().filter(pk=outlet.pk).first()
            if _day_closed(outlet, day):
                raise DomainError(_("Today's business day is closed at this outlet; no more payments until tomorrow."))
            payment = Payment.objects.create(
                idempotency_key=bill.idempotency_key,
                bill=bill,
                outlet=outlet,
                cashier=cashier,
                plate=bill.plate,
                total=bill.total,
                identity_method=Payment.Identity.NIK if nik else Payment.Identity.CHASSIS,
                business_day=day,
                verification_code=secrets.token_hex(10),
                created_at=now,
            )
            audit_record(
                actor=cashier,
                action="samsat.payment.started",
                organisation=outlet.organisation,
                target=payment,
                data={"plate": payment.plate, "total": payment.total},
            )
    except IntegrityError:
        # Someone else (another click, another tab) made the payment with this key first.
        return Payment.objects.get(idempotency_key=bill.idempotency_key)
    record = {"payment": payment, "source": PaymentOutcome.Source.PAYMENT, "actor": cashier, "now": now}
    try:
        result = biller.pay(
            pay_code=bill.pay_code,
            plate=bill.plate,
            amount=bill.total,
            idempotency_key=str(bill.idempotency_key),
            outlet_code=outlet.code,
            now=now,
        )
    except BillerTimeout:
        logger.warning("samsat.payment.timeout", extra={"payment_id": payment.pk})
        _outcome_record(status=PaymentOutcome.Status.UNCERTAIN, message="timeout", **record)
    except BillerRefusal as refusal:
        _outcome_record(status=PaymentOutcome.Status.FAILED, message=refusal.message, **record)
    except Exception:
        logger.exception("samsat.payment.biller_error", extra={"payment_id": payment.pk})
        _outcome_record(status=PaymentOutcome.Status.UNCERTAIN, message="biller error", **record)
    else:
        _outcome_record(status=PaymentOutcome.Status.CONFIRMED, biller_ref=result.biller_ref, **record)
    return payment


def samsat_payment_advise(*, payment: Payment, actor: User, now: datetime | None = None) -> Payment:
    """Status check (advice) for an uncertain payment: the biller's books decide, never a retry."""
    now = now or timezone.now()
    _require_role(actor, payment.outlet, COUNTER_ROLES)
    if payment.state not in (PaymentState.UNCERTAIN, PaymentState.PENDING):
        raise DomainError(_("This payment is not uncertain; there is nothing to check."))
    record = {"payment": payment, "source": PaymentOutcome.Source.ADVICE, "actor": actor, "now": now}
    try:
        result = get_biller().advice(idempotency_key=str(payment.idempotency_key))
    except BillerTimeout:
        _outcome_record(status=PaymentOutcome.Status.UNCERTAIN, message="advice timeout", **record)
        raise DomainError(_("The biller still does not answer; try the status check again shortly.")) from None
    if result is None:
        _outcome_record(
            status=PaymentOutcome.Status.FAILED,
            message=_("The biller never booked this payment; nothing was charged."),
            **record,
        )
    elif result.amount != payment.total:
        _outcome_record(status=PaymentOutcome.Status.UNCERTAIN, message=f"biller amount {result.amount}", **record)
        raise DomainError(_("The biller booked a different amount; report this to the supervisor."))
    else:
        _outcome_record(status=PaymentOutcome.Status.CONFIRMED, biller_ref=result.biller_ref, **record)
    return payment


def _cutoff() -> time:
    hours, minutes = settings.SAMSAT_REVERSAL_CUTOFF.split(":")
    return time(int(hours), int(minutes))


def samsat_payment_reverse(*, payment: Payment, supervisor: User, reason: str, now: datetime | None = None) -> Reversal:
    """Reverse a confirmed payment: a supervisor, with a reason, on its business day before the cut-off.

    Idempotent: a payment has at most one reversal (a unique row). Asking again — a double click, a retry, a
    concurrent request — returns that reversal and changes nothing, even after the cut-off; the biller's
    reversal is keyed by the payment's idempotency key, so a concurrent second call books nothing twice."""
    now = now or timezone.now()
    _require_role(supervisor, payment.outlet, SUPERVISOR_ROLES)
    existing = Reversal.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(_("Write the reason for the reversal."))
    state = payment.state
    if state == PaymentState.REVERSED:  # reversed by a concurrent request since the check above
        return Reversal.objects.get(payment=payment)
    if state != PaymentState.CONFIRMED:
        raise DomainError(_("Only a paid, not yet reversed payment can be reversed."))
    local = timezone.localtime(now)
    if payment.business_day != local.date():
        raise DomainError(_("A payment can only be reversed on its own business day."))
    if local.time() >= _cutoff():
        raise DomainError(
            _("Reversals close at %(cutoff)s WIB; after that the payment stands.")
            % {"cutoff": settings.SAMSAT_REVERSAL_CUTOFF}
        )
    if _day_closed(payment.outlet, payment.business_day):
        raise DomainError(_("The business day is closed; the payment can no longer be reversed."))
    try:
        result = get_biller().reverse(idempotency_key=str(payment.idempotency_key), reason=reason, now=now)
    except BillerRefusal as refusal:
        raise DomainError(refusal.message) from None
    except BillerTimeout:
        raise DomainError(_("The biller did not answer; try the reversal again.")) from None
    with transaction.atomic():
        try:
            with transaction.atomic():
                reversal = Reversal.objects.create(
                    payment=payment,
                    supervisor=supervisor,
                    reason=reason,
                    biller_ref=result.reversal_ref,
                    created_at=now,
                )
        except IntegrityError:
            return Reversal.objects.get(payment=payment)
        figures_mark_dirty(when=payment.business_day, kabupaten_kota_id=payment.outlet.organisation.kabupaten_kota_id)
        audit_record(
            actor=supervisor,
            action="samsat.payment.reversed",
            organisation=payment.outlet.organisation,
            target=payment,
            data={"reason": reason, "reversal_ref": result.reversal_ref, "total": payment.total},
        )
    return reversal


@transaction.atomic
def samsat_receipt_reprint(*, payment: Payment, actor: User) -> ReceiptPrint:
    """Log a reprint; the copy shows its number so it cannot pass for the original."""
    _require_role(actor, payment.outlet, COUNTER_ROLES)
    printed = ReceiptPrint.objects.create(payment=payment, printed_by=actor)
    audit_record(
        actor=actor, action="samsat.receipt.reprinted", organisation=payment.outlet.organisation, target=payment
    )
    return printed


# --- Day close and reconciliation ----------------------------------------------------------------


@dataclass(frozen=True)
class ReconciliationLine:
    category: str
    idempotency_key: str
    plate: str
    biller_ref: str
    outlet_amount: int | None
    biller_amount: int | None


def reconcile(*, payments: list[Payment], file_rows: list[DailyFileRow]) -> list[ReconciliationLine]:
    """Compare the outlet's payments of a day (with `state` and `biller_ref`) with the biller's file."""
    Category = ReconciliationItem.Category
    ours = {str(p.idempotency_key): p for p in payments if p.state in (PaymentState.CONFIRMED, PaymentState.REVERSED)}
    theirs = {row.idempotency_key: row for row in file_rows}
    lines = []
    for key in sorted(set(ours) | set(theirs)):
        payment, row = ours.get(key), theirs.get(key)
        if row is None:
            category = Category.MISSING_AT_BILLER
        elif payment is None:
            category = Category.MISSING_AT_OUTLET
        elif (payment.state == PaymentState.REVERSED) != row.reversed:
            category = Category.STATUS_MISMATCH
        elif payment.total != row.amount:
            category = Category.AMOUNT_MISMATCH
        elif row.reversed:
            category = Category.REVERSED
        else:
            category = Category.MATCHED
        lines.append(
            ReconciliationLine(
                category=category,
                idempotency_key=key,
                plate=(payment.plate if payment else row.plate),
                biller_ref=(row.biller_ref if row else getattr(payment, "biller_ref", "") or ""),
                outlet_amount=payment.total if payment else None,
                biller_amount=row.amount if row else None,
            )
        )
    return lines


@dataclass(frozen=True)
class DayFigures:
    payment_count: int
    reversal_count: int
    open_count: int
    expected_cash: int
    outlet_fee: int

    @property
    def gross(self) -> int:
        return self.expected_cash

    @property
    def net(self) -> int:
        return self.gross - self.outlet_fee


def day_figures(*, payments: list[Payment], day: date) -> DayFigures:
    """Expected cash and settlement of a day from its payments (annotated with their state)."""
    confirmed = [p for p in payments if p.state == PaymentState.CONFIRMED]
    return DayFigures(
        payment_count=len(confirmed),
        reversal_count=sum(1 for p in payments if p.state == PaymentState.REVERSED),
        open_count=sum(1 for p in payments if p.state in (PaymentState.UNCERTAIN, PaymentState.PENDING)),
        expected_cash=sum(p.total for p in confirmed),
        outlet_fee=len(confirmed) * outlet_fee_per_payment(on=day),
    )


@transaction.atomic
def samsat_day_close(
    *, outlet: Outlet, business_day: date, counted_cash: int, actor: User, now: datetime | None = None
) -> DayClose:
    """Close an outlet's business day: counted vs expected cash, settlement, reconciliation.

    A supervisor closes; every uncertain payment must be resolved by a status check first. After
    closing, the day takes no payments and no reversals. Closing twice is refused.
    """
    from pesantren.samsat.selectors import payments_with_state

    now = now or timezone.now()
    _require_role(actor, outlet, SUPERVISOR_ROLES)
    Outlet.objects.select_for_update().filter(pk=outlet.pk).first()
    if business_day > timezone.localdate(now):
        raise DomainError(_("A business day can only be closed once it has started."))
    if counted_cash is None or counted_cash < 0:
        raise DomainError(_("Enter the cash counted in the drawer."))
    if _day_closed(outlet, business_day):
        raise DomainError(_("This business day is already closed."))
    payments = list(payments_with_state(Payment.objects.filter(outlet=outlet, business_day=business_day)))
    figures = day_figures(payments=payments, day=business_day)
    if figures.open_count:
        raise DomainError(
            _("%(count)s payment(s) are still uncertain: run their status check before closing the day.")
            % {"count": figures.open_count}
        )
    lines = reconcile(payments=payments, file_rows=get_biller().daily_file(outlet_code=outlet.code, day=business_day))
    balanced = all(
        line.category in (ReconciliationItem.Category.MATCHED, ReconciliationItem.Category.REVERSED) for line in lines
    )
    try:
        with transaction.atomic():
            close = DayClose.objects.create(
                outlet=outlet,
                business_day=business_day,
                closed_by=actor,
                payment_count=figures.payment_count,
                reversal_count=figures.reversal_count,
                expected_cash=figures.expected_cash,
                counted_cash=counted_cash,
                difference=counted_cash - figures.expected_cash,
                gross=figures.gross,
                outlet_fee=figures.outlet_fee,
                net=figures.net,
                balanced=balanced,
                created_at=now,
            )
    except IntegrityError:
        raise DomainError(_("This business day is already closed.")) from None
    ReconciliationItem.objects.bulk_create(ReconciliationItem(day_close=close, **line.__dict__) for line in lines)
    audit_record(
        actor=actor,
        action="samsat.day.closed",
        organisation=outlet.organisation,
        target=close,
        data={
            "day": business_day.isoformat(),
            "expected": figures.expected_cash,
            "counted": counted_cash,
            "balanced": balanced,
        },
    )
    return close
