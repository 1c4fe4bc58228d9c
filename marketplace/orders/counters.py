"""Per-store, per-status order counters (StoreOrderCount): the seller queue reads its tab counts and its page count
from a handful of rows, so the queue of a store with 65,000 orders costs what the queue of a store with 65 does.

They are moved only here, by the code that moves an order: `order_counts_move` inside the transaction that creates
an order (checkout) or changes its status (orders.services.order_transition), so a rolled-back change leaves them
as they were. Rows are touched in (store, status) order, so two transactions never wait for each other in a
circle. `order_counts_mismatches` compares them with COUNT(*) (`manage.py order_counts_check`, `--fix` rebuilds).
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count

from marketplace.models import Order, Store, StoreOrderCount


def order_counts_move(changes: Iterable[tuple[int, str | None, str | None]]) -> None:
    """Apply (store id, from status, to status) moves: None as from is a new order, None as to a removed one.
    Call inside the transaction of the change itself. One INSERT … ON CONFLICT DO UPDATE for all of them, rows in
    (store, status) order; a counter that does not exist yet starts from the move (a counter below zero can only
    come from data loaded past the services, and `order_counts_check` reports it rather than failing a sale)."""
    deltas: Counter = Counter()
    for store_id, from_status, to_status in changes:
        if from_status == to_status:
            continue
        if from_status is not None:
            deltas[(store_id, from_status)] -= 1
        if to_status is not None:
            deltas[(store_id, to_status)] += 1
    rows = [(store_id, status, delta) for (store_id, status), delta in sorted(deltas.items()) if delta]
    if not rows:
        return
    table = connection.ops.quote_name(StoreOrderCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (store_id, status, count) VALUES {values} "  # noqa: S608 - our table name
            f"ON CONFLICT (store_id, status) DO UPDATE SET count = {table}.count + EXCLUDED.count",
            [value for row in rows for value in row],
        )


def store_order_counts(store: Store) -> dict[str, int]:
    """Status → number of the store's orders in it (statuses without orders are absent)."""
    return dict(StoreOrderCount.objects.filter(store=store, count__gt=0).values_list("status", "count"))


def _actual(store_ids: list[int] | None = None) -> dict[tuple[int, str], int]:
    orders = Order.objects.all() if store_ids is None else Order.objects.filter(store_id__in=store_ids)
    rows = orders.order_by().values_list("store_id", "status").annotate(n=Count("id"))
    return {(store_id, status): n for store_id, status, n in rows}


def _kept(store_ids: list[int] | None = None) -> dict[tuple[int, str], int]:
    counts = (
        StoreOrderCount.objects.all() if store_ids is None else StoreOrderCount.objects.filter(store_id__in=store_ids)
    )
    return {(store_id, status): n for store_id, status, n in counts.values_list("store_id", "status", "count") if n}


def order_counts_mismatches(*, store_ids: list[int] | None = None) -> list[tuple[int, str, int, int]]:
    """(store id, status, counted, kept) wherever the counter differs from COUNT(*) of the orders; empty when true."""
    actual, kept = _actual(store_ids), _kept(store_ids)
    return sorted(
        (store_id, status, actual.get((store_id, status), 0), kept.get((store_id, status), 0))
        for store_id, status in set(actual) | set(kept)
        if actual.get((store_id, status), 0) != kept.get((store_id, status), 0)
    )


@transaction.atomic
def order_counts_rebuild() -> int:
    """Set every counter to COUNT(*) of the orders (one GROUP BY); for the data migration and after bulk loads
    that bypass the services (the benchmark's generated data). Locks the counters while it runs; returns rows."""
    list(StoreOrderCount.objects.select_for_update().values_list("pk", flat=True))
    StoreOrderCount.objects.all().delete()
    rows = [StoreOrderCount(store_id=s, status=st, count=n) for (s, st), n in _actual().items()]
    StoreOrderCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
