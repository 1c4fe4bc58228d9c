"""Shared machinery of the scale generator: sizes, the run context, COPY and the SQL random helpers.

Randomness comes from two deterministic places: `ctx.rng` (Python's `random.Random(seed)`, for the
tables written with COPY) and the session functions `pg_temp.h/r/u/pick` (a hash of a row number
and a salt, keyed on the seed, for the tables written with INSERT ... SELECT generate_series).
Neither depends on the clock, the order rows come back in, or the process: the same seed and the
same anchor month give the same rows with the same primary keys.
"""

import hashlib
import logging
import random
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.db import models

logger = logging.getLogger(__name__)

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Sizes:
    """How many of each entity to generate. `FULL` is the province-scale target of issue #10."""

    pesantren: int = 5_000
    santri: int = 1_000_000
    alumni: int = 2_000  # alumni businesses (one alumnus each)
    santri_businesses: int = 1_000
    stores: int = 5_000
    products: int = 100_000
    shoppers: int = 200_000
    order_lines: int = 5_000_000
    samsat_payments: int = 150_000
    halal_cases: int = 30_000
    years: int = 5

    # The fewest that still exercise every branch (tiny test runs).
    MINIMUM = {
        "pesantren": 40,
        "santri": 200,
        "alumni": 10,
        "santri_businesses": 5,
        "stores": 20,
        "products": 100,
        "shoppers": 50,
        "order_lines": 500,
        "samsat_payments": 50,
        "halal_cases": 20,
        "years": 1,
    }

    @classmethod
    def for_fraction(cls, fraction: float, **overrides) -> "Sizes":
        full = cls()
        scaled = {
            f.name: getattr(full, f.name)
            if f.name == "years"
            else max(cls.MINIMUM[f.name], round(getattr(full, f.name) * fraction))
            for f in fields(cls)
        }
        scaled.update({k: v for k, v in overrides.items() if v is not None})
        sizes = replace(full, **scaled)
        # Stores belong to pesantren, santri businesses and alumni businesses: never more than those.
        most = sizes.pesantren // 2 + sizes.santri_businesses + sizes.alumni
        return replace(sizes, stores=min(sizes.stores, most), products=max(sizes.products, 3 * sizes.stores))

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Context:
    """One generator run: the database cursor, the seed, the sizes, what was made, and the timings."""

    cursor: object
    seed: int
    sizes: Sizes
    anchor_day: date  # history ends at midnight (WIB) starting this day
    rng: random.Random = field(init=False)
    timings: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)  # shared id ranges and lookup lists between the generators
    log: object = print
    workers: int = 2  # connections for the biggest tables (santri, orders and their lines)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    @property
    def start_month(self) -> date:
        return months_back(self.anchor, 12 * self.sizes.years - 1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.start_month, dtime.min, tzinfo=WIB)

    @property
    def end(self) -> datetime:
        """The end of history: midnight (WIB) at the start of the anchor day."""
        return datetime.combine(self.anchor_day, dtime.min, tzinfo=WIB)

    @property
    def anchor(self) -> date:
        """The first day of the anchor day's month: the current month of the data set."""
        return self.anchor_day.replace(day=1)

    def sub_rng(self, name: str) -> random.Random:
        """A generator of its own per table, so changing one table's size never shifts another's data."""
        return random.Random(f"{self.seed}:{name}")

    def execute(self, sql: str, params=None) -> int:
        self.cursor.execute(sql, params)
        return self.cursor.rowcount

    def scalar(self, sql: str, params=None):
        self.cursor.execute(sql, params)
        row = self.cursor.fetchone()
        return row[0] if row else None

    def copy(self, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> int:
        """COPY rows into `table` (psycopg 3's COPY FROM STDIN); returns how many were written."""
        columns = list(columns)
        n = 0
        raw = getattr(self.cursor, "cursor", self.cursor)
        with raw.copy(f"COPY {table} ({', '.join(f'"{c}"' for c in columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n

    def step(self, name: str):
        return _Step(self, name)


@contextmanager
def model_defaults_in_database(db):
    """While the generator runs, every NOT NULL column whose model field has a constant default (a blank
    CharField's '', a counter's 0, a flag's False) gets that default in the database too, so a COPY or an
    INSERT ... SELECT that does not name a column added later (an address code, a new flag) writes the model's
    default instead of failing on NULL; dropped again afterwards, so the schema stays what the migrations made.
    Callable defaults that differ per row (a token, a timestamp) are not set: the generator names those columns.
    `db` is the run's Context or a database cursor (anything with `execute(sql)`)."""
    from django.apps import apps
    from django.db import connection
    from psycopg import sql

    set_here = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        table = model._meta.db_table
        for model_field in model._meta.concrete_fields:
            if model_field.null or model_field.primary_key or model_field.db_default is not models.NOT_PROVIDED:
                continue
            default = model_field.get_default()  # a CharField without one: ''
            if default is None or (
                model_field.has_default() and callable(model_field.default) and not isinstance(default, list | dict)
            ):
                continue  # a token or a timestamp differs per row; a JSON list or dict does not
            value = model_field.get_db_prep_save(default, connection)
            set_here.append((table, model_field.column))
            db.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                    sql.Identifier(table), sql.Identifier(model_field.column), sql.Literal(value)
                )
            )
    try:
        yield
    finally:
        if connection.in_atomic_block:
            db.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE while deferred FK checks are pending
        for table, column in set_here:
            db.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT").format(
                    sql.Identifier(table), sql.Identifier(column)
                )
            )


