"""A Redis cache that degrades instead of failing: while Redis is down every read is a miss and every write a no-op.

Django's RedisCache raises when Redis refuses connections or stops answering, which would turn a cache
outage into 500s on every page (the cached_db sessions read the cache on each request). This backend
logs the failure, answers as a cache miss (a write "succeeds" without storing anything), and opens a
small circuit breaker: for BREAKER_SECONDS (an OPTIONS key, default 10) after a failure, this process
does not even try Redis, so a Redis that accepts connections but never answers costs one socket timeout
per process per window, not one per cache call. The socket timeouts themselves are cache OPTIONS (see
opop/settings/base.py).

Rate limits do not switch off meanwhile: allauth's keys (`allauth:rl:...`, its login, signup and password
limits) go to a per-process memory cache while Redis is down, so each process keeps counting on its own
(with N processes an attacker gets at most N times the limit, never an unlimited guess rate).

`health_check()` raises, so /healthz can say what is wrong: at once while the breaker is open, else after one
round trip bounded by the probe timeout /healthz passes.

Each cache call reuses one `redis.Redis` per connection pool (KeptClientRedisCacheClient): Django's client builds a
new one for every call, and redis-py fills a table of about 170 response callbacks each time.
"""

import logging
import threading
import time
import uuid

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("opop.cache")

FAILURES = (RedisError, OSError)

# Per process, per Redis location: until when (time.monotonic()) the cache is considered down.
_down_until: dict[str, float] = {}
_lock = threading.Lock()

# allauth's rate-limit keys, and the per-process stand-in that keeps counting them while Redis is down.
RATE_LIMIT_PREFIX = "allauth:rl:"
_local_limits = LocMemCache("opop-rate-limits-while-redis-is-down", {"OPTIONS": {"MAX_ENTRIES": 10000}})


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client with one `redis.Redis` kept per connection pool, where Django's makes a new one
    for every cache call (60 µs of CPU each on the benchmark machine, 3-5 calls a page). A `redis.Redis` holds
    no connection itself (each command borrows one from the pool), so one instance serves every call; Django's
    caches are per thread in any case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.breaker_seconds = float(options.pop("BREAKER_SECONDS", 10))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = KeptClientRedisCacheClient
        self._breaker_key = ",".join(self._servers)

    # The breaker -------------------------------------------------------------------------------
    def _is_open(self) -> bool:
        until = _down_until.get(self._breaker_key)
        return until is not None and time.monotonic() < until

    def _trip(self, operation: str, exc: BaseException) -> None:
        with _lock:
            first = not self._is_open()
            _down_until[self._breaker_key] = time.monotonic() + self.breaker_seconds
        if first:
            logger.warning(
                "opop.cache.unavailable",
                extra={"operation": operation, "error": f"{exc.__class__.__name__}: {exc}"[:300]},
            )

    def _call(self, operation: str, fallback, *args, **kwargs):
        if self._is_open():
            return self._fallback(operation, fallback, args)
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except FAILURES as exc:
            self._trip(operation, exc)
            return self._fallback(operation, fallback, args)
        if self._breaker_key in _down_until:
            with _lock:
                if _down_until.pop(self._breaker_key, None) is not None:
                    logger.info("opop.cache.recovered")
        return result

    @staticmethod
    def _fallback(operation: str, fallback, args):
        """While Redis is down: a rate-limit key is served by this process's memory, anything else is a miss."""
        key = args[0] if args else None
        if isinstance(key, str) and key.startswith(RATE_LIMIT_PREFIX):
            return getattr(_local_limits, operation)(*args)
        return fallback

    # The cache API: a failure is a miss (reads) or a no-op (writes) -----------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # allauth's rate limits take a lock with add(): its keys go to the process's memory while Redis is down
        # (see _fallback); any other add() "succeeds", so no caller waits on a lock nobody can hold.
        return self._call("add", True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:  # like a missing key: callers already handle ValueError
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    # For /healthz: no fallback -----------------------------------------------------------------
    def health_check(self, *, timeout: float = 0.25) -> str:
        """ "ok", or raise: at once while the breaker is open (a failure moments ago), else after one round trip
        (SET, GET, DELETE pipelined) bounded by `timeout`; a failure opens the breaker like any other."""
        if self._is_open():
            raise RuntimeError("unavailable: it failed moments ago (breaker open)")
        client = redis.Redis.from_url(
            self._servers[0], socket_connect_timeout=timeout, socket_timeout=timeout, retry=None
        )
        key = self.make_and_validate_key(f"healthz:{uuid.uuid4().hex}")
        try:
            _set, value, _deleted = (
                client.pipeline(transaction=False).set(key, "1", ex=5).get(key).delete(key).execute()
            )
        except FAILURES as exc:
            self._trip("health_check", exc)
            raise
        finally:
            client.close()
        if value != b"1":
            raise RuntimeError("cache did not return what was written")
        return "ok"
