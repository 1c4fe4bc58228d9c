"""Rendered store-page pieces in the shared cache, each checked against the versions of the things it shows.

A piece (the home shelves, a search or category result block, a store's shelf, a product page without its
stock, cart form and badges) is stored under a key of its own name and parameters, together with the versions
of what it *depends on* at the moment it was rendered and the time it was rendered:

- ``("product", id)`` — the product, its photos, variants, wholesale tiers and reviews;
- ``("store", id)`` — the store, its organisation, and every product of the store (a store's shelf);
- ``("category", id)`` — every product in the category or one of its sub-categories (a category listing);
- ``("catalogue",)`` — the category tree and the rare changes that touch every list (a product going on or off
  sale: published, unpublished, a listing decision).

A version is one integer in the cache, bumped after the commit of a change (receivers.py for saves and deletes,
an explicit ``catalogue_changed(products=…)`` beside every queryset ``update()``/``bulk_create()``). A piece is
served while every version it depends on is still the one it was rendered with, so an edit in one store renders
that store's pieces again and leaves the other 4,999 stores' pieces in place. The versions are read before the
database, so a piece rendered from data read before a change is never stored as current after it.

**Sales bump nothing.** Stock left, sold count and rating change with every checkout, so they are not part of
any version: the product page and the cart read them from the database on every request (views.py), and the
lists (home, search, category, store shelf) may show them up to ``LIST_FRESH_SECONDS`` + ``RENDER_LOCK_SECONDS``
old (the related products' cards under a product page: PRODUCT_FRESH_SECONDS + RENDER_LOCK_SECONDS): past
LIST_FRESH_SECONDS a piece is rendered again, and while that one render runs (at most RENDER_LOCK_SECONDS) the
others serve the previous copy.

**No thundering herd.** A missing or out-of-date piece is rendered by one process only: the one that wins a short
lock (``cache.add``). The others serve the previous copy when only its age is past (same versions), or wait up to
RENDER_WAIT_SECONDS for the winner's copy when a version changed (a price must show at once), and render it
themselves only if the winner is not done by then.

A missing version (evicted, Redis flushed) restarts from the clock, never from a number already used. Only a
cache shared by every web process can be invalidated this way: with the per-process memory cache (no REDIS_URL)
a bump in one process would not reach the others, so pieces are off unless `CATALOGUE_FRAGMENT_CACHE` says
otherwise (tests turn it on).
"""

import contextlib
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_PREFIX = "marketplace:version:"
FRAGMENT_PREFIX = "marketplace:piece:"
FRAGMENT_TIMEOUT = 30 * 60  # an unused piece leaves the cache after this
LIST_FRESH_SECONDS = 20  # lists are rendered again after this: their stock, sold and rating figures are this old
# A product page's own figures are read live; only the four related products' cards under it age, and a product
# page is the costliest piece to render, with 50,000 of them to keep: renewed after five minutes.
PRODUCT_FRESH_SECONDS = 5 * 60
RENDER_LOCK_SECONDS = 10  # the longest one render may hold the others back
RENDER_WAIT_SECONDS = 2.0  # how long the others wait for a new version's first render before rendering it too
RENDER_POLL_SECONDS = 0.05

CATALOGUE = ("catalogue",)

# Replaced in tests by a fake clock; wall time for the freshness of pieces only.
clock: Callable[[], float] = time.time
sleep: Callable[[float], None] = time.sleep


def enabled() -> bool:
    explicit = getattr(settings, "CATALOGUE_FRAGMENT_CACHE", None)
    if explicit is not None:
        return bool(explicit)
    return "LocMemCache" not in settings.CACHES["default"]["BACKEND"]


def _version_key(dep: tuple) -> str:
    return VERSION_PREFIX + ":".join(str(part) for part in dep)


def _versions_and(deps: Iterable[tuple], keys: list[str]) -> tuple[tuple, dict]:
    """The current version of each dependency, in order (a missing one starts from the clock), and the values of
    `keys`, all read in one round trip."""
    version_keys = [_version_key(dep) for dep in deps]
    found = cache.get_many([*version_keys, *keys])
    for key in version_keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key, time.time_ns())  # cache down: a version nobody has written
    return tuple(found[key] for key in version_keys), {key: found[key] for key in keys if key in found}


def versions(deps: Iterable[tuple]) -> tuple:
    """The current version of each dependency, in order; a missing one starts from the clock."""
    return _versions_and(deps, [])[0]


