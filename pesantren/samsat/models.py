"""Samsat OPOP: policy tables, outlets, and the counter's append-only money trail.

Ledger rows (bills, payments, outcomes, reversals, receipt prints, day closes) are written once
and never updated or deleted; a payment's state is derived from the rows that follow it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop.ledger import AppendOnly, AppendOnlyModel
from opop.models import Organisation, TimeStampedModel


class VehicleType(models.TextChoices):
    MOTORBIKE = "motorbike", _("Motorbike")
    CAR = "car", _("Car")


# --- Policy tables: rates change and relief programmes happen, so each row has dates. -----------


class PolicyQuerySet(models.QuerySet):
    def effective_on(self, day):
        """Rows in force on `day`, most recent first (a relief programme overrides the base rule)."""
        return self.filter(effective_from__lte=day).filter(
            models.Q(effective_until__isnull=True) | models.Q(effective_until__gte=day)
        )


class PolicyRow(models.Model):
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        abstract = True


class PkbRate(PolicyRow):
    """PKB rate in basis points of the tax base (NJKB x weight), by vehicle type and ownership order."""

    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices)
    ownership_order = models.PositiveSmallIntegerField(
        _("from ownership order"), help_text=_("Applies to this ownership order and above, until a higher row.")
    )
    rate_bp = models.PositiveIntegerField(_("rate (basis points)"))

    class Meta:
        ordering = ["-effective_from", "vehicle_type", "ownership_order"]
        verbose_name = _("PKB rate")
        verbose_name_plural = _("PKB rates")
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from", "vehicle_type", "ownership_order"], name="samsat_pkbrate_unique"
            )
        ]

    def __str__(self):
        return f"{self.vehicle_type} #{self.ownership_order}: {self.rate_bp} bp from {self.effective_from}"


class OpsenRate(PolicyRow):
    """Opsen PKB: the surcharge on PKB that goes to the kabupaten/kota (66 % since 5 January 2025)."""

    rate_bp = models.PositiveIntegerField(_("rate (basis points of PKB)"))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("opsen PKB rate")
        verbose_name_plural = _("opsen PKB rates")

    def __str__(self):
        return f"opsen {self.rate_bp} bp from {self.effective_from}"


class LateFeeRule(PolicyRow):
    """PKB late fee: a share of PKB per started month late, capped; rate 0 for a relief programme."""

    rate_bp_per_month = models.PositiveIntegerField(_("rate per month (basis points)"))
    max_months = models.PositiveSmallIntegerField(_("at most months"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("PKB late-fee rule")
        verbose_name_plural = _("PKB late-fee rules")

    def __str__(self):
        return f"{self.name} from {self.effective_from}"


class SwdklljTariff(PolicyRow):
    """Jasa Raharja's SWDKLLJ contribution and its flat late fee, by vehicle type."""

    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices)
    amount = models.PositiveBigIntegerField(_("contribution (Rp)"))
    late_fee = models.PositiveBigIntegerField(_("late fee (Rp)"))

    class Meta:
        ordering = ["-effective_from", "vehicle_type"]
        verbose_name = _("SWDKLLJ tariff")
        verbose_name_plural = _("SWDKLLJ tariffs")

    def __str__(self):
        return f"SWDKLLJ {self.vehicle_type} {self.amount} from {self.effective_from}"


class OutletFeeRule(PolicyRow):
    """What an outlet keeps per confirmed payment when it settles the day."""

    fee_per_payment = models.PositiveBigIntegerField(_("fee per payment (Rp)"))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("outlet fee rule")
        verbose_name_plural = _("outlet fee rules")

    # --- Outlets -----------------------------------------------------------------------------------

    def __str__(self):
        return f"fee {self.fee_per_payment} from {self.effective_from}"


