"""Samsat OPOP demo: outlets at four pesantren and a Laku Pandai agent, a cashier and a supervisor, past business days.

Idempotent: outlets and memberships are looked up first, and the past days are only built for an
outlet that has no payments yet. Past days use the sandbox's regular customers, so the headline
plates (S 1234 AB, S 4821 KD, AG 1234 XY, S 9999 TO for a timeout…) stay payable for a live demo.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from opop.demo import demo_organisation, demo_user
from opop.models import Membership, Organisation
from opop.services import membership_add
from pesantren.samsat import services
from pesantren.samsat.biller.sandbox import DEMO_PLATES, VEHICLES
from pesantren.samsat.models import Outlet, Payment

OUTLETS = [
    # (pesantren, kabupaten/kota, outlet name, address, opening hours, lat, lng, Laku Pandai[, counter])
    (
        "Pondok Pesantren Darul Ulum",
        "35.17",
        "Samsat OPOP Kopontren Darul Ulum",
        "Jl. KH. Romly Tamim, Rejoso, Peterongan, Jombang",
        "Sabtu-Kamis 08.00-15.00 WIB",
        "-7.541900",
        "112.263400",
        True,
    ),
    (
        "Pondok Pesantren Sidogiri",
        "35.14",
        "Samsat OPOP Kopontren Sidogiri",
        "Jl. Raya Sidogiri, Kraton, Pasuruan",
        "Sabtu-Kamis 07.30-14.00 WIB",
        "-7.612300",
        "112.835800",
        True,
    ),
    (
        "Pondok Pesantren Lirboyo",
        "35.71",
        "Samsat OPOP Kopontren Lirboyo",
        "Jl. KH. Abdul Karim, Lirboyo, Mojoroto, Kota Kediri",
        "Sabtu-Kamis 08.00-15.00 WIB",
        "-7.817600",
        "111.995100",
        False,
    ),
    (
        "Pondok Pesantren Al-Amien Prenduan",
        "35.29",
        "Samsat OPOP Kopontren Al-Amien",
        "Jl. Raya Pamekasan-Sumenep, Prenduan, Pragaan, Sumenep",
        "Sabtu-Kamis 08.00-14.00 WIB",
        "-7.083900",
        "113.673500",
        False,
    ),
    (
        "Pondok Pesantren Nurul Jadid",
        "35.13",
        "Agen Laku Pandai Kopontren Nurul Jadid",
        "Jl. KH. Zaini Mun'im, Karanganyar, Paiton, Probolinggo",
        "Sabtu-Kamis 08.00-15.00 WIB",
        "-7.722800",
        "113.479600",
        True,
        False,
    ),
]


def _ensure_member(user, organisation, role):
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        membership_add(organisation=organisation, user=user, role=role)


def _outlet(staff, spec) -> Outlet:
    pesantren, kode, name, address, hours, lat, lng, laku_pandai, *counter = spec
    organisation = demo_organisation(pesantren, Organisation.Kind.PESANTREN, kode)
    outlet = Outlet.objects.filter(organisation=organisation, name=name).first()
    if outlet is None:
        outlet = services.samsat_outlet_register(
            actor=staff,
            organisation=organisation,
            name=name,
            address=address,
            opening_hours=hours,
            latitude=lat,
            longitude=lng,
            takes_samsat_payments=counter[0] if counter else True,
            is_laku_pandai_agent=laku_pandai,
        )
    return outlet


def _past_days(outlet, cashier, supervisor, plates, days_back=6):
    """Payments on the last business days (Fridays off), one reversal, each day closed."""
    if Payment.objects.filter(outlet=outlet).exists():
        return
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(days_back, 0, -1)]
    days = [day for day in days if day.weekday() != 4]
    plates = list(plates)
    for index, day in enumerate(days):
        for slot in range(len(plates) // len(days) or 1):
            if not plates:
                break
            plate = plates.pop(0)
            vehicle = VEHICLES[plate]
            now = timezone.make_aware(datetime.combine(day, time(8 + slot * 2, 15 + slot * 7)))
            bill = services.samsat_bill_inquire(outlet=outlet, cashier=cashier, plate=plate, now=now)
            identity = {"nik": vehicle.nik} if slot % 2 == 0 else {"chassis_last5": vehicle.chassis_last5}
            payment = services.samsat_payment_make(
                outlet=outlet, cashier=cashier, idempotency_key=bill.idempotency_key, now=now, **identity
            )
            if index == 1 and slot == 0:
                services.samsat_payment_reverse(
                    payment=payment,
                    supervisor=supervisor,
                    reason="Pelanggan salah menyebut nomor plat",
                    now=now + timedelta(minutes=20),
                )
        expected = sum(
            p.total for p in Payment.objects.filter(outlet=outlet, business_day=day) if p.state == "confirmed"
        )
        shortage = 5_000 if index == 2 else 0  # one day the drawer came up short
        services.samsat_day_close(
            outlet=outlet,
            business_day=day,
            counted_cash=max(expected - shortage, 0),
            actor=supervisor,
            now=timezone.make_aware(datetime.combine(day, time(15, 30))),
        )


def seed(users: dict) -> None:
    staff = users["Diskop UKM staff"]
    cashier = demo_user("kasir@opop.test", "Muhammad Faiz Abdillah", "+6281234500081")
    supervisor = demo_user("supervisor.samsat@opop.test", "Hj. Siti Maemunah", "+6281234500082")
    users["Samsat cashier"] = cashier
    users["Samsat supervisor"] = supervisor
    outlets = [_outlet(staff, spec) for spec in OUTLETS]
    darul_ulum, sidogiri = outlets[0], outlets[1]
    _ensure_member(cashier, darul_ulum.organisation, Membership.Role.CASHIER)
    _ensure_member(supervisor, darul_ulum.organisation, Membership.Role.SUPERVISOR)
    _ensure_member(cashier, sidogiri.organisation, Membership.Role.CASHIER)
    _ensure_member(supervisor, sidogiri.organisation, Membership.Role.SUPERVISOR)
    _past_days(darul_ulum, cashier, supervisor, DEMO_PLATES[:14])
    _past_days(sidogiri, cashier, supervisor, DEMO_PLATES[14:])
