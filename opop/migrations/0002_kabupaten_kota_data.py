"""Load East Java's 38 kabupaten/kota (Kemendagri codes) from the reference CSV shipped in opop/data."""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "jatim_kabupaten_kota.csv"


def load(apps, schema_editor):
    KabupatenKota = apps.get_model("opop", "KabupatenKota")
    with CSV_PATH.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            KabupatenKota.objects.update_or_create(
                kode=row["kode"],
                defaults={
                    "nama": row["nama"],
                    "jenis": row["jenis"],
                    "nama_singkat": row["nama_singkat"],
                    "jumlah_kecamatan": int(row["jumlah_kecamatan"]),
                    "jumlah_desa": int(row["jumlah_desa"]),
                    "jumlah_kelurahan": int(row["jumlah_kelurahan"]),
                    "kodepos_min": row["kodepos_min"],
                    "kodepos_max": row["kodepos_max"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("opop", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
