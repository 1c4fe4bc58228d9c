"""East Java's reference regions, loaded from the CSV shipped in opop/data (the migration and tests share this)."""

import csv
from pathlib import Path

KABUPATEN_KOTA_CSV = Path(__file__).resolve().parent / "data" / "jatim_kabupaten_kota.csv"


def load_kabupaten_kota(model) -> int:
    """Create or refresh the 38 kabupaten/kota rows in `model` (the real or the historical model)."""
    with KABUPATEN_KOTA_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        model.objects.update_or_create(
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
    return len(rows)
