"""The bill of one vehicle from the policy tables: PKB, opsen PKB, late fees, SWDKLLJ.

Rates, opsen and SWDKLLJ are those in force on the tax due date; the PKB late-fee rule is the one
in force on the day of payment (so a relief programme that waives late fees applies to whoever pays
while it runs). Whole Rupiah, rounded half up.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from opop.services import DomainError
from pesantren.samsat.models import LateFeeRule, OpsenRate, OutletFeeRule, PkbRate, SwdklljTariff

BASIS = 10_000


class PolicyMissing(DomainError):
    """No policy row covers the date asked for."""


@dataclass(frozen=True)
class BillLines:
    pkb: int
    opsen_pkb: int
    pkb_late_fee: int
    swdkllj: int
    swdkllj_late_fee: int
    months_late: int

    @property
    def total(self) -> int:
        return self.pkb + self.opsen_pkb + self.pkb_late_fee + self.swdkllj + self.swdkllj_late_fee


def _share(amount: int, basis_points: int) -> int:
    """amount x bp / 10 000, rounded half up, in integers only."""
    return (amount * basis_points + BASIS // 2) // BASIS


def months_late(*, due_date: date, on: date) -> int:
    """Started months after the due date: paying one day late counts as one month."""
    if on <= due_date:
        return 0
    months = (on.year - due_date.year) * 12 + (on.month - due_date.month)
    if on.day > due_date.day:
        months += 1
    return max(months, 1)


def pkb_rate_bp(*, vehicle_type: str, ownership_order: int, on: date) -> int:
    rows = list(
        PkbRate.objects.effective_on(on).filter(vehicle_type=vehicle_type, ownership_order__lte=ownership_order)
    )
    if not rows:
        raise PolicyMissing(_("No PKB rate is in force on %(day)s.") % {"day": on.isoformat()})
    latest = max(row.effective_from for row in rows)
    return max((row for row in rows if row.effective_from == latest), key=lambda row: row.ownership_order).rate_bp


def _first(queryset, what: str, on: date):
    row = queryset.effective_on(on).order_by("-effective_from", "-id").first()
    if row is None:
        raise PolicyMissing(_("No %(what)s is in force on %(day)s.") % {"what": what, "day": on.isoformat()})
    return row


def opsen_rate_bp(*, on: date) -> int:
    return _first(OpsenRate.objects.all(), "opsen PKB rate", on).rate_bp


def late_fee_rule(*, on: date) -> LateFeeRule:
    return _first(LateFeeRule.objects.all(), "late-fee rule", on)


def swdkllj_tariff(*, vehicle_type: str, on: date) -> SwdklljTariff:
    return _first(SwdklljTariff.objects.filter(vehicle_type=vehicle_type), "SWDKLLJ tariff", on)


def outlet_fee_per_payment(*, on: date) -> int:
    return _first(OutletFeeRule.objects.all(), "outlet fee rule", on).fee_per_payment


def bill_compute(*, tax_base: int, vehicle_type: str, ownership_order: int, due_date: date, on: date) -> BillLines:
    """The lines of a bill for a vehicle whose tax base (NJKB x weight) is `tax_base`, paid on `on`."""
    pkb = _share(tax_base, pkb_rate_bp(vehicle_type=vehicle_type, ownership_order=ownership_order, on=due_date))
    opsen = _share(pkb, opsen_rate_bp(on=due_date))
    late = months_late(due_date=due_date, on=on)
    rule = late_fee_rule(on=on)
    pkb_late_fee = _share(pkb, rule.rate_bp_per_month * min(late, rule.max_months)) if late else 0
    tariff = swdkllj_tariff(vehicle_type=vehicle_type, on=due_date)
    return BillLines(
        pkb=pkb,
        opsen_pkb=opsen,
        pkb_late_fee=pkb_late_fee,
        swdkllj=tariff.amount,
        swdkllj_late_fee=tariff.late_fee if late else 0,
        months_late=late,
    )
