"""Indonesia's regions by Kemendagri code (the `Wilayah` table) and the CSVs they load from.

- `opop/data/idn_provinces.csv`, `opop/data/idn_regencies.csv`: the 38 provinces and their 514 kabupaten/kota
  (npm package idn-area-data, copied unchanged; names are written there in capitals).
- `opop/data/jatim_wilayah.csv`: East Java down to every desa/kelurahan with its postal code.

Provenance in `opop/data/README.md`. The data migration calls `wilayah_load`; everything else reads the table
through the functions below. Names compare case- and space-insensitively.
"""

import csv
from pathlib import Path

from django.db.models import QuerySet

DATA = Path(__file__).resolve().parent / "data"
JATIM_CSV = DATA / "jatim_wilayah.csv"
PROVINCES_CSV = DATA / "idn_provinces.csv"
REGENCIES_CSV = DATA / "idn_regencies.csv"
JAWA_TIMUR = "35"
# Changes whenever the CSVs do: the JSON endpoint's ETag.
DATA_VERSION = "kepmendagri-2025.idn-area-data-3.1.2"

PROVINSI, KABUPATEN_KOTA, KECAMATAN, DESA, KELURAHAN = "provinsi", "kabupaten_kota", "kecamatan", "desa", "kelurahan"
VILLAGE_LEVELS = (DESA, KELURAHAN)
_KEEP_CAPITALS = {"DKI"}


def name_key(name: str) -> str:
    return " ".join((name or "").lower().split())


def _written(name: str) -> str:
    """`KABUPATEN ACEH BARAT DAYA` → `Kabupaten Aceh Barat Daya`, `DKI JAKARTA` → `DKI Jakarta` (as Kemendagri
    writes them in its decrees)."""
    return " ".join(word if word in _KEEP_CAPITALS else word.capitalize() for word in name.split())


def source_rows() -> list[dict]:
    """Every region the CSVs hold, parents before children: {kode, nama, tingkat, kode_induk, kodepos}."""
    rows: list[dict] = []
    with PROVINCES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "kode": row["code"],
                    "nama": _written(row["name"]),
                    "tingkat": PROVINSI,
                    "kode_induk": "",
                    "kodepos": "",
                }
            )
    with REGENCIES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["province_code"] == JAWA_TIMUR:
                continue  # East Java's come from its own file, with the same codes
            rows.append(
                {
                    "kode": row["code"],
                    "nama": _written(row["name"]),
                    "tingkat": KABUPATEN_KOTA,
                    "kode_induk": row["province_code"],
                    "kodepos": "",
                }
            )
    order = {KABUPATEN_KOTA: 0, KECAMATAN: 1, DESA: 2, KELURAHAN: 2}
    with JATIM_CSV.open(encoding="utf-8") as handle:
        jatim = sorted(csv.DictReader(handle), key=lambda row: (order[row["tingkat"]], row["kode"]))
    rows.extend(jatim)
    return rows


def wilayah_load(model) -> int:
    """Create or refresh every region in `model` (the real or the historical `opop.Wilayah`); returns the count.
    Idempotent: only missing or changed rows are written."""
    rows = source_rows()
    existing = {w.kode: w for w in model.objects.all()}
    create, update = [], []
    for row in rows:
        values = {
            "nama": row["nama"],
            "tingkat": row["tingkat"],
            "induk_id": row["kode_induk"] or None,
            "kodepos": row["kodepos"] or "",
        }
        current = existing.get(row["kode"])
        if current is None:
            create.append(model(kode=row["kode"], **values))
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            update.append(current)
    model.objects.bulk_create(create, batch_size=1000)
    if update:
        model.objects.bulk_update(update, ["nama", "tingkat", "induk_id", "kodepos"], batch_size=1000)
    return len(rows)


# --- reads ---------------------------------------------------------------------------------------------------


def _model():
    from opop.models import Wilayah

    return Wilayah


def children(kode: str | None) -> QuerySet:
    """The regions directly under `kode` in name order; the provinces for None."""
    Wilayah = _model()
    if not kode:
        return Wilayah.objects.filter(tingkat=PROVINSI).order_by("nama")
    return Wilayah.objects.filter(induk_id=kode).order_by("nama", "kode")


def get(kode: str | None):
    if not kode:
        return None
    return _model().objects.filter(kode=kode).first()


def child_named(parent_code: str, name: str):
    """The region under `parent_code` written `name` (any case and spacing), or None."""
    key = name_key(name)
    if not key:
        return None
    for region in children(parent_code):
        if name_key(region.nama) == key:
            return region
    return None


def has_villages(province_code: str | None) -> bool:
    """Kecamatan and desa are known (and chosen from a list) only in East Java."""
    return province_code == JAWA_TIMUR


def province_of(kode: str) -> str:
    return (kode or "").split(".")[0]


class NameMatcher:
    """Finds the Kemendagri codes of free-text kecamatan/desa names, for the migrations that add the code
    columns to rows typed before the address widget. Works on the real or the historical `Wilayah`."""

    _PREFIXES = {
        "kab.": "kabupaten",
        "kab": "kabupaten",
        "kec.": "",
        "kec": "",
        "desa": "",
        "kel.": "",
        "kelurahan": "",
    }

    def __init__(self, model):
        self.by_parent: dict[str, dict[str, object]] = {}
        for region in model.objects.only("kode", "nama", "induk_id", "kodepos"):
            self.by_parent.setdefault(region.induk_id, {})[name_key(region.nama)] = region

    def _key(self, name: str) -> str:
        words = name_key(name).split()
        if words and words[0] in self._PREFIXES:
            replacement = self._PREFIXES[words[0]]
            words = ([replacement] if replacement else []) + words[1:]
        return " ".join(words)

    def child(self, parent_code: str, name: str):
        return self.by_parent.get(parent_code, {}).get(self._key(name)) if parent_code and name else None

    def kabupaten(self, province_name: str, name: str):
        """A kabupaten/kota outside East Java from its province's and its own name (`Kota Bandung`)."""
        for province in self.by_parent.get(None, {}).values():
            if self._key(province.nama) == self._key(province_name):
                return self.child(province.kode, name)
        return None

    def from_text(self, kabupaten_code: str, text: str):
        """(kecamatan, desa) named among the comma-separated parts of an address line; either may be None."""
        parts = [part for part in (text or "").split(",") if part.strip()]
        kecamatan = next((k for part in reversed(parts) if (k := self.child(kabupaten_code, part))), None)
        if kecamatan is None:
            return None, None
        desa = next((d for part in parts if (d := self.child(kecamatan.kode, part))), None)
        return kecamatan, desa


def address_codes(*, kabupaten_code: str, kecamatan: str, desa: str) -> dict:
    """Codes, names and postal code of a kecamatan and desa of East Java named in words (demo data, imports):
    {kecamatan, kecamatan_code, desa, desa_code, postal_code}. LookupError when a name is not found."""
    found_kecamatan = child_named(kabupaten_code, kecamatan)
    if found_kecamatan is None:
        raise LookupError(f"no kecamatan {kecamatan!r} in {kabupaten_code}")
    found_desa = child_named(found_kecamatan.kode, desa)
    if found_desa is None:
        raise LookupError(f"no desa {desa!r} in {found_kecamatan.kode}")
    return {
        "kecamatan": found_kecamatan.nama,
        "kecamatan_code": found_kecamatan.kode,
        "desa": found_desa.nama,
        "desa_code": found_desa.kode,
        "postal_code": found_desa.kodepos,
    }
