"""A deterministic sandbox biller: a fixed set of East Java vehicles, its books in `SandboxBooking`.

Dates are offsets from the inquiry day so the demo stays current. Two plates simulate a timeout:
`S 9999 TO` books the payment and then does not answer (advice finds it), `S 9998 TO` does not
answer and never books (advice finds nothing).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pesantren.samsat.biller.base import (
    Biller,
    BillerRefusal,
    BillerTimeout,
    DailyFileRow,
    Inquiry,
    PaymentResult,
    ReversalResult,
)
from pesantren.samsat.models import SandboxBooking, VehicleType
from pesantren.samsat.policy import bill_compute

MOTOR, CAR = VehicleType.MOTORBIKE, VehicleType.CAR
TIMEOUT_AFTER_BOOKING = "S 9999 TO"
TIMEOUT_BEFORE_BOOKING = "S 9998 TO"
# A vehicle counts as paid for its period for this long after a booking.
PAID_PERIOD_DAYS = 300


@dataclass(frozen=True)
class SandboxVehicle:
    plate: str
    owner_name: str
    nik: str
    chassis_last5: str
    vehicle_type: str
    description: str
    ownership_order: int
    tax_base: int  # NJKB x weight, Rupiah
    due_offset_days: int  # tax due date relative to the inquiry day
    stnk_offset_days: int  # 5-yearly STNK date relative to the inquiry day
    blocked: bool = False


VEHICLES = {
    v.plate: v
    for v in [
        SandboxVehicle("S 1234 AB", "Muhammad Rizki Ramadhan", "3517011203900001", "48213", MOTOR,
                       "Honda Beat 2021", 1, 16_000_000, 10, 800),
        SandboxVehicle("S 4821 KD", "Siti Nurhaliza", "3517024506850002", "77120", CAR,
                       "Toyota Avanza 1.3 G 2020", 1, 165_000_000, -40, 1000),
        SandboxVehicle("N 3456 BC", "Ahmad Syaifuddin", "3514031108880003", "30911", MOTOR,
                       "Yamaha NMAX 2022", 2, 27_500_000, -75, 1200),
        SandboxVehicle("AG 1234 XY", "Dewi Lestari", "3571014402920004", "55021", MOTOR,
                       "Honda Vario 125 2023", 1, 19_000_000, 3, 1500),
        SandboxVehicle("L 1717 ZZ", "Hendra Wijaya", "3578011507800005", "90045", CAR,
                       "Mitsubishi Xpander 2021", 3, 210_000_000, 25, 900),
        SandboxVehicle("AE 4567 MN", "Yuliana Putri", "3577016103950006", "12876", CAR,
                       "Daihatsu Sigra 2019", 1, 115_000_000, -15, 300),
        SandboxVehicle("S 2468 JA", "Khoirul Anam", "3517050909910007", "66302", MOTOR,
                       "Honda Supra X 125 2018", 1, 11_500_000, 0, 700),
        SandboxVehicle("N 8080 FA", "Fatimah Azzahra", "3514064807960008", "21457", MOTOR,
                       "Suzuki Nex II 2020", 1, 10_800_000, -5, 1100),
        SandboxVehicle("W 2345 QA", "Nur Aini", "3515015202870009", "38210", MOTOR,
                       "Honda Scoopy 2017", 1, 12_000_000, -400, 200),
        SandboxVehicle("P 5678 RT", "Bambang Sutrisno", "3509012001750010", "74019", MOTOR,
                       "Yamaha Mio 2016", 1, 8_500_000, 5, -5),
        SandboxVehicle("M 8899 KL", "Abdul Rohman", "3526011210830011", "59930", MOTOR,
                       "Honda Revo 2019", 1, 9_600_000, 12, 600, blocked=True),
        SandboxVehicle(TIMEOUT_AFTER_BOOKING, "Slamet Riyadi", "3517071705790012", "80808", MOTOR,
                       "Honda Beat 2020", 1, 15_000_000, 7, 900),
        SandboxVehicle(TIMEOUT_BEFORE_BOOKING, "Sri Wahyuni", "3517076208820013", "80809", MOTOR,
                       "Honda Genio 2022", 1, 17_000_000, 9, 1300),
    ]
}  # fmt: skip

# Regular customers the demo's past business days are built from (the vehicles above stay payable
# for a live demo). Plate, owner, vehicle: all deterministic.
_DEMO_OWNERS = [
    "Agus Salim", "Rina Wulandari", "Imam Bukhori", "Lailatul Fitriyah", "Moch. Ikhsan", "Ummi Kulsum",
    "Zainul Arifin", "Nurul Hidayah", "Samsul Hadi", "Eka Puspitasari", "Rofiq Hidayat", "Siti Aminah",
    "Taufik Hidayatullah", "Wahyu Ningsih", "Fauzan Adhim", "Dian Permatasari", "Kholil Anwar", "Mega Safitri",
    "Yusuf Mansur", "Anisa Rahma", "Hasan Basri", "Latifah Hanum", "Mukhlis Efendi", "Puji Astuti",
]  # fmt: skip
_DEMO_PREFIXES = ["S", "S", "N", "W", "AG", "L"]
DEMO_PLATES: list[str] = []
for _i, _owner in enumerate(_DEMO_OWNERS, start=1):
    _car = _i % 6 == 0
    _vehicle = SandboxVehicle(
        plate=f"{_DEMO_PREFIXES[_i % len(_DEMO_PREFIXES)]} {5100 + _i * 7} {'DU' if _i % 2 else 'SG'}",
        owner_name=_owner,
        nik=f"3517{_i:02d}0101900{_i:03d}",
        chassis_last5=f"{10000 + _i * 379}",
        vehicle_type=CAR if _car else MOTOR,
        description="Toyota Calya 2020" if _car else ("Honda Beat 2022" if _i % 2 else "Yamaha Aerox 2021"),
        ownership_order=1 + (_i % 3 == 0),
        tax_base=(120_000_000 + _i * 1_000_000) if _car else (11_000_000 + _i * 250_000),
        due_offset_days=(_i * 13) % 70 - 40,
        stnk_offset_days=400 + _i * 30,
    )
    VEHICLES[_vehicle.plate] = _vehicle
    DEMO_PLATES.append(_vehicle.plate)


# What each headline plate shows in a demo; the counter lists them while the sandbox is in use.
SCENARIOS = [
    ("S 1234 AB", gettext_lazy("on time")),
    ("S 4821 KD", gettext_lazy("2 months late (car)")),
    ("N 3456 BC", gettext_lazy("3 months late, 2nd ownership")),
    ("L 1717 ZZ", gettext_lazy("car, 3rd ownership")),
    ("M 8899 KL", gettext_lazy("blocked")),
    ("P 5678 RT", gettext_lazy("STNK 5-year renewal due")),
    ("W 2345 QA", gettext_lazy("more than 12 months late")),
    (TIMEOUT_AFTER_BOOKING, gettext_lazy("timeout; advice finds it paid")),
    (TIMEOUT_BEFORE_BOOKING, gettext_lazy("timeout; advice finds nothing")),
]


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _ref(prefix: str, key: str) -> str:
    return prefix + hashlib.sha256(key.encode()).hexdigest()[:14].upper()


class SandboxBiller(Biller):
    is_simulation = True

    @staticmethod
    def scenarios() -> list[dict]:
        """Plates to try at the counter, with the NIK and chassis digits a customer would give."""
        return [
            {"plate": plate, "what": what, "nik": VEHICLES[plate].nik, "chassis": VEHICLES[plate].chassis_last5}
            for plate, what in SCENARIOS
        ]

    def _vehicle(self, plate: str) -> SandboxVehicle:
        vehicle = VEHICLES.get(plate)
        if vehicle is None:
            raise BillerRefusal("not_found", _("No vehicle with plate %(plate)s is registered.") % {"plate": plate})
        return vehicle

    def _already_paid(self, plate: str, on: date) -> bool:
        return SandboxBooking.objects.filter(
            plate=plate, reversed_at__isnull=True, business_day__gt=on - timedelta(days=PAID_PERIOD_DAYS)
        ).exists()

    def inquire(self, *, plate: str, on: date) -> Inquiry:
        vehicle = self._vehicle(plate)
        if vehicle.blocked:
            raise BillerRefusal(
                "blocked", _("This vehicle is blocked at Samsat; the owner must go to a Samsat office.")
            )
        if vehicle.stnk_offset_days <= 0:
            raise BillerRefusal(
                "stnk_due",
                _("The 5-yearly STNK renewal is due: the vehicle must be checked at a Samsat office."),
            )
        if self._already_paid(plate, on):
            raise BillerRefusal("already_paid", _("The tax of this vehicle is already paid for this period."))
        due = on + timedelta(days=vehicle.due_offset_days)
        lines = bill_compute(
            tax_base=vehicle.tax_base,
            vehicle_type=vehicle.vehicle_type,
            ownership_order=vehicle.ownership_order,
            due_date=due,
            on=on,
        )
        if lines.months_late > 12:
            raise BillerRefusal(
                "too_late", _("The tax is more than 12 months late: the owner must go to a Samsat office.")
            )
        return Inquiry(
            pay_code=f"SBX{due:%Y%m%d}{plate.replace(' ', '')}",
            plate=plate,
            owner_name=vehicle.owner_name,
            vehicle_type=vehicle.vehicle_type,
            vehicle_description=vehicle.description,
            ownership_order=vehicle.ownership_order,
            due_date=due,
            period_end=_one_year_after(due),
            months_late=lines.months_late,
            pkb=lines.pkb,
            opsen_pkb=lines.opsen_pkb,
            pkb_late_fee=lines.pkb_late_fee,
            swdkllj=lines.swdkllj,
            swdkllj_late_fee=lines.swdkllj_late_fee,
        )

    def owner_verify(self, *, plate: str, nik: str = "", chassis_last5: str = "") -> bool:
        vehicle = self._vehicle(plate)
        if nik:
            return nik.strip() == vehicle.nik
        if chassis_last5:
            return chassis_last5.strip().upper() == vehicle.chassis_last5
        return False

    def pay(
        self, *, pay_code: str, plate: str, amount: int, idempotency_key: str, outlet_code: str, now: datetime
    ) -> PaymentResult:
        if plate == TIMEOUT_BEFORE_BOOKING:
            raise BillerTimeout()
        with transaction.atomic():
            existing = SandboxBooking.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return PaymentResult(existing.biller_ref, existing.amount, existing.booked_at)
            day = timezone.localdate(now)
            bill = self.inquire(plate=plate, on=day)
            if bill.pay_code != pay_code or bill.total != amount:
                raise BillerRefusal("bill_changed", _("The bill has changed since the inquiry; run a new inquiry."))
            booking = SandboxBooking.objects.create(
                idempotency_key=idempotency_key,
                outlet_code=outlet_code,
                plate=plate,
                amount=amount,
                biller_ref=_ref("NTPD", idempotency_key),
                business_day=day,
                booked_at=now,
            )
        if plate == TIMEOUT_AFTER_BOOKING:
            raise BillerTimeout()  # booked, but the answer never reaches the counter
        return PaymentResult(booking.biller_ref, booking.amount, booking.booked_at)

    def advice(self, *, idempotency_key: str) -> PaymentResult | None:
        booking = SandboxBooking.objects.filter(idempotency_key=idempotency_key).first()
        if booking is None:
            return None
        return PaymentResult(booking.biller_ref, booking.amount, booking.booked_at)

    def reverse(self, *, idempotency_key: str, reason: str, now: datetime) -> ReversalResult:
        with transaction.atomic():
            booking = SandboxBooking.objects.select_for_update().filter(idempotency_key=idempotency_key).first()
            if booking is None:
                raise BillerRefusal("not_found", _("The biller has no such payment to reverse."))
            if booking.reversed_at is None:
                booking.reversed_at = now
                booking.reversal_ref = _ref("REV", idempotency_key)
                booking.save(update_fields=["reversed_at", "reversal_ref"])
        return ReversalResult(booking.reversal_ref)

    def daily_file(self, *, outlet_code: str, day: date) -> list[DailyFileRow]:
        return [
            DailyFileRow(b.idempotency_key, b.biller_ref, b.plate, b.amount, b.reversed_at is not None)
            for b in SandboxBooking.objects.filter(outlet_code=outlet_code, business_day=day)
        ]
