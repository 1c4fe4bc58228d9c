"""Indonesia's regions by Kemendagri code: the 38 provinces and their kabupaten/kota, East Java down to desa."""

import django.db.models.deletion
from django.db import migrations, models

from opop.wilayah import wilayah_load


def load(apps, schema_editor):
    wilayah_load(apps.get_model("opop", "Wilayah"))


class Migration(migrations.Migration):
    dependencies = [("opop", "0007_personal_data")]

    operations = [
        migrations.CreateModel(
            name="Wilayah",
            fields=[
                ("kode", models.CharField(max_length=13, primary_key=True, serialize=False, verbose_name="code")),
                ("nama", models.CharField(max_length=100, verbose_name="name")),
                (
                    "tingkat",
                    models.CharField(
                        choices=[
                            ("provinsi", "Province"),
                            ("kabupaten_kota", "Regency/city"),
                            ("kecamatan", "District (kecamatan)"),
                            ("desa", "Village (desa)"),
                            ("kelurahan", "Urban village (kelurahan)"),
                        ],
                        max_length=16,
                        verbose_name="level",
                    ),
                ),
                ("kodepos", models.CharField(blank=True, max_length=5, verbose_name="postal code")),
                (
                    "induk",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="anak",
                        to="opop.wilayah",
                        verbose_name="part of",
                    ),
                ),
            ],
            options={
                "verbose_name": "region (wilayah)",
                "verbose_name_plural": "regions (wilayah)",
                "ordering": ["kode"],
                "indexes": [models.Index(fields=["induk", "nama"], name="wilayah_induk_nama")],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
