"""A Redis cache that degrades instead of failing: while Redis is down every read is a miss and every write a no-op.

Django's RedisCache raises when Redis refuses connections or stops answering, which would turn a cache
outage into 500s on every page (the cached_db sessions read the cache on each request). This backend
logs the failure, answers as a cache miss (a write "succeeds" without storing anything), and opens a
small circuit breaker: for BREAKER_SECONDS (an OPTIONS key, default 10) after a failure, this process
does not even try Redis, so a Redis that accepts connections but never answers costs one socket timeout
per process per window, not one per cache call. The socket timeouts themselves are cache OPTIONS (see
opop/settings/base.py).

`health_check()` bypasses all of this and raises, so /healthz can say what is wrong.
"""

import logging
import threading
import time
import uuid

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("opop.cache")

FAILURES = (RedisError, OSError)

# Per process, per Redis location: until when (time.monotonic()) the cache is considered down.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.breaker_seconds = float(options.pop("BREAKER_SECONDS", 10))
        super().__init__(server, {**params, "OPTIONS": options})
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
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except FAILURES as exc:
            self._trip(operation, exc)
            return fallback
        if self._breaker_key in _down_until:
            with _lock:
                if _down_until.pop(self._breaker_key, None) is not None:
                    logger.info("opop.cache.recovered")
        return result

    # The cache API: a failure is a miss (reads) or a no-op (writes) -----------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Fail open: allauth's rate limits take a lock with add() and would refuse every login (429) if it
        # answered False. While Redis is down rate limits are off; every login still needs the password.
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

    # For /healthz: no breaker, no fallback ------------------------------------------------------
    def health_check(self) -> str:
        key = f"healthz:{uuid.uuid4().hex}"
        client = self._cache
        client.set(self.make_and_validate_key(key), "1", 5)
        ok = client.get(self.make_and_validate_key(key), None) == "1"
        client.delete(self.make_and_validate_key(key))
        if not ok:
            raise RuntimeError("cache did not return what was written")
        return "ok"
