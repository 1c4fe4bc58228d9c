"""Store balances: the money the platform holds for a store (gateway-paid orders), its payouts to the store's
bank account, and the daily reconciliation's findings.

A store's balance is the sum of its `BalanceEntry` rows, bucket by bucket: *pending* (paid orders still running),
*available* (completed orders, ready to withdraw), *in payout* (requested or approved withdrawals), *paid out*
(transferred to the bank) and *refunded* (returned to the buyer). A sale credits pending; every later movement
only moves money between buckets, so the five buckets always add up to what the store was credited.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models.catalogue import Store
from marketplace.models.orders import Order
from opop.ledger import AppendOnly, AppendOnlyModel
from opop.models import TimeStampedModel, by_whom

BUCKETS = ("pending", "available", "in_payout", "paid_out", "refunded")


class Payout(TimeStampedModel):
    """One withdrawal of a store's available balance to its registered bank account.

    requested → approved → transferred (bank reference) or failed (reason; the amount returns to available);
    requested → rejected (by finance; the amount returns to available). Moves only through balance.services."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        TRANSFERRED = "transferred", _("Transferred")
        FAILED = "failed", _("Failed")
        REJECTED = "rejected", _("Rejected")

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="payouts")
    amount = models.PositiveBigIntegerField(_("amount"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    # The withdrawal form's id: the same form submitted twice finds the payout the first submission made.
    request_key = models.UUIDField(_("request form"), editable=False)
    # The store's bank account when the payout was requested: a later change of the account does not redirect it.
    bank_name = models.CharField(_("bank"), max_length=60)
    bank_account_number = models.CharField(_("account number"), max_length=30)
    bank_account_name = models.CharField(_("account holder"), max_length=100)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = by_whom(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    closed_by = by_whom(_("closed by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    reason = models.CharField(_("reason"), max_length=250, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.UniqueConstraint(fields=["store", "request_key"], name="payout_one_per_request_form"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["store", "-created_at", "-id"], name="payout_store_newest"),
            models.Index(fields=["status", "created_at", "id"], name="payout_status_oldest"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """What the bank transfer's description carries, so the store recognises the money."""
        return f"OPOP-PO-{self.pk:06d}" if self.pk else "OPOP-PO-new"


class BalanceEntry(AppendOnlyModel):
    """One movement of a store's balance: signed amounts on the buckets it moves. Append-only.

    A sale and a platform fee change what the store was credited; every other kind moves an amount from one
    bucket to another (its buckets add up to zero). The kinds an order or payout causes happen once each."""

    class Kind(models.TextChoices):
        SALE = "sale", _("Order paid")
        PLATFORM_FEE = "platform_fee", _("Platform fee")
        RELEASE = "release", _("Order completed")
        REFUND = "refund", _("Refunded to the buyer")
        PAYOUT_REQUEST = "payout_request", _("Payout requested")
        PAYOUT_PAID = "payout_paid", _("Payout transferred")
        PAYOUT_RETURN = "payout_return", _("Payout returned")

    CREDITS = (Kind.SALE, Kind.PLATFORM_FEE)
    ORDER_KINDS = (Kind.SALE, Kind.PLATFORM_FEE, Kind.RELEASE, Kind.REFUND)
    PAYOUT_KINDS = (Kind.PAYOUT_REQUEST, Kind.PAYOUT_PAID, Kind.PAYOUT_RETURN)

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="balance_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    pending = models.BigIntegerField(_("pending"), default=0)
    available = models.BigIntegerField(_("available"), default=0)
    in_payout = models.BigIntegerField(_("in payout"), default=0)
    paid_out = models.BigIntegerField(_("paid out"), default=0)
    refunded = models.BigIntegerField(_("refunded"), default=0)
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="balance_entries",
    )
    payout = models.ForeignKey(
        Payout,
        verbose_name=_("payout"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="balance_entries",
    )
    actor = by_whom(_("by"))
    note = models.CharField(_("note"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("balance movement")
        verbose_name_plural = _("balance movements")
        triggers = [AppendOnly(clearable=("actor",))]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"], condition=Q(order__isnull=False), name="balanceentry_once_per_order"
            ),
            models.UniqueConstraint(
                fields=["payout", "kind"], condition=Q(payout__isnull=False), name="balanceentry_once_per_payout"
            ),
            # Only a sale or a fee changes what the store was credited; everything else moves between buckets.
            models.CheckConstraint(
                condition=Q(kind__in=["sale", "platform_fee"])
                | Q(pending=-(F("available") + F("in_payout") + F("paid_out") + F("refunded"))),
                name="balanceentry_moves_add_up",
            ),
            models.CheckConstraint(
                condition=~Q(pending=0, available=0, in_payout=0, paid_out=0, refunded=0),
                name="balanceentry_not_zero",
            ),
            models.CheckConstraint(
                condition=Q(order__isnull=True) | Q(payout__isnull=True), name="balanceentry_order_or_payout"
            ),
        ]
        indexes = [models.Index(fields=["store", "-id"], name="balanceentry_store_newest")]

    def __str__(self):
        return f"{self.store_id} {self.kind} {self.held:+d}"

    @property
    def held(self) -> int:
        """How much this movement changes what the platform holds for the store (pending + available + in payout)."""
        return self.pending + self.available + self.in_payout

    @property
    def moved(self) -> int:
        """The amount a movement between buckets moves (its positive side)."""
        return sum(value for value in (getattr(self, bucket) for bucket in BUCKETS) if value > 0)


class ReconciliationRun(models.Model):
    """One day's reconciliation: which checks ran, when, and how many differences they found."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    checks = models.JSONField(_("checks"), default=list, blank=True)
    finding_count = models.PositiveIntegerField(_("findings"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("reconciliation run")
        verbose_name_plural = _("reconciliation runs")

    def __str__(self):
        return f"{self.day} ({self.finding_count})"


class ReconciliationFinding(models.Model):
    """A difference a reconciliation check found. Listed for finance staff; nothing is corrected automatically."""

    run = models.ForeignKey(ReconciliationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="findings")
    day = models.DateField(_("day"), db_index=True)
    check_name = models.CharField(_("check"), max_length=60)
    kind = models.CharField(_("kind"), max_length=60)
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    payout = models.ForeignKey(
        Payout, verbose_name=_("payout"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    expected = models.BigIntegerField(_("expected"), null=True, blank=True)
    actual = models.BigIntegerField(_("actual"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-day", "id"]
        verbose_name = _("reconciliation finding")
        verbose_name_plural = _("reconciliation findings")

    def __str__(self):
        return f"{self.day} {self.kind} {self.store_id}"

    @property
    def difference(self) -> int | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected
