"""The policy tables as they stand: PKB rates, opsen PKB, late-fee rules, SWDKLLJ, outlet fee.

Figures follow Perda Jatim 9/2010 (until 4 January 2025), UU 1/2022 (HKPD) with Perda Jatim 9/2023
(from 5 January 2025) and PMK 16/2017 for SWDKLLJ. Staff change them in the admin site by adding
rows with new dates, never by editing old ones.
"""

from datetime import date

from django.db import migrations

HKPD = date(2025, 1, 5)

PKB_RATES = [
    # (effective_from, effective_until, ownership order, rate in basis points, legal basis)
    (date(2011, 1, 1), date(2025, 1, 4), 1, 150, "Perda Jatim 9/2010"),
    (date(2011, 1, 1), date(2025, 1, 4), 2, 200, "Perda Jatim 9/2010"),
    (date(2011, 1, 1), date(2025, 1, 4), 3, 250, "Perda Jatim 9/2010"),
    (date(2011, 1, 1), date(2025, 1, 4), 4, 300, "Perda Jatim 9/2010"),
    (date(2011, 1, 1), date(2025, 1, 4), 5, 350, "Perda Jatim 9/2010"),
    (HKPD, None, 1, 120, "Perda Jatim 9/2023"),
    (HKPD, None, 2, 170, "Perda Jatim 9/2023"),
    (HKPD, None, 3, 220, "Perda Jatim 9/2023"),
    (HKPD, None, 4, 270, "Perda Jatim 9/2023"),
    (HKPD, None, 5, 320, "Perda Jatim 9/2023"),
]


def load(apps, schema_editor):
    PkbRate = apps.get_model("samsat", "PkbRate")
    OpsenRate = apps.get_model("samsat", "OpsenRate")
    LateFeeRule = apps.get_model("samsat", "LateFeeRule")
    SwdklljTariff = apps.get_model("samsat", "SwdklljTariff")
    OutletFeeRule = apps.get_model("samsat", "OutletFeeRule")
    for start, until, order, rate, basis in PKB_RATES:
        for vehicle_type in ("motorbike", "car"):
            PkbRate.objects.create(
                effective_from=start,
                effective_until=until,
                vehicle_type=vehicle_type,
                ownership_order=order,
                rate_bp=rate,
                legal_basis=basis,
            )
    OpsenRate.objects.create(effective_from=date(2011, 1, 1), effective_until=date(2025, 1, 4), rate_bp=0)
    OpsenRate.objects.create(effective_from=HKPD, rate_bp=6600, legal_basis="UU 1/2022 Pasal 83")
    LateFeeRule.objects.create(
        effective_from=date(2011, 1, 1),
        effective_until=date(2025, 1, 4),
        rate_bp_per_month=200,
        max_months=15,
        name="Sanksi administratif 2% per bulan",
        legal_basis="UU 28/2009",
    )
    LateFeeRule.objects.create(
        effective_from=HKPD,
        rate_bp_per_month=100,
        max_months=24,
        name="Sanksi administratif 1% per bulan",
        legal_basis="UU 1/2022",
    )
    LateFeeRule.objects.create(
        effective_from=date(2025, 7, 14),
        effective_until=date(2025, 8, 31),
        rate_bp_per_month=0,
        max_months=0,
        name="Program pembebasan denda PKB (HUT Jatim)",
        legal_basis="Pergub Jatim (relief programme)",
    )
    for vehicle_type, amount, late_fee in (("motorbike", 35_000, 32_000), ("car", 143_000, 100_000)):
        SwdklljTariff.objects.create(
            effective_from=date(2017, 3, 24),
            vehicle_type=vehicle_type,
            amount=amount,
            late_fee=late_fee,
            legal_basis="PMK 16/PMK.010/2017",
        )
    OutletFeeRule.objects.create(effective_from=date(2025, 1, 1), fee_per_payment=3_500, legal_basis="PKS Bank Jatim")


class Migration(migrations.Migration):
    dependencies = [("samsat", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
