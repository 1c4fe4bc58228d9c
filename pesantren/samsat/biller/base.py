"""The biller interface every adapter implements: inquiry, payment, advice, reversal, daily file.

Adapters never touch the outlet's ledger; they answer with these plain values or raise one of
these errors, and the services record what happened.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime


class BillerError(Exception):
    """Anything the biller answered other than success."""


class BillerRefusal(BillerError):
    """The biller said no; nothing was charged. `code` is stable, `message` is for the cashier."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class BillerTimeout(BillerError):
    """No answer in time: the payment may or may not have been booked. Only advice can tell."""


@dataclass(frozen=True)
class Inquiry:
    pay_code: str
    plate: str
    owner_name: str
    vehicle_type: str
    vehicle_description: str
    ownership_order: int
    due_date: date
    period_end: date
    months_late: int
    pkb: int
    opsen_pkb: int
    pkb_late_fee: int
    swdkllj: int
    swdkllj_late_fee: int

    @property
    def total(self) -> int:
        return self.pkb + self.opsen_pkb + self.pkb_late_fee + self.swdkllj + self.swdkllj_late_fee


@dataclass(frozen=True)
class PaymentResult:
    biller_ref: str
    amount: int
    booked_at: datetime


@dataclass(frozen=True)
class ReversalResult:
    reversal_ref: str


@dataclass(frozen=True)
class DailyFileRow:
    idempotency_key: str
    biller_ref: str
    plate: str
    amount: int
    reversed: bool


class Biller(ABC):
    #: A simulation is marked as such on receipts and on the public verification page.
    is_simulation: bool = False

    @abstractmethod
    def inquire(self, *, plate: str, on: date) -> Inquiry:
        """The bill of `plate` payable on `on`, or BillerRefusal (not found, blocked, STNK due, …)."""

    @abstractmethod
    def owner_verify(self, *, plate: str, nik: str = "", chassis_last5: str = "") -> bool:
        """Whether the NIK, or the last 5 characters of the chassis number, belong to this vehicle."""

    @abstractmethod
    def pay(
        self, *, pay_code: str, plate: str, amount: int, idempotency_key: str, outlet_code: str, now: datetime
    ) -> PaymentResult:
        """Book the payment once per key. Raises BillerRefusal (not booked) or BillerTimeout (unknown)."""

    @abstractmethod
    def advice(self, *, idempotency_key: str) -> PaymentResult | None:
        """Status check: the booking for this key, or None when the biller never booked it."""

    @abstractmethod
    def reverse(self, *, idempotency_key: str, reason: str, now: datetime) -> ReversalResult:
        """Cancel a booked payment; BillerRefusal when the biller will not."""

    @abstractmethod
    def daily_file(self, *, outlet_code: str, day: date) -> list[DailyFileRow]:
        """The biller's record of an outlet's business day, for reconciliation."""
