"""The rollup jobs: incremental (dirty keys only), full rebuild, and the nightly check that they agree."""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from opop.models import DirtyFigureKey
from reports.models import FIGURE_FIELDS, FigureRollup, PesantrenMonthRollup, RollupRun
from reports.sources import Key, RowKey, compute

logger = logging.getLogger(__name__)

PESANTREN_FIELDS = ("omzet", "aset", "workers", "jobs_created", "contribution", "operating_costs", "reports")


@dataclass(frozen=True)
class RollupResult:
    keys: int
    rows: int


def _keys_q(keys: set[Key]) -> Q:
    by_month: dict = defaultdict(set)
    for month, region in keys:
        by_month[month].add(region)
    query = Q(pk__in=[])
    for month, regions in by_month.items():
        query |= Q(month=month, kabupaten_kota_id__in=sorted(regions))
    return query


def _figure_objects(figures: dict[RowKey, dict]) -> list[FigureRollup]:
    objects = []
    for (month, region, pillar, cohort), values in sorted(figures.items(), key=lambda item: str(item[0])):
        if not any(values.get(field) for field in FIGURE_FIELDS):
            continue
        objects.append(
            FigureRollup(
                month=month,
                kabupaten_kota_id=region,
                pillar=pillar,
                cohort=cohort,
                **{field: values.get(field, 0) for field in FIGURE_FIELDS},
            )
        )
    return objects


def _pesantren_objects(rows: list[dict]) -> list[PesantrenMonthRollup]:
    return [
        PesantrenMonthRollup(
            month=row["month"],
            pesantren_id=row["pesantren_id"],
            kabupaten_kota_id=row["kabupaten_kota_id"],
            cohort=row["cohort"],
            **{field: row.get(field) or 0 for field in PESANTREN_FIELDS},
        )
        for row in rows
    ]


def _replace(keys: set[Key] | None, figures: dict[RowKey, dict], pesantren_rows: list[dict]) -> int:
    """Swap the stored rows of `keys` (None: all) for the computed ones. Caller holds the transaction."""
    if keys is None:
        FigureRollup.objects.all().delete()
        PesantrenMonthRollup.objects.all().delete()
    else:
        FigureRollup.objects.filter(_keys_q(keys)).delete()
        PesantrenMonthRollup.objects.filter(_keys_q(keys)).delete()
    objects = _figure_objects(figures)
    _write(FigureRollup, objects)
    _write(PesantrenMonthRollup, _pesantren_objects(pesantren_rows))
    return len(objects)