def _bump(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # no version yet (or evicted): the next reader starts one from the clock
            cache.delete(key)


def bump_on_commit(deps: Iterable[tuple]) -> None:
    """Bump these versions after the commit of the current transaction (at once outside one)."""
    keys = sorted({_version_key(dep) for dep in deps})
    if keys:
        transaction.on_commit(lambda: _bump(keys))


def product_deps(
    *, product_id: int, store_id: int, category_id: int | None, ancestors: Iterable[int] | None = None
) -> list[tuple]:
    """What a change to one product makes stale: the product, its store's shelf, its category and the parents'
    (`ancestors`: those ids already known, the category first; else read from the category tree)."""
    if ancestors is None:
        from marketplace.catalogue.selectors import category_ancestor_ids

        ancestors = category_ancestor_ids(category_id)
    return [("product", product_id), ("store", store_id), *(("category", pk) for pk in ancestors)]


def catalogue_changed(*, products: Iterable | None = None, stores: Iterable[int] = ()) -> None:
    """Call inside the transaction that changes what a store page shows: the bump follows its commit.

    `products` (Product rows or ids): only these products' pieces (their page, their store's shelf, their
    categories' listings) are stale; `stores` (ids): those stores' pieces. Neither: everything (rare changes only).
    """
    from marketplace.models import Product

    if products is None and not stores:
        bump_on_commit([CATALOGUE])
        return
    products = list(products or [])
    deps = [("store", pk) for pk in stores]
    for product in products:
        if isinstance(product, Product) and product.pk and product.store_id:
            deps += product_deps(product_id=product.pk, store_id=product.store_id, category_id=product.category_id)
    bump_on_commit(deps)
    ids = [product for product in products if not isinstance(product, Product)]
    if ids:
        # Only ids: their store and category are looked up after the commit, outside the caller's transaction.
        def bump_ids():
            rows = Product.objects.filter(pk__in=ids).values("pk", "store_id", "category_id")
            keys = {
                _version_key(dep)
                for row in rows
                for dep in product_deps(product_id=row["pk"], store_id=row["store_id"], category_id=row["category_id"])
            }
            _bump(sorted(keys))

        transaction.on_commit(bump_ids)


STATS_PREFIX = "marketplace:piece-stats:"
STATS_OUTCOMES = ("hit", "stale", "waited", "render")
# Counted in the process and added to the shared counts at most once a second: a cache write on every read
# cost the benchmark 0.3 ms a page (8% of a product page's hit, 14% of the Mart home's).
STATS_FLUSH_SECONDS = 1.0
_stats_lock = threading.Lock()
_stats_pending: Counter = Counter()
_stats_flushed_at = 0.0


def _count(name: str, outcome: str) -> None:
    """Count how pieces are served (hit, stale, waited, render) when CATALOGUE_FRAGMENT_STATS is on (the benchmark
    reads the counts to report hit rates; production leaves it off). Kept in this process and added to the shared
    counts once STATS_FLUSH_SECONDS have passed since the last addition, so at most that much of each process'
    counting is not yet in `stats()` of another process."""
    global _stats_flushed_at
    if not getattr(settings, "CATALOGUE_FRAGMENT_STATS", False):
        return
    with _stats_lock:
        _stats_pending[f"{STATS_PREFIX}{name}:{outcome}"] += 1
        now = clock()
        if 0 <= now - _stats_flushed_at < STATS_FLUSH_SECONDS:
            return
        _stats_flushed_at = now
    stats_flush()


def stats_flush() -> None:
    """Add this process' pending counts to the shared ones."""
    with _stats_lock:
        pending = dict(_stats_pending)
        _stats_pending.clear()
    for stat, n in pending.items():
        try:
            cache.incr(stat, n)
        except ValueError:
            cache.add(stat, 0, timeout=None)
            with contextlib.suppress(ValueError):  # the cache is down: these counts are lost, the page is not
                cache.incr(stat, n)


def stats(names: Iterable[str]) -> dict[str, dict[str, int]]:
    """The shared counts of each piece name by outcome (this process' pending counts added first)."""
    stats_flush()
    keys = {f"{STATS_PREFIX}{name}:{outcome}": (name, outcome) for name in names for outcome in STATS_OUTCOMES}
    found = cache.get_many(list(keys))
    result: dict[str, dict[str, int]] = {}
    for stat, (name, outcome) in keys.items():
        result.setdefault(name, {})[outcome] = int(found.get(stat) or 0)
    return result


def key(name: str, *parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{FRAGMENT_PREFIX}{get_language()}:{name}:{digest}"


def _lock_key(fragment_key: str, current: tuple) -> str:
    return f"{fragment_key}:render:" + "-".join(str(v) for v in current)


def cached(name: str, parts: tuple, build: Callable, *, deps: Iterable[tuple] = (), fresh_for: float | None = None):
    """`build()`'s value for (`name`, `parts`), from the cache while the versions of `deps` (and the catalogue's)
    are those it was rendered with and it is younger than `fresh_for` seconds (None: no age limit)."""
    if not enabled():
        return build()
    deps = [CATALOGUE, *deps]
    fragment_key = key(name, *parts)
    current, found = _versions_and(deps, [fragment_key])  # one round trip, before build() reads the database
    entry = found.get(fragment_key)
    now = clock()
    same_versions = entry is not None and entry["versions"] == current
    if same_versions and (fresh_for is None or now - entry["at"] < fresh_for):
        _count(name, "hit")
        return entry["value"]
    lock = _lock_key(fragment_key, current)
    if not cache.add(lock, 1, RENDER_LOCK_SECONDS):
        if same_versions:
            _count(name, "stale")
            return entry["value"]  # only its age is past: serve it while the lock holder renders the next one
        waited = 0.0
        while waited < RENDER_WAIT_SECONDS:  # a version changed: wait for the lock holder's render
            sleep(RENDER_POLL_SECONDS)
            waited += RENDER_POLL_SECONDS
            entry = cache.get(fragment_key)
            if entry is not None and entry["versions"] == current:
                _count(name, "waited")
                return entry["value"]
        _count(name, "render")
        return build()  # the holder is slow or gone: render, but do not overwrite what it will store
    _count(name, "render")
    try:
        value = build()
        cache.set(fragment_key, {"versions": current, "at": now, "value": value}, FRAGMENT_TIMEOUT)
    finally:
        cache.delete(lock)
    return value
