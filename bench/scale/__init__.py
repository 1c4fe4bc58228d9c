"""Province-scale data for benchmarks (issue #10): `python manage.py seed_scale`.

`seed_scale(...)` fills an empty PostgreSQL database (or one it wipes with `reset=True`) with a
deterministic, realistic data set: the same seed, sizes and anchor day give the same rows with the
same ids. Small tables are written from Python with COPY, big ones with INSERT ... SELECT over
generate_series and the seeded hash functions of `bench.scale.base`; constraints and triggers stay
on, nothing Django owns is dropped. Each step commits on its own, so a run never holds one giant
transaction, and its wall time is recorded.
"""

import time
from collections.abc import Callable
from datetime import date

from django.db import connection, transaction

from bench.scale import kernel, mart, orders, people, pesantren, samsat
from bench.scale.base import Context, Sizes, install_sql_helpers, model_defaults_in_database, reset_sequences

__all__ = ["ScaleError", "Sizes", "seed_scale"]

# TRUNCATE ... CASCADE from these reaches every table the generator writes (and whatever hangs off
# users and organisations); reference data (regions, Samsat and halal policy tables) is kept.
RESET_ROOTS = [
    "opop_user",
    "opop_organisation",
    "marketplace_category",
    "opop_dirtyfigurekey",
    "reports_figurerollup",
    "reports_pesantrenmonthrollup",
    "reports_rolluprun",
]
EXPLICIT_ID_TABLES = [
    "opop_user",
    "opop_organisation",
    "pesantren_pesantren",
    "pesantren_monthlyreport",
    "santri_santri",
    "alumni_alumnus",
    "alumni_alumnibusiness",
    "marketplace_store",
    "marketplace_product",
    "marketplace_order",
    "marketplace_orderitem",
    "halal_halalcase",
    "halal_certificate",
    "samsat_outlet",
    "samsat_bill",
    "samsat_payment",
]

STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("kernel", kernel.generate_kernel),
    ("pesantren", pesantren.generate_pesantren),
    ("shoppers", kernel.generate_shoppers),
    ("santri", people.generate_santri),
    ("reports", pesantren.generate_reports),
    ("businesses", people.generate_businesses),
    ("catalogue", mart.generate_catalogue),
    ("order plan", orders.generate_orders),
    ("orders and lines", orders.insert_orders_and_lines),
    ("samsat", samsat.generate_samsat),
]


class ScaleError(Exception):
    """The database cannot take a scale run (not PostgreSQL, or not empty)."""


def seed_scale(
    *,
    sizes: Sizes,
    seed: int = 2026,
    anchor_day: date,
    reset: bool = False,
    rollup: bool = True,
    workers: int = 2,
    log=print,
) -> dict:
    """Generate the data set; returns sizes, row counts and seconds per step.

    Needs PostgreSQL. Refuses a database that already has users unless `reset` is set, in which case
    it first empties the tables it fills (TRUNCATE ... RESTART IDENTITY CASCADE): use a database of
    its own for scale data. With `rollup` it ends with the full rollup rebuild, timed as "rollup full".
    """
    if connection.vendor != "postgresql":
        raise ScaleError(
            "seed_scale needs PostgreSQL (COPY, generate_series); set DATABASE_URL to a PostgreSQL database."
        )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        ctx = Context(cursor=cursor, seed=seed, sizes=sizes, anchor_day=anchor_day, log=log, workers=workers)
        if reset:
            with ctx.step("reset"), transaction.atomic():
                ctx.execute(f"TRUNCATE {', '.join(RESET_ROOTS)} RESTART IDENTITY CASCADE")
        elif ctx.scalar("SELECT EXISTS (SELECT 1 FROM opop_user)"):
            raise ScaleError(
                "The database already has users. Run with --reset to wipe it first (use a database of its own)."
            )
        ctx.execute("DROP TABLE IF EXISTS " + ", ".join(PLAN_TABLES))
        install_sql_helpers(ctx)
        kernel.plan(ctx)
        with model_defaults_in_database(ctx):
            for name, step in STEPS:
                with ctx.step(name), transaction.atomic():
                    step(ctx)
        with ctx.step("sequences and analyze"):
            with transaction.atomic():
                reset_sequences(ctx, EXPLICIT_ID_TABLES)
            ctx.execute("DROP TABLE IF EXISTS " + ", ".join(PLAN_TABLES))
            ctx.execute("ANALYZE")
        counts = _counts(ctx)
    if rollup:
        from reports.services import rollup_full

        with ctx.step("rollup full"):
            result = rollup_full()
            ctx.counts["rollup full"] = f"{result.keys} keys, {result.rows} rows"
    return {
        "seed": seed,
        "anchor_day": anchor_day.isoformat(),
        "sizes": sizes.as_dict(),
        "rows": counts,
        "seconds": ctx.timings,
        "total_seconds": round(time.perf_counter() - started, 2),
    }


# Plan tables (UNLOGGED, so the parallel connections see them), dropped before and after a run.
PLAN_TABLES = [
    "scale_pesantren",
    "scale_report",
    "scale_alumni",
    "scale_store",
    "scale_slot",
    "scale_order",
    "scale_line",
    "scale_outlet",
    "scale_bill",
]

COUNTED = [
    "opop_user",
    "opop_organisation",
    "pesantren_pesantren",
    "pesantren_statuschange",
    "pesantren_businessunit",
    "pesantren_monthlyreport",
    "pesantren_monthlyreportrevision",
    "santri_santri",
    "santri_santribusiness",
    "alumni_alumnibusiness",
    "alumni_alumnireport",
    "marketplace_store",
    "marketplace_product",
    "marketplace_stockmovement",
    "marketplace_order",
    "marketplace_orderitem",
    "halal_halalcase",
    "halal_certificate",
    "samsat_outlet",
    "samsat_payment",
]


def _counts(ctx: Context) -> dict:
    return {table: ctx.scalar(f"SELECT count(*) FROM {table}") for table in COUNTED}  # noqa: S608 - constant table names