def _write(model, objects: list) -> None:
    """Insert rollup rows: COPY on PostgreSQL (a full rebuild writes a row per pesantren and month,
    hundreds of thousands at province scale), bulk_create elsewhere."""
    if connection.vendor != "postgresql" or len(objects) < 500:
        model.objects.bulk_create(objects, batch_size=5000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([getattr(obj, f.attname) for f in fields])


def _roomy_sorts() -> None:
    """Let this transaction's aggregates (a month of orders, or all of them) sort and hash in memory, not on disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


def rollup_incremental(*, limit: int = 500) -> RollupResult:
    """Recompute the rollup rows of up to `limit` dirty (month, kabupaten/kota) keys, in one transaction.

    On PostgreSQL the keys are locked with SKIP LOCKED, so two workers never take the same key. A key
    is removed only if nobody marked it again while it was being rolled up (its `marked_at` is
    unchanged); otherwise it stays for the next run. Running it twice changes nothing.
    """
    with transaction.atomic():
        _roomy_sorts()
        taken = DirtyFigureKey.objects.order_by("marked_at", "pk")
        if connection.vendor == "postgresql":
            taken = taken.select_for_update(skip_locked=True)
        taken = list(taken.values_list("pk", "month", "kabupaten_kota_id", "marked_at")[:limit])
        if not taken:
            return RollupResult(keys=0, rows=0)
        keys = {(month, region) for _pk, month, region, _marked in taken}
        figures, pesantren_rows = compute(keys)
        rows = _replace(keys, figures, pesantren_rows)
        processed = Q(pk__in=[])
        for pk, _month, _region, marked_at in taken:
            processed |= Q(pk=pk, marked_at=marked_at)
        DirtyFigureKey.objects.filter(processed).delete()
        RollupRun.objects.create(kind=RollupRun.Kind.INCREMENTAL, keys=len(keys))
    logger.info("reports.rollup.incremental", extra={"keys": len(keys), "rows": rows})
    return RollupResult(keys=len(keys), rows=rows)


def rollup_drain(*, limit: int = 500) -> int:
    """Run the incremental job until no dirty key is left (or only locked ones); return the keys done."""
    done = 0
    while True:
        result = rollup_incremental(limit=limit)
        done += result.keys
        if result.keys < limit:
            return done


def rollup_full() -> RollupResult:
    """Recompute every rollup row from the facts. Keys marked before the start are then done."""
    started = timezone.now()
    with transaction.atomic():
        _roomy_sorts()
        figures, pesantren_rows = compute(None)
        rows = _replace(None, figures, pesantren_rows)
        keys = len({(m, k) for m, k, _p, _c in figures})
        DirtyFigureKey.objects.filter(marked_at__lt=started).delete()
        RollupRun.objects.create(kind=RollupRun.Kind.FULL, keys=keys)
    logger.info("reports.rollup.full", extra={"keys": keys, "rows": rows})
    return RollupResult(keys=keys, rows=rows)


# Rows compared by the nightly check, keyed (table, month, kabupaten/kota, rest of the key).
CheckKey = tuple[str, object, str, tuple]


def _stored() -> dict[CheckKey, dict]:
    rows: dict[CheckKey, dict] = {}
    for row in FigureRollup.objects.values("month", "kabupaten_kota_id", "pillar", "cohort", *FIGURE_FIELDS):
        key = ("figures", row["month"], row["kabupaten_kota_id"], (row["pillar"], row["cohort"]))
        rows[key] = {f: row[f] for f in FIGURE_FIELDS}
    for row in PesantrenMonthRollup.objects.values(
        "month", "kabupaten_kota_id", "pesantren_id", "cohort", *PESANTREN_FIELDS
    ):
        key = ("pesantren", row["month"], row["kabupaten_kota_id"], (row["pesantren_id"], row["cohort"]))
        rows[key] = {f: row[f] for f in PESANTREN_FIELDS}
    return rows


def _computed() -> dict[CheckKey, dict]:
    figures, pesantren_rows = compute(None)
    rows: dict[CheckKey, dict] = {}
    for o in _figure_objects(figures):
        rows[("figures", o.month, o.kabupaten_kota_id, (o.pillar, o.cohort))] = {
            f: getattr(o, f) for f in FIGURE_FIELDS
        }
    for o in _pesantren_objects(pesantren_rows):
        key = ("pesantren", o.month, o.kabupaten_kota_id, (o.pesantren_id, o.cohort))
        rows[key] = {f: getattr(o, f) for f in PESANTREN_FIELDS}
    return rows


def rollup_differences() -> list[dict]:
    """Where the stored rollup differs from a fresh full computation, leaving out keys still marked dirty."""
    computed = _computed()
    stored = _stored()
    pending = set(DirtyFigureKey.objects.values_list("month", "kabupaten_kota_id"))
    differences = []
    for key in sorted(set(computed) | set(stored), key=str):
        if (key[1], key[2]) in pending:
            continue
        want, have = computed.get(key), stored.get(key)
        if want != have:
            differences.append({"key": key, "full": want, "incremental": have})
    return differences


def rollup_check() -> int:
    """Nightly: compare the incrementally kept rollup with a full rebuild, log each difference, then rebuild."""
    differences = rollup_differences()
    for difference in differences[:100]:
        table, month, region, rest = difference["key"]
        logger.warning(
            "reports.rollup.mismatch",
            extra={
                "table": table,
                "month": month.isoformat(),
                "kabupaten_kota": region,
                **({"pillar": rest[0], "cohort": rest[1]} if table == "figures" else {"pesantren": rest[0]}),
                "full": difference["full"],
                "incremental": difference["incremental"],
            },
        )
    logger.info("reports.rollup.checked", extra={"differences": len(differences)})
    if differences:
        rollup_full()
    RollupRun.objects.create(kind=RollupRun.Kind.CHECK, differences=len(differences))
    return len(differences)
