"""Time the programme rollup on generated province-scale data: a full rebuild and an incremental run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opop_bench .venv/bin/python bench/rollup.py \
        [--pesantren 1000] [--months 60] [--dirty 100]

It writes its generated pesantren, reports, orders and rollup rows inside one transaction and rolls
everything back at the end, so it can run against any database (including the dev one) and leaves
nothing behind. Numbers go to stdout; they are never asserted in tests.
"""

import argparse
import os
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opop.settings.dev")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from marketplace.models import Order, Store  # noqa: E402
from opop.models import DirtyFigureKey, KabupatenKota, Organisation, User  # noqa: E402
from pesantren.models import MonthlyReport, Pesantren, StatusChange  # noqa: E402
from reports.models import FigureRollup  # noqa: E402
from reports.services import rollup_drain, rollup_full  # noqa: E402


class Rollback(Exception):
    pass


def _months(count: int) -> list[date]:
    today = date.today().replace(day=1)
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def generate(pesantren_count: int, month_count: int) -> None:
    regions = list(KabupatenKota.objects.values_list("kode", flat=True))
    tag = uuid.uuid4().hex[:6]
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.PESANTREN,
                name=f"PP Bench {tag} {n}",
                slug=f"pp-bench-{tag}-{n}",
                kabupaten_kota_id=regions[n % len(regions)],
            )
            for n in range(pesantren_count)
        ]
    )
    pesantren = Pesantren.objects.bulk_create(
        [
            Pesantren(
                organisation=organisation,
                name=organisation.name,
                nspp=f"97{n:010d}",
                street="Jl. Pondok 1",
                desa="Desa",
                kecamatan="Kecamatan",
                kabupaten_kota_id=organisation.kabupaten_kota_id,
                postal_code="61481",
                pengasuh="KH. Bench",
                santri_count=500,
                phone="+6281234567890",
                email=f"bench{n}@pesantren.test",
                flagship_product="Kopi",
                cohort=2019 + n % 6,
                status=Pesantren.Status.ACTIVE,
                card_number=f"OPOP-BENCH-{tag}-{n}",
            )
            for n, organisation in enumerate(organisations)
        ]
    )
    StatusChange.objects.bulk_create(
        [StatusChange(pesantren=p, from_status="submitted", to_status="verified") for p in pesantren]
    )
    months = _months(month_count)
    reports = [
        MonthlyReport(
            pesantren=p,
            month=month,
            status=MonthlyReport.Status.VERIFIED,
            omzet=50_000_000 + (n * 7919 + i * 104_729) % 150_000_000,
            aset=500_000_000 + n * 1000,
            workers_total=10 + n % 20,
            jobs_created=n % 3,
            operating_contribution=10_000_000 + n % 5 * 1_000_000,
            operating_costs=40_000_000,
        )
        for n, p in enumerate(pesantren)
        for i, month in enumerate(months)
    ]
    MonthlyReport.objects.bulk_create(reports, batch_size=5000)
    buyer = User.objects.create_user(email=f"bench-{tag}@opop.test", password=None, full_name="Bench")
    stores = Store.objects.bulk_create(
        [
            Store(organisation=o, name=f"Toko {o.name}", slug=f"toko-{o.slug}", bank_name="Bank Jatim Syariah")
            for o in organisations[: pesantren_count // 2]
        ]
    )
    orders = [
        Order(
            number=f"B{tag}{s.pk}-{i}",
            checkout_group=uuid.uuid4(),
            buyer=buyer,
            store=s,
            status=Order.Status.COMPLETED,
            payment_method=Order.PaymentMethod.BANK_TRANSFER,
            delivery=Order.Delivery.PICKUP,
            subtotal=75_000,
            shipping_cost=0,
            total=75_000,
            paid_at=datetime(month.year, month.month, 10, 3, tzinfo=UTC),
        )
        for s in stores
        for i, month in enumerate(months[-12:])
    ]
    Order.objects.bulk_create(orders, batch_size=5000)
    print(f"generated: {len(pesantren)} pesantren, {len(reports)} reports, {len(orders)} orders")


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"{label:<28} {elapsed:8.2f} s   {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pesantren", type=int, default=1000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--dirty", type=int, default=100, help="dirty (month, region) keys for the incremental run")
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            timed("generate", lambda: generate(args.pesantren, args.months))
            timed("full rebuild", rollup_full)
            print(f"rollup rows: {FigureRollup.objects.count()}")
            regions = list(KabupatenKota.objects.values_list("kode", flat=True))
            keys = [(month, region) for month in _months(args.months) for region in regions][-args.dirty :]
            DirtyFigureKey.objects.bulk_create(
                [DirtyFigureKey(month=m, kabupaten_kota_id=k) for m, k in keys], ignore_conflicts=True
            )
            timed(f"incremental ({len(keys)} keys)", rollup_drain)
            timed("incremental (nothing dirty)", rollup_drain)
            raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")


if __name__ == "__main__":
    main()
