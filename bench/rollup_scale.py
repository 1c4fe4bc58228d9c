"""Time the programme rollup on the seeded province-scale data (`manage.py seed_scale`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opop_scale .venv/bin/python bench/rollup_scale.py \
        --label full [--lines 10000] [--seed-json seed.json] [--no-full]

1. Full rebuild (`reports.services.rollup_full`), committed: the rollup tables stay filled.
2. Incremental, inside one transaction that is rolled back at the end: insert `--lines` new order
   lines in paid orders of this month, mark their (month, kabupaten/kota) keys dirty as
   `order_place` does, time `rollup_drain()`; then compare the stored rollup with a fresh full
   computation (`rollup_differences()`: incremental == full must hold, so it must be empty).

Results are merged into bench/results/rollup.json under `--label` (one entry per data-set size)
and bench/results/rollup.md is rewritten from them. Nothing is asserted: a smoke test runs it small.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opop.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.scale.base import model_defaults_in_database  # noqa: E402
from opop.figures import figures_mark_dirty  # noqa: E402
from reports.models import FigureRollup, PesantrenMonthRollup  # noqa: E402
from reports.services import rollup_differences, rollup_drain, rollup_full  # noqa: E402

RESULTS = ROOT / "bench" / "results"


class Rollback(Exception):
    pass


def _scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def insert_paid_lines(lines: int, *, seed: int = 1) -> tuple[int, int]:
    """Paid orders of 2-3 lines (10,000 lines: 4,000 orders) in random stores, paid now; returns (lines, regions)."""
    now = timezone.now()
    orders = max(1, round(lines / 2.5))
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM marketplace_order")
        base = cursor.fetchone()[0] or 0
        cursor.execute(
            "CREATE TEMP TABLE bench_store ON COMMIT DROP AS"
            " SELECT row_number() OVER (ORDER BY store_id) AS rn, store_id AS id, count(*) AS n_products,"
            " min(id) AS first"
            " FROM marketplace_product GROUP BY store_id"
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_line ON COMMIT DROP AS
            SELECT o.n AS order_no, p.id AS product_id, p.name, p.price, p.store_id, 1 + mod(o.n * 7 + k, 3) AS quantity
            FROM generate_series(1, %(orders)s) o(n)
            JOIN bench_store st ON st.rn = 1 + mod(hashint8extended(o.n, %(seed)s) & 1048575, (SELECT count(*)
                FROM bench_store))
            CROSS JOIN LATERAL generate_series(1, least(st.n_products, CASE WHEN mod(o.n, 2) = 0 THEN 2 ELSE 3 END)) k
            JOIN marketplace_product p ON p.id = st.first + k - 1 AND p.store_id = st.id
            """,
            {"orders": orders, "seed": seed},
        )
        cursor.execute("SELECT count(*) FROM bench_line")
        made = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO marketplace_order (created_at, updated_at, number, checkout_group, status,
                payment_method, delivery,
                recipient_name, recipient_phone, shipping_address, subtotal, shipping_cost, total, courier,
                    tracking_number,
                cancel_reason, expires_at, paid_at, completed_at, stock_released, buyer_id, destination_id, store_id,
                buyer_organisation_id, is_pesantren_trade)
            SELECT %(now)s, %(now)s, 'OPM-BENCH-' || (%(base)s + l.order_no), md5('bench' || l.order_no)::uuid, 'paid',
                   'gateway', 'pickup', '', '', '', sum(l.price * l.quantity), 0, sum(l.price * l.quantity), '', '', '',
                   %(now)s, %(now)s, NULL, false, (SELECT min(id) FROM opop_user), NULL, min(l.store_id), NULL, false
            FROM bench_line l GROUP BY l.order_no
            """,
            {"now": now, "base": base},
        )
        cursor.execute(
            """
            INSERT INTO marketplace_orderitem (product_name, variant_name, unit_price, quantity, line_total, order_id,
                product_id, variant_id)
            SELECT l.name, '', l.price, l.quantity, l.price * l.quantity, o.id, l.product_id, NULL
            FROM bench_line l JOIN marketplace_order o ON o.number = 'OPM-BENCH-' || (%(base)s + l.order_no)
            """,
            {"base": base},
        )
        cursor.execute(
            """
            SELECT DISTINCT org.kabupaten_kota_id FROM marketplace_order o
            JOIN marketplace_store s ON s.id = o.store_id JOIN opop_organisation org ON org.id = s.organisation_id
            WHERE o.number LIKE 'OPM-BENCH-%%'
            """
        )
        regions = [row[0] for row in cursor.fetchall()]
    for region in regions:
        figures_mark_dirty(when=now, kabupaten_kota_id=region)
    return made, len(regions)


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, round(time.perf_counter() - started, 3)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="scale", help="The data-set size these figures belong to (e.g. full, half).")
    parser.add_argument("--lines", type=int, default=10_000, help="New order lines for the incremental run.")
    parser.add_argument("--seed-json", help="The seed_scale --json output to keep beside the figures.")
    parser.add_argument("--no-full", action="store_true", help="Skip the timed full rebuild (rollup already filled).")
    parser.add_argument("--no-write", action="store_true", help="Print only; do not touch bench/results.")
    parser.add_argument("--note", default="", help="A remark kept with these figures (how the data set was made).")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("bench/rollup_scale.py needs the PostgreSQL scale database (DATABASE_URL, then manage.py seed_scale).")
    result = {
        "label": args.label,
        "note": args.note,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
        },
        "existing": {
            "orders": _scalar("SELECT count(*) FROM marketplace_order"),
            "order_lines": _scalar("SELECT count(*) FROM marketplace_orderitem"),
            "monthly_reports": _scalar("SELECT count(*) FROM pesantren_monthlyreport"),
            "santri": _scalar("SELECT count(*) FROM santri_santri"),
        },
    }
    if not args.no_full:
        full, seconds = timed(rollup_full)
        result["full_rebuild"] = {
            "seconds": seconds,
            "keys": full.keys,
            "figure_rows": full.rows,
            "pesantren_rows": PesantrenMonthRollup.objects.count(),
        }
        print(f"full rebuild: {seconds:.2f} s, {full.keys} keys, {full.rows} figure rows")
    try:
        with transaction.atomic():
            with connection.cursor() as cursor, model_defaults_in_database(cursor):  # columns added since
                (made, regions), insert_seconds = timed(lambda: insert_paid_lines(args.lines))
            keys, seconds = timed(rollup_drain)
            _empty, idle_seconds = timed(rollup_drain)
            differences, check_seconds = timed(rollup_differences)
            result["incremental"] = {
                "new_order_lines": made,
                "dirty_keys": keys,
                "regions": regions,
                "seconds": seconds,
                "seconds_when_nothing_is_dirty": idle_seconds,
                "insert_seconds": insert_seconds,
                "differences_from_full": len(differences),
                "check_seconds": check_seconds,
            }
            print(
                f"incremental: {made} new lines, {keys} keys in {seconds:.3f} s;"
                f" differences from full: {len(differences)}"
            )
            raise Rollback
    except Rollback:
        pass
    result["figure_rollup_rows"] = FigureRollup.objects.count()
    if args.seed_json:
        result["seeding"] = json.loads(Path(args.seed_json).read_text())
    if not args.no_write:
        write(result)
    return result


def write(result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "rollup.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    if "runs" not in data:
        data = {"runs": {}}
    data["runs"][result["label"]] = result
    path.write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "rollup.md").write_text(table(data["runs"], data.get("changes", [])))


def table(runs: dict, changes: list[str] = ()) -> str:
    lines = [
        "# Rollup on the seeded scale data (bench/rollup_scale.py)",
        "",
        "| data set | order lines | full rebuild | incremental (new lines, keys) | incremental, nothing dirty"
        " | incremental == full |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, run in runs.items():
        full = run.get("full_rebuild", {})
        inc = run.get("incremental", {})
        lines.append(
            f"| {label} | {run['existing']['order_lines']:,} | {full.get('seconds', '-')} s | "
            f"{inc.get('seconds', '-')} s ({inc.get('new_order_lines', 0):,} lines, {inc.get('dirty_keys', 0)} keys) | "
            f"{inc.get('seconds_when_nothing_is_dirty', '-')} s | "
            f"{'yes' if inc.get('differences_from_full') == 0 else 'NO'} |"
        )
    lines += ["", "Seconds of wall time on the machine named in rollup.json (cpus, load average at the start).", ""]
    lines += [f"- {label}: {run['note']}" for label, run in runs.items() if run.get("note")]
    lines.append("")
    if changes:
        lines += ["## Before and after", "", *[f"- {change}" for change in changes], ""]
    seeding = [(label, run["seeding"]) for label, run in runs.items() if "seeding" in run]
    for label, seed in seeding:
        lines += [
            f"## seed_scale, {label} (seed {seed['seed']}, until {seed['anchor_day']}): {seed['total_seconds']} s",
            "",
            "| step | seconds |",
            "|---|---:|",
        ]
        lines += [f"| {step} | {seconds} |" for step, seconds in seed["seconds"].items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
