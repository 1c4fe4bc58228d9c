"""The dashboards' computed tables, cached per rollup generation.

Rollup tables change only when a rollup run writes them, and every run records a RollupRun in the
same transaction. A page's tables (and their rendered HTML) are therefore cached under a key made of:

- the *generation*: the latest RollupRun (id and finish time, read from the database on each request,
  so it moves exactly when committed rollup rows do, even if the cache missed an invalidation), and a
  token in the cache that a receiver drops whenever a RollupRun is saved or deleted (so deleting the
  latest run, which would bring an older id back, still changes the key);
- the page, the scope (region or province), the validated filters and the page's other arguments;
- the active language (the tables hold translated labels);
- for pages that show pesantren names, a second token dropped whenever a pesantren is saved or deleted.

A miss computes the tables as before. If the cache is unavailable (opop.cache answers every read as a
miss), the token cannot be read and the page is computed without caching: slower, never stale.
"""

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils.translation import get_language

from reports import selectors

GENERATION_KEY = "reports:generation-token:v1"
NAMES_KEY = "reports:names-token:v1"
TABLES_TIMEOUT = 60 * 60  # a bound on memory only: the key changes with the data


def _token(key: str) -> str | None:
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, None)
        token = cache.get(key)
    return token


def forget_generation() -> None:
    """Every cached table becomes unreachable (the next read makes a new token)."""
    cache.delete(GENERATION_KEY)


def forget_names() -> None:
    """Tables that show pesantren names become unreachable."""
    cache.delete(NAMES_KEY)


@dataclass(frozen=True)
class Generation:
    key: str
    data_as_of: datetime | None  # answered by the same query, for the page's "data as of"


def generation() -> Generation | None:
    """What the cached tables depend on; None when the cache is unavailable. One query."""
    token = _token(GENERATION_KEY)
    if token is None:
        return None
    run = selectors.rollup_state()
    if run is None:
        return Generation(f"{token}:-", None)
    return Generation(f"{token}:{run[0]}:{run[1].isoformat()}", run[2])


def key_for(page: str, generation_: str, parts: tuple) -> str:
    digest = hashlib.sha256(repr((generation_, get_language(), parts)).encode()).hexdigest()[:40]
    # v3: the value is (reports.panels.Shown list, HTML); an entry of v2 (report, HTML) is never read.
    return f"reports:tables:v3:{page}:{digest}"


def get_or_build(
    page: str, parts: tuple, build: Callable[[], object], *, names: bool = False, current: Generation | None = None
):
    """The value `build()` returns for this page and these parts, from the cache when the rollups
    have not changed since it was built. `parts`: the scope, the filters and anything else the value
    depends on (reprs must be stable). `names`: the value shows pesantren names. `current`: the
    generation if the caller has read it already."""
    current = current or generation()
    if current is None:
        return build()
    if names:
        names_token = _token(NAMES_KEY)
        if names_token is None:
            return build()
        parts = (*parts, names_token)
    key = key_for(page, current.key, parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TABLES_TIMEOUT)
    return value


STATIC_TIMEOUT = 24 * 60 * 60


def get_static(name: str, parts: tuple, build: Callable[[], object]):
    """Like get_or_build() for what does not depend on the rollups (the filter form): keyed by name,
    parts and the active language only."""
    digest = hashlib.sha256(repr((get_language(), parts)).encode()).hexdigest()[:40]
    key = f"reports:static:v1:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, STATIC_TIMEOUT)
    return value
