"""The programme's yearly targets of new flagship products (domain.md); later years are added by staff."""

from django.db import migrations

TARGETS = {2019: 150, 2020: 200, 2021: 200, 2022: 200, 2023: 250}


def load(apps, schema_editor):
    Target = apps.get_model("halal", "FlagshipTarget")
    for year, target in TARGETS.items():
        Target.objects.update_or_create(year=year, defaults={"target": target})


def unload(apps, schema_editor):
    apps.get_model("halal", "FlagshipTarget").objects.filter(year__in=TARGETS).delete()


class Migration(migrations.Migration):
    dependencies = [("halal", "0003_legality_and_flagship_targets")]

    operations = [migrations.RunPython(load, unload)]