class Outlet(TimeStampedModel):
    """A koppontren registered by Diskop staff as a Samsat OPOP payment point."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="samsat_outlets"
    )
    code = models.CharField(_("outlet code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    opening_hours = models.CharField(_("opening hours"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    takes_samsat_payments = models.BooleanField(
        _("Samsat OPOP counter"),
        default=True,
        help_text=_("Off for a pesantren listed only as a Laku Pandai agent."),
    )
    is_laku_pandai_agent = models.BooleanField(_("Laku Pandai agent"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation__kabupaten_kota_id", "name"]
        verbose_name = _("Samsat OPOP outlet")
        verbose_name_plural = _("Samsat OPOP outlets")

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def map_url(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        return f"https://www.google.com/maps/search/?api=1&query={self.latitude},{self.longitude}"


# --- The counter's ledger ----------------------------------------------------------------------


class Bill(AppendOnlyModel):
    """What the biller answered to one inquiry; the idempotency key of its payment is made here."""

    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="bills")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cashier"), on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    pay_code = models.CharField(_("pay code"), max_length=40)
    plate = models.CharField(_("plate"), max_length=12, db_index=True)
    owner_masked = models.CharField(_("owner"), max_length=120)
    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices)
    vehicle_description = models.CharField(_("vehicle"), max_length=120, blank=True)
    ownership_order = models.PositiveSmallIntegerField(_("ownership order"))
    due_date = models.DateField(_("tax due date"))
    period_end = models.DateField(_("period until"))
    months_late = models.PositiveSmallIntegerField(_("months late"), default=0)
    pkb = models.PositiveBigIntegerField(_("PKB"))
    opsen_pkb = models.PositiveBigIntegerField(_("opsen PKB"))
    pkb_late_fee = models.PositiveBigIntegerField(_("PKB late fee"))
    swdkllj = models.PositiveBigIntegerField(_("SWDKLLJ"))
    swdkllj_late_fee = models.PositiveBigIntegerField(_("SWDKLLJ late fee"))
    total = models.PositiveBigIntegerField(_("total"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("pay code expires"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        triggers = [AppendOnly()]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    total=models.F("pkb")
                    + models.F("opsen_pkb")
                    + models.F("pkb_late_fee")
                    + models.F("swdkllj")
                    + models.F("swdkllj_late_fee")
                ),
                name="samsat_bill_total_is_sum_of_lines",
            )
        ]

    def __str__(self):
        return f"{self.plate} {self.total}"

    def lines(self) -> list[tuple[str, int]]:
        return [
            (_("PKB (principal)"), self.pkb),
            (_("Opsen PKB (kabupaten/kota)"), self.opsen_pkb),
            (_("PKB late fee"), self.pkb_late_fee),
            (_("SWDKLLJ (Jasa Raharja)"), self.swdkllj),
            (_("SWDKLLJ late fee"), self.swdkllj_late_fee),
        ]


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Being processed")
    CONFIRMED = "confirmed", _("Paid")
    UNCERTAIN = "uncertain", _("Uncertain: run a status check")
    FAILED = "failed", _("Failed, not charged")
    REVERSED = "reversed", _("Reversed")


class Payment(AppendOnlyModel):
    """One payment attempt for a bill. Its key is unique: a resubmission finds this row, never a new one."""

    class Identity(models.TextChoices):
        NIK = "nik", _("Owner's NIK")
        CHASSIS = "chassis", _("Chassis number (last 5)")

    idempotency_key = models.UUIDField(_("idempotency key"), unique=True)
    bill = models.OneToOneField(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="payment")
    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="payments")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cashier"), on_delete=models.PROTECT, related_name="+"
    )
    plate = models.CharField(_("plate"), max_length=12, db_index=True)
    total = models.PositiveBigIntegerField(_("total"))
    identity_method = models.CharField(_("identity checked by"), max_length=10, choices=Identity.choices)
    business_day = models.DateField(_("business day"), db_index=True)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        triggers = [AppendOnly()]
        indexes = [models.Index(fields=["outlet", "business_day"])]

    def __str__(self):
        return self.receipt_number

    @property
    def receipt_number(self) -> str:
        return f"{self.outlet.code}-{self.business_day:%y%m%d}-{self.pk:06d}"

    @property
    def state(self) -> str:
        """Derived from the rows that follow: a reversal wins, else the latest outcome, else pending.

        List selectors annotate `latest_status` and `is_reversed` so this costs no query per row.
        """
        if hasattr(self, "latest_status"):
            latest, reversed_ = self.latest_status, self.is_reversed
        else:
            outcome = self.outcomes.order_by("-created_at", "-id").first()
            latest = outcome.status if outcome else None
            reversed_ = Reversal.objects.filter(payment_id=self.pk).exists()
        if reversed_:
            return PaymentState.REVERSED
        return latest or PaymentState.PENDING

    def get_state_display(self) -> str:
        return PaymentState(self.state).label


class PaymentOutcome(AppendOnlyModel):
    """What the biller said about a payment: the latest row is its state until a reversal."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Paid")
        UNCERTAIN = "uncertain", _("Uncertain")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        PAYMENT = "payment", _("Payment request")
        ADVICE = "advice", _("Status check (advice)")

    payment = models.ForeignKey(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="outcomes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    biller_ref = models.CharField(_("biller reference (NTPD)"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("payment outcome")
        verbose_name_plural = _("payment outcomes")
        triggers = [AppendOnly()]
        # The latest outcome of each payment (payments_with_state) is one index probe, not a sort.
        indexes = [
            models.Index("payment", models.F("created_at").desc(), models.F("id").desc(), name="samsat_outcome_latest")
        ]

    def __str__(self):
        return f"{self.payment_id} {self.status}"

    @property
    def message_display(self) -> str:
        """The trail's words for the machine notes the service writes ("timeout", "biller amount 123")."""
        from opop.formatting import format_rupiah

        labels = {
            "timeout": _("The biller did not answer in time"),
            "advice timeout": _("The status check got no answer"),
            "biller error": _("The biller's system gave an error"),
        }
        if self.message in labels:
            return labels[self.message]
        if self.message.startswith("biller amount "):
            amount = self.message.removeprefix("biller amount ")
            if amount.isdigit():
                return _("The biller booked a different amount: %(amount)s") % {"amount": format_rupiah(int(amount))}
        return self.message


class Reversal(AppendOnlyModel):
    """A supervisor's reversal of a confirmed payment, on its business day before the cut-off."""

    payment = models.OneToOneField(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="reversal"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("supervisor"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    biller_ref = models.CharField(_("biller reversal reference"), max_length=40)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reversal")
        verbose_name_plural = _("reversals")
        triggers = [AppendOnly()]

    def __str__(self):
        return f"reversal of {self.payment_id}"


class ETbpkp(AppendOnlyModel):
    """The simulated e-TBPKP (electronic vehicle-tax receipt) issued once for a paid payment.

    The real e-TBPKP comes from Bapenda's system; the sandbox issues one with every confirmed payment so the
    counter can hand the owner what the Samsat apps hand out. Its number is derived from the payment, so issuing
    twice finds the same row.
    """

    payment = models.OneToOneField(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="etbpkp")
    number = models.CharField(_("e-TBPKP number"), max_length=40, unique=True)
    biller_ref = models.CharField(_("biller reference (NTPD)"), max_length=40, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("e-TBPKP (simulated)")
        verbose_name_plural = _("e-TBPKP (simulated)")
        triggers = [AppendOnly()]

    def __str__(self):
        return self.number

    @staticmethod
    def number_for(payment: "Payment") -> str:
        """`SIM-3517-20261203-000042`: region, business day, payment; SIM marks the simulation."""
        region = (payment.outlet.organisation.kabupaten_kota_id or "00.00").replace(".", "")
        return f"SIM-{region}-{payment.business_day:%Y%m%d}-{payment.pk:06d}"


class ReceiptPrint(AppendOnlyModel):
    """Each reprint of a receipt, so a copy can be told from the original."""

    payment = models.ForeignKey(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="prints")
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("printed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("receipt reprint")
        verbose_name_plural = _("receipt reprints")
        triggers = [AppendOnly()]

    def __str__(self):
        return f"reprint of {self.payment_id}"


class DayClose(AppendOnlyModel):
    """The end of an outlet's business day: counted cash, settlement and the reconciliation summary."""

    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="day_closes")
    business_day = models.DateField(_("business day"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    payment_count = models.PositiveIntegerField(_("payments"))
    reversal_count = models.PositiveIntegerField(_("reversals"))
    expected_cash = models.PositiveBigIntegerField(_("expected cash"))
    counted_cash = models.PositiveBigIntegerField(_("counted cash"))
    difference = models.BigIntegerField(_("difference"))
    gross = models.PositiveBigIntegerField(_("gross"))
    outlet_fee = models.PositiveBigIntegerField(_("outlet fee"))
    net = models.BigIntegerField(_("net to remit"))
    balanced = models.BooleanField(_("reconciliation balanced"))
    created_at = models.DateTimeField(_("closed at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-business_day"]
        verbose_name = _("day close")
        verbose_name_plural = _("day closes")
        triggers = [AppendOnly()]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "business_day"], name="samsat_dayclose_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(difference=models.F("counted_cash") - models.F("expected_cash")),
                name="samsat_dayclose_difference",
            ),
            models.CheckConstraint(
                condition=models.Q(net=models.F("gross") - models.F("outlet_fee")), name="samsat_dayclose_net"
            ),
        ]

    def __str__(self):
        return f"{self.outlet.code} {self.business_day}"


class ReconciliationItem(AppendOnlyModel):
    """One line of a day's reconciliation of the outlet's records against the biller's daily file."""

    class Category(models.TextChoices):
        MATCHED = "matched", _("Matched")
        REVERSED = "reversed", _("Reversed on both sides")
        MISSING_AT_BILLER = "missing_at_biller", _("Missing in the biller's file")
        MISSING_AT_OUTLET = "missing_at_outlet", _("Missing in the outlet's records")
        AMOUNT_MISMATCH = "amount_mismatch", _("Amount mismatch")
        STATUS_MISMATCH = "status_mismatch", _("Reversed on one side only")

    day_close = models.ForeignKey(DayClose, verbose_name=_("day close"), on_delete=models.PROTECT, related_name="items")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    idempotency_key = models.CharField(_("transaction key"), max_length=40)
    plate = models.CharField(_("plate"), max_length=12, blank=True)
    biller_ref = models.CharField(_("biller reference"), max_length=40, blank=True)
    outlet_amount = models.BigIntegerField(_("outlet amount"), null=True, blank=True)
    biller_amount = models.BigIntegerField(_("biller amount"), null=True, blank=True)

    class Meta:
        ordering = ["category", "id"]
        verbose_name = _("reconciliation item")
        verbose_name_plural = _("reconciliation items")
        triggers = [AppendOnly()]

    def __str__(self):
        return f"{self.category} {self.idempotency_key}"

    @property
    def needs_follow_up(self) -> bool:
        return self.category not in (self.Category.MATCHED, self.Category.REVERSED)


# --- The sandbox biller's own books (stands in for the provincial revenue office's system) ------


class SandboxBooking(models.Model):
    """A payment as the sandbox biller booked it; the sandbox's daily file and advice read these."""

    idempotency_key = models.CharField(max_length=40, unique=True)
    outlet_code = models.CharField(max_length=20)
    plate = models.CharField(max_length=12, db_index=True)
    amount = models.PositiveBigIntegerField()
    biller_ref = models.CharField(max_length=40, unique=True)
    business_day = models.DateField()
    booked_at = models.DateTimeField()
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_ref = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["booked_at", "id"]
        verbose_name = _("sandbox biller booking")
        verbose_name_plural = _("sandbox biller bookings")

    def __str__(self):
        return f"{self.biller_ref} {self.plate}"
