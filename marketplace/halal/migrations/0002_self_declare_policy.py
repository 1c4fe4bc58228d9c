"""The self-declare criteria in force since PP 39/2021: policy data, edited in the admin when the rules change."""

from datetime import date

from django.db import migrations

POLICIES = [
    {
        "effective_from": date(2021, 2, 2),
        "max_annual_turnover": 500_000_000,
        "max_production_sites": 1,
        "goods_only": True,
        "non_risky_materials_only": True,
        "legal_basis": "PP 39/2021; Keputusan Kepala BPJPH tentang pernyataan pelaku usaha mikro dan kecil",
    },
]


def load(apps, schema_editor):
    Policy = apps.get_model("halal", "SelfDeclarePolicy")
    for row in POLICIES:
        Policy.objects.update_or_create(effective_from=row["effective_from"], defaults=row)


def unload(apps, schema_editor):
    apps.get_model("halal", "SelfDeclarePolicy").objects.filter(
        effective_from__in=[row["effective_from"] for row in POLICIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("halal", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
