"""Load East Java's 38 kabupaten/kota (Kemendagri codes) from the reference CSV shipped in opop/data."""

from django.db import migrations

from opop.regions import load_kabupaten_kota


def load(apps, schema_editor):
    load_kabupaten_kota(apps.get_model("opop", "KabupatenKota"))


class Migration(migrations.Migration):
    dependencies = [("opop", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
