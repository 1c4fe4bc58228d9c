"""Kecamatan and desa/kelurahan of East Java with their postal codes, for checking addresses.

Read once per process from `data/jatim_wilayah.csv` (Kemendagri codes; provenance in
`data/README.md`). Names compare case- and space-insensitively.
"""

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "jatim_wilayah.csv"


def _key(name: str) -> str:
    return " ".join((name or "").lower().split())


@dataclass
class Kecamatan:
    name: str
    postal_codes: set[str] = field(default_factory=set)
    desa: dict[str, str] = field(default_factory=dict)  # key -> postal code ("" when unknown)


@lru_cache(maxsize=1)
def _kecamatan_by_region() -> dict[str, dict[str, Kecamatan]]:
    regions: dict[str, dict[str, Kecamatan]] = {}
    by_code: dict[str, Kecamatan] = {}
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["tingkat"] == "kecamatan":
                kecamatan = Kecamatan(name=row["nama"])
                by_code[row["kode"]] = kecamatan
                regions.setdefault(row["kode_induk"], {})[_key(row["nama"])] = kecamatan
            elif row["tingkat"] in ("desa", "kelurahan") and row["kode_induk"] in by_code:
                kecamatan = by_code[row["kode_induk"]]
                kecamatan.desa[_key(row["nama"])] = row["kodepos"]
                if row["kodepos"]:
                    kecamatan.postal_codes.add(row["kodepos"])
    return regions


def kecamatan_get(region_code: str, name: str) -> Kecamatan | None:
    return _kecamatan_by_region().get(region_code, {}).get(_key(name))