class _Step:
    def __init__(self, ctx: Context, name: str):
        self.ctx, self.name = ctx, name

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            elapsed = round(time.perf_counter() - self.started, 2)
            self.ctx.timings[self.name] = elapsed
            self.ctx.log(f"  {self.name:<28} {elapsed:8.2f} s  {self.ctx.counts.get(self.name, '')}")
        return False


SQL_HELPERS = """
CREATE OR REPLACE FUNCTION pg_temp.h(x bigint, salt int) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT hashint8extended(x, {seed}::bigint * 1000003 + salt) & 9223372036854775807 $$;
CREATE OR REPLACE FUNCTION pg_temp.r(x bigint, salt int, n bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT pg_temp.h(x, salt) % n $$;
CREATE OR REPLACE FUNCTION pg_temp.u(x bigint, salt int) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (pg_temp.h(x, salt) % 1000000007)::double precision / 1000000007 $$;
CREATE OR REPLACE FUNCTION pg_temp.pick(a text[], x bigint, salt int) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT a[1 + pg_temp.r(x, salt, cardinality(a))] $$;
CREATE OR REPLACE FUNCTION pg_temp.uid(x bigint, salt int) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT md5('{seed}:' || salt || ':' || x)::uuid $$;
"""


def install_sql_helpers(ctx: Context) -> None:
    ctx.execute(SQL_HELPERS.format(seed=int(ctx.seed)))
    # Session settings only: room to sort and hash the plan tables, and no wait for the WAL flush of each step.
    ctx.execute("SET work_mem = '256MB'")
    ctx.execute("SET synchronous_commit = off")


def run_parallel(ctx: Context, work, ranges: list[tuple[int, int]], workers: int = 2) -> None:
    """Run `work(sub_ctx, first, last)` for each id range on `workers` connections of their own, each range
    in its own transaction. The plan tables are UNLOGGED (not TEMP) so that every connection sees them;
    ids are fixed by the plan, so the result does not depend on which worker wrote what first."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, transaction

    def run(bounds):
        try:
            with connection.cursor() as cursor:
                sub = Context(cursor=cursor, seed=ctx.seed, sizes=ctx.sizes, anchor_day=ctx.anchor_day, log=ctx.log)
                sub.ids = ctx.ids
                install_sql_helpers(sub)
                with transaction.atomic():
                    work(sub, *bounds)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(run, ranges):
            pass


def split(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """[first, last] cut into `parts` consecutive ranges."""
    size = max(1, -(-(last - first + 1) // parts))
    return [(lo, min(last, lo + size - 1)) for lo in range(first, last + 1, size)]


def uuid_for(ctx: Context, salt: str, n: int) -> uuid.UUID:
    return uuid.UUID(hashlib.md5(f"{ctx.seed}:{salt}:{n}".encode()).hexdigest())  # noqa: S324 - a deterministic id, not security


def aware(day: date, seconds: int = 0) -> datetime:
    """A moment on `day` in WIB, `seconds` after midnight."""
    return datetime.combine(day, dtime.min, tzinfo=WIB) + timedelta(seconds=seconds)


def reset_sequences(ctx: Context, tables: Iterable[str]) -> None:
    """Move each table's id sequence past the explicit ids the generator wrote."""
    for table in tables:
        ctx.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608 - table names are constants
            f" COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )
