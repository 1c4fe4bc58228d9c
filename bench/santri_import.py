"""Time a 10,000-row santri import (preview, then confirm) and a re-import of the same file.

    .venv/bin/python -m bench.santri_import [--rows 10000]

Without DATABASE_URL it runs on a fresh SQLite file in a temporary folder (the embedded default the
issue's "under a minute" is about) and deletes it afterwards. With DATABASE_URL it uses that
database and rolls its rows back. Numbers go to stdout; they are never asserted in tests.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opop.settings.dev")
_tmp = None
if not os.environ.get("DATABASE_URL"):
    _tmp = tempfile.TemporaryDirectory(prefix="opop-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from opop.models import KabupatenKota, Organisation, User  # noqa: E402
from opop.services import membership_add  # noqa: E402
from pesantren.models import Pesantren  # noqa: E402
from santri import services  # noqa: E402
from santri.models import Santri  # noqa: E402
from santri.validation import HEADER_ID  # noqa: E402

FIRST = ["Ahmad", "Muhammad", "Siti", "Nur", "Abdul", "Fatimah", "Rizki", "Aisyah", "Ilham", "Zahra"]
LAST = ["Fauzi", "Hidayat", "Rahmawati", "Maulana", "Hakim", "Aminah", "Syafi'i", "Khoiriyah", "Arifin"]


class Rollback(Exception):
    pass


def make_csv(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = [",".join(HEADER_ID)]
    for n in range(rows):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        nik = f"3517{rng.randrange(10**11, 10**12):012d}" if n % 3 else ""
        year = rng.randrange(2016, 2026)
        birth = f"{year - rng.randrange(12, 16)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        status = "lulus" if n % 10 == 0 else "aktif"
        lines.append(f"{100000 + n},{name},{nik},{'LP'[n % 2]},{birth},{year},{status},Menjahit,Kuliner")
    return ("\n".join(lines) + "\n").encode()


def run(rows: int) -> None:
    content = make_csv(rows)
    region = KabupatenKota.objects.get(kode="35.17")
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.PESANTREN, name="PP Bench", slug=f"pp-bench-{time.time_ns()}", kabupaten_kota=region
    )
    admin = User.objects.create_user(email=f"bench{time.time_ns()}@opop.test", password=None)
    membership_add(organisation=organisation, user=admin, role="owner")
    pesantren = Pesantren.objects.create(
        organisation=organisation,
        name="PP Bench",
        nspp=f"{time.time_ns() % 10**12:012d}",
        street="Jl. Bench",
        desa="Keplaksari",
        kecamatan="Peterongan",
        kabupaten_kota=region,
        postal_code="61481",
        pengasuh="KH. Bench",
        santri_count=rows,
        phone="+6281234567890",
        email="bench@pesantren.test",
        flagship_product="Kopi",
        status=Pesantren.Status.VERIFIED,
        cohort=2021,
    )
    print(f"santri import benchmark: {rows} rows, {len(content) / 1024:.0f} KiB CSV, {os.environ['DATABASE_URL']}")
    for label in ("first import", "re-import, no change", "re-import, every name changed"):
        if label.endswith("changed"):
            content = content.replace(b",Menjahit,", b",Menjahit dan membatik,")
        started = time.perf_counter()
        batch = services.import_preview(user=admin, pesantren=pesantren, filename="bench.csv", content=content)
        preview = time.perf_counter() - started
        started = time.perf_counter()
        created, updated = services.import_confirm(user=admin, batch=batch)
        confirm = time.perf_counter() - started
        print(
            f"  {label:<30} preview {preview:6.2f} s  confirm {confirm:6.2f} s  total {preview + confirm:6.2f} s"
            f"  (new {created}, updated {updated}, rejected {len(batch.errors)})"
        )
    print(f"  santri in the pesantren: {Santri.objects.filter(pesantren=pesantren).count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if _tmp is not None:
        call_command("migrate", verbosity=0)
        run(args.rows)
        _tmp.cleanup()
        return
    try:
        with transaction.atomic():
            run(args.rows)
            raise Rollback
    except Rollback:
        print("  (rolled back)")


if __name__ == "__main__":
    main()
