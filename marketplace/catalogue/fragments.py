"""Rendered store-page fragments in the shared cache, keyed by the catalogue generation.

Rendering 24 product cards (or a product page) from the ORM costs 15-30 ms of CPU per request, and the same
HTML is sent to every visitor. So the public store pages keep their non-personal parts (home shelves, a
search or category result block, a product page without its cart form) in the shared cache under a key that
holds the catalogue *generation*: one integer in the cache, bumped after the commit of any change that could
show on a store page — a product, its photos, variants, wholesale tiers, stock, price, sold count, rating or
reviews, its store, the store's organisation or a category (receivers.py for saves and deletes, an explicit
`catalogue_changed()` beside every queryset `update()`/`bulk_create()` that writes them). A bump makes every
old key unreachable at once; they expire by themselves.

The generation is read before the database, so a page rendered from data read before a change is stored
under the old generation and never served after the bump. A missing generation (evicted, Redis flushed)
restarts from the clock, never from a number already used.

Only a cache shared by every web process can be invalidated this way: with the per-process memory cache
(no REDIS_URL) a bump in one process would not reach the others, so fragments are off unless
`CATALOGUE_FRAGMENT_CACHE` says otherwise (tests turn it on).
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "marketplace:catalogue-generation"
FRAGMENT_TIMEOUT = 10 * 60


def enabled() -> bool:
    explicit = getattr(settings, "CATALOGUE_FRAGMENT_CACHE", None)
    if explicit is not None:
        return bool(explicit)
    return "LocMemCache" not in settings.CACHES["default"]["BACKEND"]


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value if value is not None else time.time_ns()  # cache down: a key nobody has written


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted): the next reader starts one from the clock
        cache.delete(GENERATION_KEY)


def catalogue_changed() -> None:
    """Call inside the transaction that changes what a store page shows: the bump follows its commit."""
    transaction.on_commit(_bump)


def key(name: str, *parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"marketplace:fragment:{generation()}:{get_language()}:{name}:{digest}"


def cached(name: str, parts: tuple, build: Callable):
    """`build()`'s value for (`name`, `parts`) at the current generation and language, from the cache if there."""
    if not enabled():
        return build()
    fragment_key = key(name, *parts)  # the generation is read before build() reads the database
    value = cache.get(fragment_key)
    if value is None:
        value = build()
        cache.set(fragment_key, value, FRAGMENT_TIMEOUT)
    return value
